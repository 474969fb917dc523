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
import { withRetry, type RetryOptions } from '../kube/retry.js';
import { invalidateCache, resolveTarget } from '../kube/target.js';
import type { KubeObject } from '../kube/types.js';
import { APPLYSET_ID_LABEL, APPLYSET_TOOLING_ANNOTATION, parentAnnotations, parseGroupKinds, type ApplySetParent, APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_NAMESPACES_ANNOTATION, originAnnotations, parseParentRef } from '../model/applyset.js';
import { retireAdopted } from './adopted.js';
import { SlipwayError, hasErrors } from '../model/diagnostics.js';
import type { FinishStatus, ObjectOutcome, ObjectState } from '../model/run.js';
import { formatKey, identityOf, type ResourceKey } from '../model/resource.js';
import { readLiveObjects } from '../plan/live.js';
import { FIELD_MANAGER } from '../plan/prepare.js';
import type { Change, Plan } from '../plan/types.js';
import { stale, type DesiredForPlan } from './desired.js';
import { assessHealth, timeoutFor, type HealthResult } from './health/assess.js';
import { acquireLease, type HeldLease } from './lease.js';
import { factsFromChange, factsFromObject, PHASE_OF_ACTION, planSteps, type Step } from './order.js';

export type { ObjectState } from '../model/run.js';
/** How an apply ends, as its own process decides. */
export type RunStatus = FinishStatus;

export type ApplyEvent =
  | { readonly type: 'started'; readonly steps: number; readonly changes: number }
  | { readonly type: 'step-started'; readonly step: number; readonly wave: number; readonly phase: Step['phase']; readonly group: Step['group']; readonly early?: true; readonly count: number }
  | { readonly type: 'object'; readonly key: ResourceKey; readonly state: ObjectState; readonly message?: string; readonly step: number }
  | { readonly type: 'message'; readonly text: string }
  | { readonly type: 'finished'; readonly status: RunStatus; readonly error?: string; readonly elapsedMs: number };

/** One object's outcome, reported as soon as it is known (history records it then). */
export interface ObjectResult {
  readonly key: ResourceKey;
  readonly action: Change['action'];
  /**
   * `applied`: the server accepted the write; when the step failed, its health was not (or could not be) checked.
   * `unknown`: the write was sent but no answer came, so it may or may not have been carried out (plan again to see).
   */
  readonly outcome: Exclude<ObjectOutcome, 'unchanged'>;
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
  /** Who applies, as the cluster knows them: recorded on the ApplySet parent. */
  readonly appliedBy?: string;
}

export interface ApplyResult {
  readonly status: RunStatus;
  readonly error?: string;
  readonly results: readonly ObjectResult[];
}

class StepFailed extends Error {}

/** Tries per API call (the first included), as withRetry's default. */
const ATTEMPTS = 4;

/** Failures that make the whole cluster unusable for now: objects not started yet are skipped rather than tried. */
const CLUSTER_DOWN: ReadonlySet<string> = new Set(['cluster-unreachable', 'tls-error', 'credentials-error', 'unauthorized']);

/** withRetry options that report each retry as an apply message (429 and 5xx answers, broken connections). */
function reportingRetries(emit: (e: ApplyEvent) => void, what: string, signal?: AbortSignal): RetryOptions {
  return {
    attempts: ATTEMPTS,
    ...(signal && { signal }),
    onRetry: ({ attempt, delayMs, error }) =>
      emit({ type: 'message', text: `${what}: ${error instanceof Error ? error.message : String(error)}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${ATTEMPTS})` }),
  };
}

/** Resolves after `ms`, or at once when `signal` aborts; never leaves a listener behind. */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
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
  const parent = parseParentRef(plan.inputs.applySet.parent);
  const origin = parentRecord(plan, opts.appliedBy);
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
  // When the plan creates that namespace it does not exist yet (else the plan is stale, which the freshness check
  // refuses before anything is written): the lease is taken after the namespace step, without a doomed attempt now.
  let leasePending = createsParentNamespace;
  try {
    if (!leasePending) leasePending = !(await tryAcquireLease());
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
    // Upserts are ordered by the manifests about to be sent (already read, and checked against the plan's hashes); deletions by the plan's YAML.
    const ordered = planSteps(plan.changes, {
      factsOf: (c) => {
        const sent = PHASE_OF_ACTION[c.action] === 'upsert' ? opts.desired.objects.get(identityOf(c.key))?.manifest : undefined;
        return sent ? factsFromObject(c.key, sent) : factsFromChange(c);
      },
    });
    const badOrder = ordered.diagnostics.filter((d) => d.severity === 'error');
    if (badOrder.length > 0) return finish('refused', `the apply order is unclear: ${badOrder.map((d) => d.message).join('; ')}`);
    const { steps } = ordered;
    emit({ type: 'started', steps: steps.length, changes: steps.reduce((n, s) => n + s.changes.length, 0) });
    const upserts = plan.changes.filter((c) => c.action !== 'delete' && c.action !== 'error').map((c) => c.key);
    // Before anything: the parent lists every group-kind and namespace the set will span (old and new), as kubectl does.
    // If the parent's namespace is created by this plan, the parent follows right after that step.
    let parentPending = createsParentNamespace || !(await tryUpsertParent(client, parent, plan.inputs.applySet.id, { members: upserts, keepCurrent: true, record: origin }));

    let wave: WaveState = { waiting: [], failures: [] };
    for (const [i, step] of steps.entries()) {
      if (i > 0 && (steps[i - 1]!.wave !== step.wave || steps[i - 1]!.phase !== step.phase)) wave = { waiting: [], failures: [] };
      if (opts.signal?.aborted) {
        await waitTogether(client, wave.waiting, opts); // records what the wave still waited for as cancelled while waiting
        for (const later of steps.slice(i)) for (const c of later.changes) record(skipped(c, later, 'cancelled before this step started'));
        return finish('cancelled', `cancelled before step ${i + 1} of ${steps.length}`);
      }
      emit({ type: 'step-started', step: step.index, wave: step.wave, phase: step.phase, group: step.group, ...(step.early && { early: step.early }), count: step.changes.length });
      try {
        await runStep(step, opts, liveBefore, record, emit, wave, settlesNow(steps, i));
      } catch (e) {
        if (e instanceof StepCancelled) {
          for (const later of steps.slice(i + 1)) for (const c of later.changes) record(skipped(c, later, 'cancelled before this step started'));
          return finish('cancelled', `cancelled during step ${i + 1} of ${steps.length}`);
        }
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
      if (parentPending) parentPending = !(await tryUpsertParent(client, parent, plan.inputs.applySet.id, { members: upserts, keepCurrent: true, record: origin }));
    }
    // Pruned objects are gone: the parent now lists exactly the desired set.
    await upsertParent(client, parent, plan.inputs.applySet.id, { members: upserts, keepCurrent: false, record: undefined });
    // Sets this plan took over: gone when nothing is left in them, else marked as taken over by this app's.
    for (const adopted of plan.inputs.applySet.adopts ?? []) {
      if (adopted.parent !== plan.inputs.applySet.parent) await retireAdopted(client, parseParentRef(adopted.parent), adopted.id, plan.inputs.applySet.parent);
    }
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

/** The step was cancelled while its objects were being sent or waited for. */
class StepCancelled extends Error {}

/** One object of a step that was sent and is now waited for (healthy after an upsert, gone after a delete). */
interface Waiting {
  readonly change: Change;
  readonly waitFor: 'healthy' | 'gone';
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  readonly done: (r: Omit<ObjectResult, 'key' | 'action' | 'step' | 'wave' | 'startedAt' | 'finishedAt'>) => void;
  readonly on: (state: ObjectState, message?: string) => void;
  last?: HealthResult & { object?: KubeObject };
  settled?: boolean;
}

function finishWaiting(w: Waiting, r: Parameters<Waiting['done']>[0]): void {
  w.settled = true;
  w.done(r);
}

/**
 * One step in two phases, as `kubectl apply` + `kubectl wait` do it: first every change is sent
 * (bounded concurrency), then all sent objects are waited for together — one poll per kind and
 * namespace rather than one per object, starting fast and slowing down — so a step costs about
 * its slowest object, not the sum of its waits. An object the apply answer already shows healthy
 * (ConfigMaps, RBAC, Services…) needs no further read.
 */
async function runStep(step: Step, opts: ExecuteOptions, liveBefore: ReadonlyMap<string, KubeObject>, record: (r: ObjectResult) => void, emit: (e: ApplyEvent) => void, wave: WaveState, settleNow: boolean): Promise<void> {
  const { client } = opts;
  const { failures } = wave;
  const waiting = wave.waiting;
  /** Set when the cluster stopped answering: objects of this step not sent yet are skipped, not tried. */
  let clusterDown: string | undefined;
  await mapConcurrent(step.changes, opts.concurrency ?? DEFAULT_CONCURRENCY, async (change) => {
    const startedAt = new Date().toISOString();
    const base = { key: change.key, action: change.action, step: step.index, wave: step.wave, startedAt };
    /** `stepFails`: the object did not end well although its outcome is no failure (applied, health unknown). */
    const done = (r: Omit<ObjectResult, 'key' | 'action' | 'step' | 'wave' | 'startedAt' | 'finishedAt'>, stepFails = false): void => {
      record({ ...base, ...r, finishedAt: new Date().toISOString() });
      if (stepFails || r.outcome === 'failed' || r.outcome === 'unhealthy' || r.outcome === 'timeout' || r.outcome === 'unknown') failures.push(`${formatKey(change.key)}: ${r.message ?? r.outcome}`);
    };
    const on = (state: ObjectState, message?: string): void => emit({ type: 'object', key: change.key, state, step: step.index, ...(message !== undefined && { message }) });
    const before = liveBefore.get(identityOf(change.key));
    if (opts.signal?.aborted) return done({ outcome: 'skipped', message: 'cancelled before it was sent', ...(before && { before }) });
    if (clusterDown !== undefined) {
      const message = `not sent: ${clusterDown}`;
      on('skipped', message);
      return done({ outcome: 'skipped', message, ...(before && { before }) });
    }
    /** The write may have been carried out although it failed: some attempt got no answer. */
    let maybeCarriedOut = false;
    /** The object as the server answered the apply: it is applied, whatever happens next. */
    let applied: KubeObject | undefined;
    const write = <T>(verb: string, call: () => Promise<T>): Promise<T> =>
      withRetry(async () => {
        try {
          return await call();
        } catch (e) {
          if (e instanceof KubeError && e.mayHaveTakenEffect) maybeCarriedOut = true;
          throw e;
        }
      }, reportingRetries(emit, `${verb} ${formatKey(change.key)}`, opts.signal));
    try {
      if (change.action === 'delete') {
        on('deleting');
        await write('delete', () => client.delete(change.key, { propagationPolicy: 'Background', ...(change.liveResourceVersion && { preconditions: { resourceVersion: change.liveResourceVersion } }) }));
        const timeoutMs = opts.timeoutMs ?? timeoutFor(change.key, 'gone');
        waiting.push({ change, waitFor: 'gone', deadline: Date.now() + timeoutMs, timeoutMs, done, on, ...(before && { before }) });
        return;
      }
      const settled = opts.desired.objects.get(identityOf(change.key));
      if (!settled) throw new SlipwayError('plan-stale', `${formatKey(change.key)} is not in the rendered revision any more`);
      if (change.action === 'replace') {
        on('deleting', 'replace: deleting the old object first');
        await write('delete', () => client.delete(change.key, { propagationPolicy: 'Foreground' }));
        // The old object is being deleted: from here on, a failure leaves it in an unknown state.
        maybeCarriedOut = true;
        if (!(await waitGone(client, change.key, opts))) throw new StepFailed(`${formatKey(change.key)}: the old object was not gone in time, so it could not be created again`);
      }
      on('applying');
      let after: KubeObject;
      try {
        after = await write('patch', () => client.apply(settled.manifest as KubeObject, { fieldManager: FIELD_MANAGER, ...(opts.forceConflicts && { force: true }) }));
        applied = after;
      } catch (e) {
        if (e instanceof KubeError && e.code === 'conflict' && e.conflicts.length > 0) {
          const who = [...new Set(e.conflicts.map((c) => c.manager))].join(', ');
          const message = `conflict: ${e.conflicts.map((c) => c.field).join(', ')} managed by ${who}; apply again taking over these fields (--force-conflicts, or "Take over these fields" in the app) or remove them from the manifest`;
          on('failed', message);
          return done({ outcome: 'failed', message, ...(before && { before }) });
        }
        throw e;
      }
      on('applied');
      const timeoutMs = opts.timeoutMs ?? timeoutFor(change.key);
      const w: Waiting = { change, waitFor: 'healthy', deadline: Date.now() + timeoutMs, timeoutMs, done, on, ...(before && { before }), after };
      // The apply answer is the object as stored: if it is healthy already, there is nothing to wait for.
      if (settleWaiting(w, after)) return;
      on('waiting');
      waiting.push(w);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof KubeError && CLUSTER_DOWN.has(e.code)) clusterDown ??= `the cluster stopped answering (${message})`;
      if (applied) {
        // The server took the change: it is applied, and why its health is not known is said.
        const text = `applied, but its health could not be checked: ${message}`;
        on('applied', text);
        return done({ outcome: 'applied', message: text, ...(before && { before }), after: applied }, true);
      }
      if (maybeCarriedOut) {
        const text = `no answer from the API server, so the ${change.action === 'delete' ? 'deletion' : 'change'} may or may not have been made: ${message}; plan again to see the object as it is`;
        on('unknown', text);
        return done({ outcome: 'unknown', message: text, ...(before && { before }) });
      }
      on('failed', message);
      return done({ outcome: 'failed', message, ...(before && { before }) });
    }
  });
  // Later kind groups of the same wave go ahead while these objects become healthy (as Argo CD does within a wave).
  if (!settleNow && failures.length === 0 && !opts.signal?.aborted) return;
  try {
    await waitTogether(client, waiting, opts);
  } catch (e) {
    // The wait could not read the cluster (it went away): the objects sent are applied (or being deleted), their health unknown.
    const message = e instanceof Error ? e.message : String(e);
    for (const w of waiting) {
      if (w.settled) continue;
      const { before } = w;
      if (w.waitFor === 'gone') {
        const text = `deletion accepted, but whether it is gone could not be checked: ${message}`;
        w.on('unknown', text);
        finishWaiting(w, { outcome: 'unknown', message: text, ...(before && { before }) });
      } else {
        const text = `applied, but its health could not be checked: ${message}`;
        w.on('applied', text);
        finishWaiting(w, { outcome: 'applied', message: text, ...(before && { before }), ...(w.last?.object ? { after: w.last.object } : w.after && { after: w.after }) });
        failures.push(`${formatKey(w.change.key)}: ${text}`);
      }
    }
  }
  waiting.length = 0;
  if (opts.signal?.aborted && failures.length === 0) throw new StepCancelled('cancelled');
  if (failures.length > 0) throw new StepFailed(failures.join('; '));
}

/** What the steps of one wave share: objects still waited for, and what went wrong so far. */
interface WaveState {
  readonly waiting: Waiting[];
  readonly failures: string[];
}

/**
 * Kind groups whose objects later groups of the same wave need served, not just sent: a CRD must
 * be established before its custom resources, an APIService available before what it serves.
 * Deletions wait step by step too. Every other step's health wait joins the end of its wave.
 */
const WAIT_BEFORE_NEXT_GROUP: ReadonlySet<Step['group']> = new Set(['namespaces', 'crds', 'apiservices']);

function settlesNow(steps: readonly Step[], i: number): boolean {
  const step = steps[i]!;
  const next = steps[i + 1];
  return !next || next.wave !== step.wave || next.phase !== step.phase || step.phase === 'delete' || WAIT_BEFORE_NEXT_GROUP.has(step.group);
}

/** Records the object's result when `obj` (null: absent) settles its wait; true if it did. */
function settleWaiting(w: Waiting, obj: KubeObject | null): boolean {
  const { before, after } = w;
  if (w.waitFor === 'gone') {
    if (obj) return false;
    w.on('deleted');
    finishWaiting(w, { outcome: 'deleted', ...(before && { before }) });
    return true;
  }
  const health: HealthResult & { object?: KubeObject } = obj ? { ...assessHealth(obj), object: obj } : { status: 'missing', message: 'the object is not there' };
  w.last = health;
  if (health.status === 'healthy') {
    w.on('healthy', health.message);
    finishWaiting(w, { outcome: 'healthy', message: health.message, ...(before && { before }), after: health.object ?? after });
    return true;
  }
  if (health.status === 'degraded') {
    w.on('failed', health.message);
    finishWaiting(w, { outcome: 'unhealthy', message: health.message, ...(before && { before }), after: health.object ?? after });
    return true;
  }
  return false;
}

/**
 * The pause before the next health read, after `waitedMs` of waiting: 100 ms plus a twentieth of
 * the wait so far, at most `maxMs`. An object that becomes healthy is seen within ~5 % of the
 * time it took (a rollout of 2 s is seen within ~200 ms, where doubling pauses could miss it by a
 * second), while a long wait settles at one read per `maxMs`.
 */
export function pollInterval(waitedMs: number, maxMs: number): number {
  return Math.min(maxMs, 100 + Math.round(Math.max(0, waitedMs) / 20));
}

/**
 * Polls until every waiting object is healthy (or gone), degraded, past its deadline, or the run
 * is cancelled. Each round reads each kind-and-namespace once: a LIST when several objects of it
 * are waiting, else a GET. The first round reads at once; the pause before each later round grows
 * with the wait (pollInterval), up to `pollMs` (default 1 s).
 */
async function waitTogether(client: KubeClient, waiting: Waiting[], opts: ExecuteOptions): Promise<void> {
  const maxInterval = opts.pollMs ?? 1000;
  const since = Date.now();
  let pending = waiting;
  let round = 0;
  while (pending.length > 0) {
    if (opts.signal?.aborted) {
      for (const w of pending) {
        const message = w.waitFor === 'gone' ? 'cancelled while waiting for it to be gone' : 'cancelled while waiting for it to become healthy';
        w.on(w.waitFor === 'gone' ? 'deleting' : 'applied', message);
        finishWaiting(w, { outcome: w.waitFor === 'gone' ? 'deleted' : 'applied', message, ...(w.before && { before: w.before }), ...(w.last?.object ? { after: w.last.object } : w.after && { after: w.after }) });
      }
      return;
    }
    // The first read goes out at once: at the end of a wave most objects were sent long ago.
    if (round++ > 0) await sleep(pollInterval(Date.now() - since, maxInterval), opts.signal);
    if (opts.signal?.aborted) continue;
    const groups = new Map<string, Waiting[]>();
    for (const w of pending) {
      const k = w.change.key;
      const id = `${k.group}|${k.version}|${k.kind}|${k.namespace ?? ''}`;
      const group = groups.get(id);
      if (group) group.push(w);
      else groups.set(id, [w]);
    }
    await mapConcurrent([...groups.values()], opts.concurrency ?? DEFAULT_CONCURRENCY, async (group) => {
      const read = await readGroup(client, group);
      for (const w of group) {
        if (settleWaiting(w, read.get(w.change.key.name) ?? null)) continue;
        if (Date.now() < w.deadline) continue;
        const seconds = Math.round(w.timeoutMs / 1000);
        if (w.waitFor === 'gone') {
          w.on('failed', 'not gone in time');
          finishWaiting(w, { outcome: 'timeout', message: `still present after ${seconds} s (finalizers?)`, ...(w.before && { before: w.before }) });
        } else {
          const message = `timed out after ${seconds} s; last status: ${w.last?.message ?? 'unknown'}`;
          w.on('failed', message);
          finishWaiting(w, { outcome: 'timeout', message, ...(w.before && { before: w.before }), after: w.last?.object ?? (w.after as KubeObject) });
        }
      }
    });
    pending = pending.filter((w) => !w.settled);
  }
}

/** The group's objects by name: one LIST of the kind in the namespace for several objects, a GET for one. */
async function readGroup(client: KubeClient, group: readonly Waiting[]): Promise<ReadonlyMap<string, KubeObject>> {
  const first = group[0]!.change.key;
  if (group.length === 1) {
    const obj = await withRetry(() => client.get(first));
    return new Map(obj ? [[first.name, obj]] : []);
  }
  const resource = await client.resourceFor(first);
  const items = await withRetry(() => client.list(resource, { ...(first.namespace !== undefined && { namespace: first.namespace }) }));
  return new Map(items.map((o) => [o.metadata.name, o]));
}

async function waitGone(client: KubeClient, key: ResourceKey, opts: ExecuteOptions): Promise<boolean> {
  const since = Date.now();
  const deadline = since + (opts.timeoutMs ?? timeoutFor(key, 'gone'));
  while (Date.now() < deadline) {
    if (!(await client.get(key))) return true;
    await sleep(pollInterval(Date.now() - since, opts.pollMs ?? 1000), opts.signal);
  }
  return false;
}

const APPLYSET_PARENT_FIELD_MANAGER = 'kubectl-applyset';

/** What the parent records about the app and this apply (absent for plans of Slipway 0.1, which carry no identity). */
function parentRecord(plan: Plan, appliedBy: string | undefined): Record<string, string> | undefined {
  const identity = plan.inputs.applySet.identity;
  if (!identity) return undefined;
  return originAnnotations(identity, { repository: plan.inputs.repo, commit: plan.inputs.commit, user: appliedBy ?? 'unknown', at: new Date().toISOString() });
}

/** False when the parent's namespace does not exist yet. */
async function tryUpsertParent(client: KubeClient, parent: ApplySetParent, id: string, opts: ParentUpsert): Promise<boolean> {
  try {
    await upsertParent(client, parent, id, opts);
    return true;
  } catch (e) {
    if (e instanceof KubeError && e.code === 'not-found') return false;
    throw e;
  }
}

interface ParentUpsert {
  readonly members: readonly ResourceKey[];
  /** Keep the group-kinds and namespaces the parent lists now (before prune has run). */
  readonly keepCurrent: boolean;
  /** The app's origin annotations. */
  readonly record: Record<string, string> | undefined;
}

/** Creates or updates the ApplySet parent Secret the way kubectl maintains it. */
async function upsertParent(client: KubeClient, parent: ApplySetParent, id: string, opts: ParentUpsert): Promise<void> {
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
  // The app's origin under Slipway's own manager, so a kubectl turn (which re-applies only its own fields) keeps it.
  const record = opts.record;
  if (record) await withRetry(() => client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: parent.name, namespace: parent.namespace, annotations: record } }, { fieldManager: FIELD_MANAGER, force: true }));
}
