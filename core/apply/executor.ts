/**
 * Apply is a step machine (DESIGN.md rule 5, gitops-engine SyncContext): it takes a Plan and the
 * exact objects the plan was made from, checks the plan is still true, then advances one step
 * (wave × kind group) at a time — server-side apply or delete, then wait for health or absence —
 * recording each object's result as it happens. It can be cancelled and reports its state as a
 * typed event stream.
 */
import type { KubeClient } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import { mapConcurrent, DEFAULT_CONCURRENCY } from '../kube/concurrency.js';
import { withRetry } from '../kube/retry.js';
import { invalidateCache, resolveTarget } from '../kube/target.js';
import type { KubeObject } from '../kube/types.js';
import { APPLYSET_ID_LABEL, APPLYSET_TOOLING_ANNOTATION, parentAnnotations, parseGroupKinds, type ApplySetParent, APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_NAMESPACES_ANNOTATION } from '../model/applyset.js';
import { SlipwayError, hasErrors } from '../model/diagnostics.js';
import { formatKey, identityOf, type ResourceKey } from '../model/resource.js';
import { readLiveObjects } from '../plan/live.js';
import { FIELD_MANAGER } from '../plan/prepare.js';
import type { Change, Plan } from '../plan/types.js';
import { stale, type DesiredForPlan } from './desired.js';
import { assessHealth, timeoutFor, type HealthResult } from './health.js';
import { acquireLease, type HeldLease } from './lease.js';
import { planSteps, type Step } from './order.js';

export type ObjectState = 'applying' | 'applied' | 'deleting' | 'deleted' | 'waiting' | 'healthy' | 'failed' | 'skipped';
export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'refused';

export type ApplyEvent =
  | { readonly type: 'started'; readonly steps: number; readonly changes: number }
  | { readonly type: 'step-started'; readonly step: number; readonly wave: number; readonly phase: Step['phase']; readonly count: number }
  | { readonly type: 'object'; readonly key: ResourceKey; readonly state: ObjectState; readonly message?: string; readonly step: number }
  | { readonly type: 'message'; readonly text: string }
  | { readonly type: 'finished'; readonly status: RunStatus; readonly error?: string; readonly elapsedMs: number };

/** One object's outcome, reported as soon as it is known (history records it then). */
export interface ObjectResult {
  readonly key: ResourceKey;
  readonly action: Change['action'];
  readonly outcome: 'applied' | 'deleted' | 'healthy' | 'unhealthy' | 'timeout' | 'failed' | 'skipped';
  readonly message?: string;
  readonly step: number;
  readonly wave: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The live object before the change (for revert), and after. */
  readonly before?: KubeObject;
  readonly after?: KubeObject;
}

export interface ExecuteOptions {
  readonly plan: Plan;
  readonly desired: DesiredForPlan;
  readonly client: KubeClient;
  /** Take over fields other managers own (server-side apply force). Default false: a conflict fails the object with the manager's name. */
  readonly forceConflicts?: boolean;
  /** Overrides the per-kind wait timeouts. */
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: ApplyEvent) => void;
  readonly onObjectResult?: (r: ObjectResult) => void;
  /** Who holds the lease (default user@host/pid). */
  readonly holder?: string;
  /** Poll interval while waiting; default 1 s. */
  readonly pollMs?: number;
}

export interface ApplyResult {
  readonly status: RunStatus;
  readonly error?: string;
  readonly results: readonly ObjectResult[];
}

class StepFailed extends Error {}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Refuses plans that must not be applied: comparisons, plans with errors. */
export function checkApplicable(plan: Plan): void {
  if (plan.inputs.comparison) throw new SlipwayError('not-a-plan', 'this is a comparison, not a plan: it cannot be applied');
  if (!plan.inputs.cluster) throw new SlipwayError('not-a-plan', 'this plan names no cluster');
  if (plan.summary.error > 0 || hasErrors(plan.diagnostics)) throw new SlipwayError('plan-has-errors', `the plan has ${plan.summary.error + plan.diagnostics.filter((d) => d.severity === 'error').length} error(s): fix them and plan again`);
}

export async function executePlan(opts: ExecuteOptions): Promise<ApplyResult> {
  const started = Date.now();
  const emit = (e: ApplyEvent): void => opts.onEvent?.(e);
  const results: ObjectResult[] = [];
  const record = (r: ObjectResult): void => {
    results.push(r);
    opts.onObjectResult?.(r);
  };
  const finish = (status: RunStatus, error?: string): ApplyResult => {
    emit({ type: 'finished', status, ...(error !== undefined && { error }), elapsedMs: Date.now() - started });
    return { status, ...(error !== undefined && { error }), results };
  };

  const { plan, client } = opts;
  checkApplicable(plan);
  const [parentKind, parentNamespace, parentName] = plan.inputs.applySet.parent.split('/') as [string, string, string];
  const parent: ApplySetParent = { group: '', kind: parentKind as 'Secret', namespace: parentNamespace, name: parentName };
  let lease: HeldLease | undefined;
  // The lease lives next to the parent. If the plan creates the parent's namespace, nobody can hold a lease there yet:
  // take it right after the step that creates the namespace.
  const createsParentNamespace = plan.changes.some((c) => c.action === 'create' && c.key.group === '' && c.key.kind === 'Namespace' && c.key.name === parent.namespace);
  /** False when the parent's namespace does not exist yet (and this plan creates it). */
  const tryAcquireLease = async (): Promise<boolean> => {
    try {
      lease = await acquireLease(client, { namespace: parent.namespace, name: parent.name, ...(opts.holder !== undefined && { holder: opts.holder }) });
      return true;
    } catch (e) {
      if (createsParentNamespace && e instanceof KubeError && e.code === 'not-found') return false;
      throw e;
    }
  };
  let leasePending: boolean;
  try {
    leasePending = !(await tryAcquireLease());
  } catch (e) {
    if (e instanceof SlipwayError && e.code === 'apply-in-progress') return finish('refused', e.message);
    throw e;
  }
  try {
    // The live objects the freshness check read are also each object's "before" for history.
    let liveBefore: ReadonlyMap<string, KubeObject>;
    try {
      liveBefore = await checkFresh(plan, client);
    } catch (e) {
      if (e instanceof SlipwayError && e.code === 'plan-stale') return finish('refused', e.message);
      throw e;
    }
    const ordered = planSteps(plan.changes);
    const badOrder = ordered.diagnostics.filter((d) => d.severity === 'error');
    if (badOrder.length > 0) return finish('refused', `the apply order is unclear: ${badOrder.map((d) => d.message).join('; ')}`);
    const { steps } = ordered;
    emit({ type: 'started', steps: steps.length, changes: steps.reduce((n, s) => n + s.changes.length, 0) });
    const upserts = plan.changes.filter((c) => c.action !== 'delete' && c.action !== 'error').map((c) => c.key);
    // Before anything: the parent lists every group-kind and namespace the set will span (old and new), as kubectl does.
    // If the parent's namespace is created by this plan, the parent follows right after that step.
    let parentPending = !(await tryUpsertParent(client, parent, plan.inputs.applySet.id, { members: upserts, keepCurrent: true }));

    for (const [i, step] of steps.entries()) {
      if (opts.signal?.aborted) {
        for (const later of steps.slice(i)) for (const c of later.changes) record(skipped(c, later, 'cancelled before this step started'));
        return finish('cancelled', `cancelled before step ${i + 1} of ${steps.length}`);
      }
      emit({ type: 'step-started', step: step.index, wave: step.wave, phase: step.phase, count: step.changes.length });
      try {
        await runStep(step, opts, liveBefore, record, emit);
      } catch (e) {
        const message = e instanceof StepFailed || e instanceof SlipwayError ? e.message : String(e);
        for (const later of steps.slice(i + 1)) for (const c of later.changes) record(skipped(c, later, 'not started: an earlier step failed'));
        return finish('failed', `step ${i + 1} of ${steps.length} (wave ${step.wave}) failed: ${message}`);
      }
      if (leasePending) {
        try {
          leasePending = !(await tryAcquireLease());
        } catch (e) {
          if (!(e instanceof SlipwayError && e.code === 'apply-in-progress')) throw e;
          for (const later of steps.slice(i + 1)) for (const c of later.changes) record(skipped(c, later, 'not started: another apply holds the lease'));
          return finish('refused', e.message);
        }
      }
      if (step.changes.some((c) => c.key.group === 'apiextensions.k8s.io' && c.key.kind === 'CustomResourceDefinition')) invalidateCache(client, 'discovery');
      if (parentPending) parentPending = !(await tryUpsertParent(client, parent, plan.inputs.applySet.id, { members: upserts, keepCurrent: true }));
    }
    // Pruned objects are gone: the parent now lists exactly the desired set.
    await upsertParent(client, parent, plan.inputs.applySet.id, { members: upserts, keepCurrent: false });
    return finish('succeeded');
  } finally {
    await lease?.release();
  }
}

/** Refuses a plan the world has moved away from: other cluster, or an object it touches changed. */
async function checkFresh(plan: Plan, client: KubeClient): Promise<ReadonlyMap<string, KubeObject>> {
  const target = await resolveTarget(client, { refresh: true });
  const cluster = plan.inputs.cluster!;
  if (target.clusterUid !== cluster.uid) throw stale(`it was made for cluster ${cluster.context} (${cluster.server}, kube-system uid ${cluster.uid}), but context ${client.context} is ${target.server} (uid ${target.clusterUid})`);
  const touched = plan.changes.filter((c) => c.action !== 'noop' && c.action !== 'error');
  const live = await readLiveObjects(client, touched.map((c) => c.key));
  const moved: string[] = [];
  for (const c of touched) {
    const now = live.get(identityOf(c.key))?.metadata.resourceVersion;
    if (now !== c.liveResourceVersion) moved.push(`${formatKey(c.key)} ${c.liveResourceVersion === undefined ? 'now exists' : now === undefined ? 'was deleted' : 'changed'}`);
  }
  if (moved.length > 0) throw stale(moved.join(', '));
  return live;
}

function skipped(c: Change, step: Step, message: string): ObjectResult {
  const now = new Date().toISOString();
  return { key: c.key, action: c.action, outcome: 'skipped', message, step: step.index, wave: step.wave, startedAt: now, finishedAt: now };
}

async function runStep(step: Step, opts: ExecuteOptions, liveBefore: ReadonlyMap<string, KubeObject>, record: (r: ObjectResult) => void, emit: (e: ApplyEvent) => void): Promise<void> {
  const { client } = opts;
  const failures: string[] = [];
  await mapConcurrent(step.changes, opts.concurrency ?? DEFAULT_CONCURRENCY, async (change) => {
    const startedAt = new Date().toISOString();
    const base = { key: change.key, action: change.action, step: step.index, wave: step.wave, startedAt };
    const done = (r: Omit<ObjectResult, 'key' | 'action' | 'step' | 'wave' | 'startedAt' | 'finishedAt'>): void => {
      record({ ...base, ...r, finishedAt: new Date().toISOString() });
      if (r.outcome === 'failed' || r.outcome === 'unhealthy' || r.outcome === 'timeout') failures.push(`${formatKey(change.key)}: ${r.message ?? r.outcome}`);
    };
    const on = (state: ObjectState, message?: string): void => emit({ type: 'object', key: change.key, state, step: step.index, ...(message !== undefined && { message }) });
    const before = liveBefore.get(identityOf(change.key));
    try {
      if (change.action === 'delete') {
        on('deleting');
        await withRetry(() => client.delete(change.key, { propagationPolicy: 'Background', ...(change.liveResourceVersion && { preconditions: { resourceVersion: change.liveResourceVersion } }) }));
        const gone = await waitGone(client, change.key, opts);
        if (!gone) return done({ outcome: 'timeout', message: 'still present after the wait timeout (finalizers?)', ...(before && { before }) }), on('failed', 'not gone in time');
        on('deleted');
        return done({ outcome: 'deleted', ...(before && { before }) });
      }
      const settled = opts.desired.objects.get(identityOf(change.key));
      if (!settled) throw new SlipwayError('plan-stale', `${formatKey(change.key)} is not in the rendered revision any more`);
      if (change.action === 'replace') {
        on('deleting', 'replace: deleting the old object first');
        await withRetry(() => client.delete(change.key, { propagationPolicy: 'Foreground' }));
        if (!(await waitGone(client, change.key, opts))) throw new StepFailed(`${formatKey(change.key)}: the old object was not gone in time, so it could not be created again`);
      }
      on('applying');
      let after: KubeObject;
      try {
        after = await withRetry(() => client.apply(settled.manifest as KubeObject, { fieldManager: FIELD_MANAGER, ...(opts.forceConflicts && { force: true }) }));
      } catch (e) {
        if (e instanceof KubeError && e.code === 'conflict' && e.conflicts.length > 0) {
          const who = [...new Set(e.conflicts.map((c) => c.manager))].join(', ');
          const message = `conflict: ${e.conflicts.map((c) => c.field).join(', ')} managed by ${who}; apply again with force to take them over`;
          on('failed', message);
          return done({ outcome: 'failed', message, ...(before && { before }) });
        }
        throw e;
      }
      on('applied');
      on('waiting');
      const health = await waitHealthy(client, change.key, opts);
      if (health.status === 'healthy') {
        on('healthy', health.message);
        return done({ outcome: 'healthy', message: health.message, ...(before && { before }), after: health.object ?? after });
      }
      const outcome = health.status === 'degraded' ? 'unhealthy' : 'timeout';
      on('failed', health.message);
      return done({ outcome, message: health.message, ...(before && { before }), after: health.object ?? after });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      on('failed', message);
      return done({ outcome: 'failed', message, ...(before && { before }) });
    }
  });
  if (failures.length > 0) throw new StepFailed(failures.join('; '));
}

async function waitGone(client: KubeClient, key: ResourceKey, opts: ExecuteOptions): Promise<boolean> {
  const deadline = Date.now() + (opts.timeoutMs ?? timeoutFor(key, 'gone'));
  while (Date.now() < deadline) {
    if (!(await client.get(key))) return true;
    await sleep(opts.pollMs ?? 1000, opts.signal);
  }
  return false;
}

async function waitHealthy(client: KubeClient, key: ResourceKey, opts: ExecuteOptions): Promise<HealthResult & { object?: KubeObject }> {
  const deadline = Date.now() + (opts.timeoutMs ?? timeoutFor(key));
  for (;;) {
    const obj = await withRetry(() => client.get(key));
    const last: HealthResult & { object?: KubeObject } = obj ? { ...assessHealth(obj), object: obj } : { status: 'missing', message: 'the object is not there' };
    if (last.status === 'healthy' || last.status === 'degraded') return last;
    if (Date.now() >= deadline) return { ...last, message: `timed out after ${Math.round((opts.timeoutMs ?? timeoutFor(key)) / 1000)} s; last status: ${last.message}` };
    await sleep(opts.pollMs ?? 1000, opts.signal);
  }
}

const APPLYSET_PARENT_FIELD_MANAGER = 'kubectl-applyset';

/** False when the parent's namespace does not exist yet. */
async function tryUpsertParent(client: KubeClient, parent: ApplySetParent, id: string, opts: { members: readonly ResourceKey[]; keepCurrent: boolean }): Promise<boolean> {
  try {
    await upsertParent(client, parent, id, opts);
    return true;
  } catch (e) {
    if (e instanceof KubeError && e.code === 'not-found') return false;
    throw e;
  }
}

/** Creates or updates the ApplySet parent Secret the way kubectl maintains it. */
async function upsertParent(client: KubeClient, parent: ApplySetParent, id: string, opts: { members: readonly ResourceKey[]; keepCurrent: boolean }): Promise<void> {
  const key = { group: '', version: 'v1', kind: 'Secret', namespace: parent.namespace, name: parent.name };
  const current = await client.get(key);
  const annotations = (current?.metadata.annotations ?? {}) as Record<string, string>;
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  // kubectl refuses parents whose tooling is not "kubectl"; Slipway keeps that name so both can take turns.
  const ours = parentAnnotations(parent, opts.members, tooling?.startsWith('kubectl/') ? tooling : 'kubectl/v1.35');
  if (opts.keepCurrent) {
    const gks = new Set([...(ours[APPLYSET_GROUP_KINDS_ANNOTATION] ?? '').split(','), ...parseGroupKinds(annotations[APPLYSET_GROUP_KINDS_ANNOTATION]).map((g) => (g.group ? `${g.kind}.${g.group}` : g.kind))].filter(Boolean));
    ours[APPLYSET_GROUP_KINDS_ANNOTATION] = [...gks].sort().join(',');
    const nss = new Set([...(ours[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(','), ...(annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',')].filter(Boolean));
    if (nss.size > 0) ours[APPLYSET_NAMESPACES_ANNOTATION] = [...nss].sort().join(',');
  }
  const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: parent.name, namespace: parent.namespace, labels: { [APPLYSET_ID_LABEL]: id }, annotations: ours }, type: 'Opaque' };
  // kubectl writes the parent's ApplySet metadata as field manager "kubectl-applyset": use the same, so turns are quiet.
  await withRetry(() => client.apply(body, { fieldManager: APPLYSET_PARENT_FIELD_MANAGER, force: true }));
}
