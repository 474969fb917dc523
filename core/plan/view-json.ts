/**
 * The JSON view of a Plan, for scripts: the Plan itself (its formatVersion says how to read it)
 * and nothing else. Built field by field from the Plan type, so a property that something
 * attached to a plan object at run time (a live object, a raw manifest) can never slip out.
 * Secret values are already masked in the Change (core/plan/secrets.ts).
 */
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import type { ResourceKey } from '../model/resource.js';
import type { Change, ChangeCommit, Finding, Plan, PlanMode, PlannedHook } from './types.js';

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(projectPlan(plan), null, 2)}\n`;
}

/** A copy of the plan with exactly the fields of the Plan type. */
export function projectPlan(plan: Plan): Plan {
  const { app, cluster, applySet } = plan.inputs;
  return {
    formatVersion: plan.formatVersion,
    id: plan.id,
    createdAt: plan.createdAt,
    inputs: {
      app: {
        name: app.name,
        path: app.path,
        sourceType: app.sourceType,
        ...(app.namespace !== undefined && { namespace: app.namespace }),
        ...(app.selectedBy !== undefined && { selectedBy: app.selectedBy }),
        ...(app.protected !== undefined && { protected: app.protected }),
        ...(app.prune !== undefined && { prune: app.prune }),
        ...(app.createNamespace !== undefined && { createNamespace: app.createNamespace }),
        ...(app.wait !== undefined && { wait: { ...app.wait } }),
      },
      repo: plan.inputs.repo,
      commit: plan.inputs.commit,
      treeOid: plan.inputs.treeOid,
      renderedHash: plan.inputs.renderedHash,
      ...(plan.inputs.charts && { charts: plan.inputs.charts.map((c) => ({ repoURL: c.repoURL, chart: c.chart, version: c.version, digest: c.digest })) }),
      ...(plan.inputs.secretHashKey !== undefined && { secretHashKey: plan.inputs.secretHashKey }),
      ...(cluster && { cluster: { context: cluster.context, server: cluster.server, uid: cluster.uid, version: cluster.version } }),
      mode: projectMode(plan.inputs.mode),
      applySet: {
        parent: applySet.parent,
        id: applySet.id,
        ...(applySet.identity && { identity: { root: applySet.identity.root, selectedBy: applySet.identity.selectedBy, app: applySet.identity.app, path: applySet.identity.path } }),
        ...(applySet.adopts && { adopts: applySet.adopts.map((a) => ({ parent: a.parent, id: a.id, why: a.why })) }),
      },
    },
    changes: plan.changes.map(projectChange),
    summary: { ...plan.summary },
    diagnostics: plan.diagnostics.map(projectDiagnostic),
    hooks: plan.hooks.map(projectHook),
    findings: plan.findings.map(projectFinding),
  };
}

function projectFinding(f: Finding): Finding {
  return {
    kind: f.kind,
    rule: f.rule,
    severity: f.severity,
    subject: projectKey(f.subject),
    ...(f.cause && { cause: projectKey(f.cause) }),
    message: f.message,
    ...(f.paths && { paths: [...f.paths] }),
  };
}

function projectCommit(c: ChangeCommit): ChangeCommit {
  return { oid: c.oid, author: c.author, date: c.date, subject: c.subject, files: [...c.files], ...(c.lines && { lines: [...c.lines] }) };
}

function projectHook(h: PlannedHook): PlannedHook {
  return {
    key: projectKey(h.key),
    ...(h.generateName && { generateName: true as const }),
    phases: [...h.phases],
    wave: h.wave,
    deletePolicies: [...h.deletePolicies],
    from: h.from,
    ...(h.skipped !== undefined && { skipped: h.skipped }),
    ...(h.after !== undefined && { after: h.after }),
    ...(h.desiredHash !== undefined && { desiredHash: h.desiredHash }),
    ...(h.source && { source: projectLocation(h.source) }),
  };
}

function projectMode(m: PlanMode): PlanMode {
  switch (m.kind) {
    case 'normal':
      return { kind: 'normal' };
    case 'rollback':
      return { kind: 'rollback', to: m.to };
    case 'revert':
      return { kind: 'revert', of: m.of };
    case 'compare':
      return { kind: 'compare', compared: m.compared, before: m.before, after: m.after };
  }
}

function projectKey(key: ResourceKey): ResourceKey {
  return { group: key.group, version: key.version, kind: key.kind, ...(key.namespace !== undefined && { namespace: key.namespace }), name: key.name };
}

function projectLocation(l: SourceLocation): SourceLocation {
  return {
    file: l.file,
    ...(l.documentIndex !== undefined && { documentIndex: l.documentIndex }),
    ...(l.line !== undefined && { line: l.line }),
    ...(l.column !== undefined && { column: l.column }),
  };
}

function projectChange(c: Change): Change {
  return {
    key: projectKey(c.key),
    action: c.action,
    flags: [...c.flags],
    ...(c.before !== undefined && { before: c.before }),
    ...(c.after !== undefined && { after: c.after }),
    changedPaths: [...c.changedPaths],
    ...(c.secretKeys && { secretKeys: { ...c.secretKeys } }),
    ...(c.liveResourceVersion !== undefined && { liveResourceVersion: c.liveResourceVersion }),
    ...(c.desiredHash !== undefined && { desiredHash: c.desiredHash }),
    ...(c.source && { source: projectLocation(c.source) }),
    ...(c.message !== undefined && { message: c.message }),
    ...(c.syncOptions !== undefined && { syncOptions: [...c.syncOptions] }),
    ...(c.why && { why: c.why.map(projectCommit) }),
  };
}

function projectDiagnostic(d: Diagnostic): Diagnostic {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.location && { location: projectLocation(d.location) }),
    ...(d.resource && { resource: projectKey(d.resource) }),
  };
}
