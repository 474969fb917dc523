/**
 * The waits of an apply, as `kubectl wait` does them: after an upsert until the object's per-kind
 * health rule says healthy (or degraded), after a deletion until assessGone says it is gone, each
 * up to its kind's timeout, all objects of a step together.
 *
 * Sync result and health are separate, as in Argo CD: an object still progressing on something
 * outside the app (health/assess.ts OUTSIDE_WAITS: a load balancer's address) ends `progressing`
 * after that state's settle time instead of timing out, and fails nothing. The object's
 * `slipway.dev/wait` annotation (core/model/wait.ts), else the app's wait for its kind
 * (slipway.yaml options.wait, core/model/kind-waits.ts), says `strict` (no settling) or `applied`
 * (no wait at all).
 */
import { DEFAULT_CONCURRENCY, mapConcurrent } from '../kube/concurrency.js';
import { withRetry } from '../kube/retry.js';
import type { KubeObject } from '../kube/types.js';
import type { ClusterPort } from './cluster-port.js';
import { KubeError } from '../kube/errors.js';
import { describeWait, resolveWaitMode } from '../model/kind-waits.js';
import type { WaitMode } from '../model/wait.js';
import { assessGone, assessHealth, outsideWaitOf, type HealthContext, type HealthResult, type VolumeBindingMode } from './health/assess.js';
import { PodReasonReader } from './pod-reasons-reader.js';
import type { ApplyTask } from './task.js';

export interface WaitSettings {
  /** The longest pause between two health reads; default 1 s. */
  readonly pollMs?: number;
  /** Reads in flight at once. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** How often a waited-for workload's Pods are read for why it is not ready; default 5 s (REASON_EVERY_MS). */
  readonly reasonEveryMs?: number;
}

/** Resolves after `ms`, or at once when `signal` aborts; never leaves a listener behind. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
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

/**
 * The pause before the next health read, after `waitedMs` of waiting: 100 ms plus a twentieth of
 * the wait so far, at most `maxMs`. An object that becomes healthy is seen within ~5 % of the
 * time it took (a rollout of 2 s is seen within ~200 ms, where doubling pauses could miss it by a
 * second), while a long wait settles at one read per `maxMs`.
 */
export function pollInterval(waitedMs: number, maxMs: number): number {
  return Math.min(maxMs, 100 + Math.round(Math.max(0, waitedMs) / 20));
}

/** The deleted object's uid: another object of the same name is a new one, so the old one is gone. */
const goneOptions = (task: ApplyTask): { uid?: string } => (task.before?.metadata.uid !== undefined ? { uid: task.before.metadata.uid } : {});

interface TaskWaitMode {
  readonly mode: WaitMode;
  /** What decided it, for an `applied` result: "slipway.dev/wait: applied", "the app's wait for Service: applied". */
  readonly why: string;
  /** For a bad annotation value, the words added to its result. */
  readonly problem?: string;
}

/** An upsert's wait mode, read once per task. */
const waitModes = new WeakMap<ApplyTask, TaskWaitMode>();

/**
 * The `slipway.dev/wait` of the object as it was applied (the apply answer), else as read now;
 * without one (or with a bad value), the app's wait for its kind; else `healthy`.
 */
export function waitModeOf(task: ApplyTask, obj: KubeObject | null): TaskWaitMode {
  let known = waitModes.get(task);
  if (!known) {
    const annotations: unknown = (task.after ?? obj ?? undefined)?.metadata.annotations;
    const resolved = resolveWaitMode(typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>) : undefined, task.key, task.appWaits);
    known = { mode: resolved.mode, why: describeWait(resolved), ...(resolved.diagnostic && { problem: resolved.diagnostic.message }) };
    waitModes.set(task, known);
  }
  return known;
}

/** How long the task has waited (since waitUntil). */
const waitedMs = (task: ApplyTask): number => (task.wait ? Date.now() - (task.wait.deadline - task.wait.timeoutMs) : 0);

/**
 * When a progressing object stops being waited for: OUTSIDE_WAITS' settle time for what it waits
 * on, or its own timeout if that is shorter; undefined when it is waited for to the end (it waits
 * on nothing outside the app, or its wait mode is `strict`).
 */
export function settleAfterMs(task: ApplyTask, health: HealthResult, mode: WaitMode): number | undefined {
  if (health.status !== 'progressing' || health.waitsOn === undefined || mode !== 'healthy') return undefined;
  return Math.min(outsideWaitOf(health.waitsOn).settleSeconds * 1000, task.wait?.timeoutMs ?? Number.POSITIVE_INFINITY);
}

/** "30", "0.2": whole seconds, with a tenth under ten seconds (short timeouts given with --timeout). */
const secondsText = (ms: number): string => (ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10));

/** "waiting for the load balancer to get an address (no load-balancer controller answered in 30 s)" */
function progressingMessage(health: HealthResult, afterMs: number): string {
  const row = health.waitsOn === undefined ? undefined : outsideWaitOf(health.waitsOn);
  return row ? `${health.message} (${row.noAnswer} in ${secondsText(afterMs)} s)` : health.message;
}

/** "ProgressDeadlineExceeded: … progressing; 3 Pods Pending: …": a message and why its Pods say it is so. */
export const withWhy = (message: string, why: string | undefined): string => (why ? `${message.replace(/\.$/, '')}; ${why}` : message);

/** Records the task's result when `obj` (null: absent) ends its wait; true if it did. `why`: what its Pods say, added to a failure. */
export function settle(task: ApplyTask, obj: KubeObject | null, ctx: HealthContext = {}, why?: string): boolean {
  if (task.wait?.waitFor === 'gone') {
    if (assessGone(obj ?? undefined, goneOptions(task)).status !== 'healthy') return false;
    task.report('deleted');
    task.complete('deleted');
    return true;
  }
  const { mode, why: decidedBy, problem } = waitModeOf(task, obj);
  const withProblem = (message: string): string => (problem ? `${message}; ${problem}` : message);
  if (mode === 'applied') {
    const message = withProblem(`not waited for (${decidedBy})`);
    task.report('applied', message);
    task.complete('applied', { message, after: obj ?? task.after });
    return true;
  }
  const health: HealthResult & { readonly object?: KubeObject } = obj ? { ...assessHealth(obj, ctx), object: obj } : { status: 'missing', message: 'the object is not there' };
  task.last = health;
  if (health.status === 'healthy') {
    task.report('healthy', withProblem(health.message));
    task.complete('healthy', { message: withProblem(health.message), after: health.object ?? task.after });
    return true;
  }
  if (health.status === 'degraded') {
    const message = withProblem(withWhy(health.message, why));
    task.report('failed', message);
    task.complete('unhealthy', { message, after: health.object ?? task.after });
    return true;
  }
  const settleMs = settleAfterMs(task, health, mode);
  if (settleMs !== undefined && waitedMs(task) >= settleMs) {
    const message = withProblem(progressingMessage(health, settleMs));
    task.report('progressing', message);
    task.complete('progressing', { message, after: health.object ?? task.after });
    return true;
  }
  return false;
}

/** The wait was cancelled: the object was sent, so it is applied (or being deleted); its health is not known. */
function cancelWait(task: ApplyTask): void {
  const gone = task.wait?.waitFor === 'gone';
  const message = gone ? 'cancelled while waiting for it to be gone' : 'cancelled while waiting for it to become healthy';
  task.report(gone ? 'deleting' : 'applied', message);
  task.complete(gone ? 'deleted' : 'applied', { message, after: task.last?.object ?? task.after });
}

function timeOut(task: ApplyTask, why?: string): void {
  const seconds = Math.round((task.wait?.timeoutMs ?? 0) / 1000);
  if (task.wait?.waitFor === 'gone') {
    task.report('failed', 'not gone in time');
    task.complete('timeout', { message: `still present after ${seconds} s (finalizers?)` });
  } else {
    const problem = waitModes.get(task)?.problem;
    const message = `${withWhy(`timed out after ${seconds} s; last status: ${task.last?.message ?? 'unknown'}`, why)}${problem ? `; ${problem}` : ''}`;
    task.report('failed', message);
    task.complete('timeout', { message, after: task.last?.object ?? task.after });
  }
}

/**
 * Polls until every waiting task is healthy (or gone), degraded, past its deadline, or the run
 * is cancelled. Each round reads each kind-and-namespace once: a LIST when several objects of it
 * are waiting, else a GET. The first round reads at once; the pause before each later round grows
 * with the wait (pollInterval), up to `pollMs` (default 1 s).
 */
export async function waitTogether(cluster: ClusterPort, waiting: readonly ApplyTask[], settings: WaitSettings): Promise<void> {
  const maxInterval = settings.pollMs ?? 1000;
  const since = Date.now();
  const ctx = await healthContext(cluster, waiting);
  const reasons = new PodReasonReader(cluster, settings.reasonEveryMs);
  let pending = waiting;
  let round = 0;
  while (pending.length > 0) {
    if (settings.signal?.aborted) {
      for (const task of pending) cancelWait(task);
      return;
    }
    // The first read goes out at once: at the end of a wave most objects were sent long ago.
    if (round++ > 0) await sleep(pollInterval(Date.now() - since, maxInterval), settings.signal);
    if (settings.signal?.aborted) continue;
    const groups = new Map<string, ApplyTask[]>();
    for (const task of pending) {
      const k = task.key;
      const id = `${k.group}|${k.version}|${k.kind}|${k.namespace ?? ''}`;
      const group = groups.get(id);
      if (group) group.push(task);
      else groups.set(id, [task]);
    }
    await mapConcurrent([...groups.values()], settings.concurrency ?? DEFAULT_CONCURRENCY, async (group) => {
      const read = await readGroup(cluster, group);
      for (const task of group) {
        const obj = read.get(task.key.name) ?? null;
        // The wait ends badly now: its Pods are read once more, so the result says why as it is now.
        if (PodReasonReader.explains(task) && reasons.olderThan(task, FRESH_REASON_MS) && endsBadly(task, obj, ctx)) await reasons.read([{ task, obj }]);
        // A hook's failure is told with its Pod's state and log by its step (hook-step.ts).
        const why = task.step.hooks ? undefined : reasons.of(task);
        if (settle(task, obj, ctx, why)) continue;
        if (Date.now() >= (task.wait?.deadline ?? 0)) timeOut(task, why);
      }
    });
    pending = pending.filter((task) => !task.done);
    const due = pending.filter((task) => reasons.due(task));
    if (due.length > 0 && !settings.signal?.aborted) {
      await reasons.read(due.map((task) => ({ task, obj: task.last?.object ?? null })));
      for (const task of due) reportWaiting(task, reasons.of(task));
    }
  }
}

/** A reason read this recently is still the one told when the wait ends. */
const FRESH_REASON_MS = 1000;

/** The last `waiting` message each task sent: a message goes out only when it says something new. */
const lastWaiting = new WeakMap<ApplyTask, string>();

/** "0 of 4 replicas available; 4 Pods Pending: …": the task's health and its Pods' reason, live, when it changed. */
function reportWaiting(task: ApplyTask, why: string | undefined): void {
  if (task.done || task.wait?.waitFor !== 'healthy' || !task.last) return;
  const message = withWhy(task.last.message, why);
  if (lastWaiting.get(task) === message) return;
  lastWaiting.set(task, message);
  task.report('waiting', message);
}

/** Whether this read ends the task's wait as a failure: degraded, or past its deadline. */
function endsBadly(task: ApplyTask, obj: KubeObject | null, ctx: HealthContext): boolean {
  if (Date.now() >= (task.wait?.deadline ?? 0)) return true;
  return obj !== null && waitModeOf(task, obj).mode !== 'applied' && assessHealth(obj, ctx).status === 'degraded';
}

const STORAGE_CLASS = { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' } as const;

/**
 * What the health rules need besides the object: a claim waits for its first consumer when its
 * StorageClass binds so (WaitForFirstConsumer), so the classes are read once when claims are waited
 * for. Without permission to read them, the claim rule decides from the claim alone.
 */
async function healthContext(cluster: ClusterPort, waiting: readonly ApplyTask[]): Promise<HealthContext> {
  if (!waiting.some((t) => t.key.group === '' && t.key.kind === 'PersistentVolumeClaim' && t.wait?.waitFor !== 'gone')) return {};
  try {
    const classes = await withRetry(() => cluster.list(STORAGE_CLASS));
    const modes: Record<string, VolumeBindingMode> = {};
    for (const c of classes) {
      const mode = (c as { volumeBindingMode?: unknown }).volumeBindingMode;
      modes[c.metadata.name] = mode === 'WaitForFirstConsumer' ? 'WaitForFirstConsumer' : 'Immediate';
    }
    return { storageClassBindingModes: modes };
  } catch (e) {
    if (e instanceof KubeError && (e.code === 'forbidden' || e.code === 'not-found')) return {};
    throw e;
  }
}

/** The group's objects by name: one LIST of the kind in the namespace for several objects, a GET for one. */
async function readGroup(cluster: ClusterPort, group: readonly ApplyTask[]): Promise<ReadonlyMap<string, KubeObject>> {
  const first = group[0]!.key;
  if (group.length === 1) {
    const obj = await withRetry(() => cluster.get(first));
    return new Map(obj ? [[first.name, obj]] : []);
  }
  const items = await withRetry(() => cluster.list(first, { ...(first.namespace !== undefined && { namespace: first.namespace }) }));
  return new Map(items.map((o) => [o.metadata.name, o]));
}

/** A replace: polls until the old object is gone (true), or `timeoutMs` has passed (false). */
export async function waitGone(cluster: ClusterPort, task: ApplyTask, timeoutMs: number, settings: WaitSettings): Promise<boolean> {
  const since = Date.now();
  const deadline = since + timeoutMs;
  while (Date.now() < deadline) {
    if (assessGone((await cluster.get(task.key)) ?? undefined, goneOptions(task)).status === 'healthy') return true;
    await sleep(pollInterval(Date.now() - since, settings.pollMs ?? 1000), settings.signal);
  }
  return false;
}
