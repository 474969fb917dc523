/**
 * The engine's values as the contract's: plain data with exactly the contract's fields (what a
 * strict schema accepts, and nothing an engine object carries besides), for the handlers.
 */
import type { ApplyEvent } from '../apply/executor.js';
import type { LogEntry, RefInfo } from '../git/types.js';
import type { RunDetail, RunRecord } from '../history/types.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { AppNode, AppTree } from '../plan/child-apps.js';
import type { ChildPlan } from '../plan/plan-set.js';
import type { Plan } from '../plan/types.js';
import type { App } from '../source/apps.js';
import type { AppList, AppSummary, ChildPlanSummary, CommitSummary, EngineEvent, RefSummary, RunDetails, RunSummary } from './contract.js';

export function toRefSummary(r: RefInfo): RefSummary {
  return { kind: r.kind, name: r.name, fullName: r.fullName, oid: r.oid, ...(r.current && { current: true }) };
}

export function toCommitSummary(e: LogEntry, refsByOid: ReadonlyMap<string, string[]>): CommitSummary {
  return { oid: e.oid, shortOid: e.shortOid, subject: e.subject, author: { name: e.author.name, email: e.author.email }, date: e.author.time, refs: refsByOid.get(e.oid) ?? [] };
}

export function toAppSummary(app: App): AppSummary {
  return {
    name: app.name,
    path: app.path,
    sourceType: app.source.type,
    ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }),
    ...(app.destination.context !== undefined && { context: app.destination.context }),
    origin: { kind: app.origin.kind, ...(app.origin.file !== undefined && { file: app.origin.file }), ...(app.origin.line !== undefined && { line: app.origin.line }) },
    prune: app.options.prune,
    createNamespace: app.options.createNamespace,
    protected: app.options.protected,
    ...(app.parent !== undefined && { parent: app.parent }),
  };
}

/** A revision's apps with their child apps (app of apps), parents before their children; then those of each folder offered (a repository that defines no apps). */
export function toAppList(tree: AppTree): AppList {
  const { catalog } = tree;
  const folders = (catalog.folders ?? []).map((f) => ({ path: f.path, sourceType: f.sourceType }));
  const children = (nodes: readonly AppNode[], parentFolder?: string): AppSummary[] => nodes.flatMap((n) => [{ ...toAppSummary(n.app), ...(parentFolder !== undefined && { parentFolder }) }, ...children(n.children)]);
  const apps = [...children(tree.apps), ...tree.folders.flatMap((f) => children(f.children, f.folder.path))];
  return { apps, configured: catalog.configured, diagnostics: plainDiagnostics(tree.diagnostics), ...(folders.length > 0 && { folders }) };
}

/** Child apps' plans, each followed by its own children (depth 1: a child of the plan's app); `keep` keeps each plan made and answers its id. */
export function toChildPlanSummaries(list: readonly ChildPlan[], keep: (plan: Plan) => string, depth = 1): ChildPlanSummary[] {
  return list.flatMap((c) => [
    {
      app: c.app,
      parent: c.parent,
      path: c.path,
      depth,
      ...(c.plan && { planId: keep(c.plan), summary: { ...c.plan.summary }, errors: c.plan.diagnostics.filter((d) => d.severity === 'error').length }),
      ...(c.error && { error: c.error.message }),
    },
    ...toChildPlanSummaries(c.children, keep, depth + 1),
  ]);
}

/** Diagnostics as plain data (no extra fields that a strict schema would refuse). */
export function plainDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.location && { location: d.location }),
    ...(d.resource && { resource: d.resource }),
  }));
}


export function toRunSummary(r: RunRecord): RunSummary {
  return {
    id: r.id,
    kind: r.kind,
    ...(r.rollbackOf !== undefined && { rollbackOf: r.rollbackOf }),
    status: r.status,
    planId: r.planId,
    summary: { ...r.summary },
    repo: r.repo,
    app: { name: r.app.name, path: r.app.path },
    commit: r.commit,
    cluster: { context: r.cluster.context, server: r.cluster.server, uid: r.cluster.uid, version: r.cluster.version },
    user: { kube: r.user.kube, ...(r.user.gitAuthor !== undefined && { gitAuthor: r.user.gitAuthor }) },
    startedAt: r.startedAt,
    ...(r.finishedAt !== undefined && { finishedAt: r.finishedAt }),
    ...(r.error !== undefined && { error: r.error }),
  };
}

/** A run with its objects' results; the snapshot hashes stay in the engine. */
export function toRunDetails(r: RunDetail): RunDetails {
  return {
    ...toRunSummary(r),
    objects: r.objects.map((o) => ({
      key: { ...o.key },
      action: o.action,
      outcome: o.outcome,
      ...(o.message !== undefined && { message: o.message }),
      ...(o.wave !== undefined && { wave: o.wave }),
      ...(o.hook !== undefined && { hook: o.hook }),
      ...(o.startedAt !== undefined && { startedAt: o.startedAt }),
      finishedAt: o.finishedAt,
    })),
  };
}

/** The executor's event as the contract's, for one run. */
export function toEngineEvent(runId: string, e: ApplyEvent): EngineEvent {
  switch (e.type) {
    case 'started':
      return { type: 'apply-started', runId, steps: e.steps, changes: e.changes };
    case 'step-started':
      return { type: 'apply-step', runId, step: e.step, syncPhase: e.syncPhase, wave: e.wave, phase: e.phase, group: e.group, ...(e.hooks && { hooks: true }), count: e.count };
    case 'object':
      return { type: 'apply-object', runId, step: e.step, key: { ...e.key }, state: e.state, ...(e.message !== undefined && { message: e.message }) };
    case 'message':
      return { type: 'apply-message', runId, text: e.text };
    case 'finished':
      return { type: 'apply-finished', runId, status: e.status, ...(e.error !== undefined && { error: e.error }), elapsedMs: e.elapsedMs };
  }
}
