/**
 * One step of an apply in two phases, as `kubectl apply` + `kubectl wait` do it: first every task
 * is sent (bounded concurrency), then the sent objects are waited for together — one poll per kind
 * and namespace rather than one per object, starting fast and slowing down — so a step costs about
 * its slowest object, not the sum of its waits. An object the apply answer already shows healthy
 * (ConfigMaps, RBAC, Services…) needs no further read.
 */
import { DEFAULT_CONCURRENCY, mapConcurrent } from '../kube/concurrency.js';
import { KubeError } from '../kube/errors.js';
import { withRetry, type RetryOptions } from '../kube/retry.js';
import type { KubeObject } from '../kube/types.js';
import { SlipwayError } from '../model/diagnostics.js';
import { failuresText, type ObjectFailure } from '../model/failures.js';
import { formatKey, identityOf } from '../model/resource.js';
import type { JsonObject } from '../plan/json.js';
import { FIELD_MANAGER } from '../plan/prepare.js';
import type { ClusterPort } from './cluster-port.js';
import type { ApplyEvent } from './events.js';
import { timeoutFor } from './health/assess.js';
import type { ApplyTask } from './task.js';
import { settle, waitGone, waitTogether, type WaitSettings } from './waits.js';
import { prunePropagation, replaceDeleteOptions, sendObject } from './sync-options.js';

export interface RunSettings extends WaitSettings {
  /** Take over fields other managers own (server-side apply force). Default false: a conflict fails the object with the manager's name. */
  readonly forceConflicts?: boolean;
  /** Overrides the per-kind wait timeouts. */
  readonly timeoutMs?: number;
}

/** The manifests an apply sends, by identityOf(key): desiredForPlan's, rendered again and checked against the plan's hashes. */
export interface ObjectsToSend {
  readonly objects: ReadonlyMap<string, { readonly manifest: JsonObject }>;
}

/** What the steps of one wave share: tasks still waited for, and what went wrong so far. */
export interface WaveState {
  readonly waiting: ApplyTask[];
  readonly failures: ObjectFailure[];
}

/** What a step needs of the run it is part of; the run (executor.ts) holds this state. */
export interface StepContext {
  readonly cluster: ClusterPort;
  readonly desired: ObjectsToSend;
  readonly settings: RunSettings;
  readonly wave: WaveState;
  /** Set when the cluster stopped answering during this step: tasks not sent yet are skipped, not tried. */
  clusterDown: string | undefined;
  emit(e: ApplyEvent): void;
}

export class StepFailed extends Error {}

/** The step was cancelled while its objects were being sent or waited for. */
export class StepCancelled extends Error {}

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

/**
 * Runs one step's tasks. With `settleNow` false (later kind groups of the same wave go ahead while
 * these objects become healthy, as Argo CD does within a wave), the waits join the wave's end.
 * Throws StepFailed naming every object that failed, or StepCancelled.
 */
export async function runStep(tasks: readonly ApplyTask[], run: StepContext, settleNow: boolean): Promise<void> {
  const { settings, wave } = run;
  run.clusterDown = undefined;
  await mapConcurrent(tasks, settings.concurrency ?? DEFAULT_CONCURRENCY, (task) => sendTask(task, run));
  if (!settleNow && wave.failures.length === 0 && !settings.signal?.aborted) return;
  try {
    await waitTogether(run.cluster, wave.waiting, settings);
  } catch (e) {
    // The wait could not read the cluster (it went away): the objects sent are applied (or being deleted), their health unknown.
    const message = e instanceof Error ? e.message : String(e);
    for (const task of wave.waiting) {
      if (task.done) continue;
      if (task.wait?.waitFor === 'gone') {
        const text = `deletion accepted, but whether it is gone could not be checked: ${message}`;
        task.report('unknown', text);
        task.complete('unknown', { message: text });
      } else {
        const text = `applied, but its health could not be checked: ${message}`;
        task.report('applied', text);
        task.complete('applied', { message: text, after: task.last?.object ?? task.after, stepFails: true });
      }
    }
  }
  wave.waiting.length = 0;
  if (settings.signal?.aborted && wave.failures.length === 0) throw new StepCancelled('cancelled');
  // Objects that failed the same way are named once, with how many (a full Service IP range fails them all).
  if (wave.failures.length > 0) throw new StepFailed(failuresText(wave.failures));
}

/** Sends one task's change (delete, replace, or server-side apply) and leaves it waiting, or records why it ended. */
async function sendTask(task: ApplyTask, run: StepContext): Promise<void> {
  const { cluster, settings } = run;
  const { change } = task;
  task.start();
  if (settings.signal?.aborted) return task.complete('skipped', { message: 'cancelled before it was sent' });
  if (run.clusterDown !== undefined) {
    const message = `not sent: ${run.clusterDown}`;
    task.report('skipped', message);
    return task.complete('skipped', { message });
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
    }, reportingRetries(run.emit.bind(run), `${verb} ${formatKey(change.key)}`, settings.signal));
  try {
    if (change.action === 'delete') {
      task.report('deleting');
      await write('delete', () => cluster.delete(change.key, { propagationPolicy: prunePropagation(change), ...(change.liveResourceVersion && { preconditions: { resourceVersion: change.liveResourceVersion } }) }));
      task.waitUntil('gone', settings.timeoutMs ?? timeoutFor(change.key, 'gone'));
      run.wave.waiting.push(task);
      return;
    }
    const settled = run.desired.objects.get(identityOf(change.key));
    if (!settled) throw new SlipwayError('plan-stale', `${formatKey(change.key)} is not in the rendered revision any more`);
    if (change.action === 'replace') {
      task.report('deleting', 'replace: deleting the old object first');
      await write('delete', () => cluster.delete(change.key, replaceDeleteOptions(change)));
      // The old object is being deleted: from here on, a failure leaves it in an unknown state.
      maybeCarriedOut = true;
      if (!(await waitGone(cluster, task, settings.timeoutMs ?? timeoutFor(change.key, 'gone'), settings))) throw new StepFailed(`${formatKey(change.key)}: the old object was not gone in time, so it could not be created again`);
    }
    task.report('applying');
    try {
      applied = await write('patch', () => sendObject(cluster, settled.manifest as KubeObject, change, { fieldManager: FIELD_MANAGER, ...(settings.forceConflicts && { force: true }) }));
    } catch (e) {
      if (e instanceof KubeError && e.code === 'conflict' && e.conflicts.length > 0) {
        const who = [...new Set(e.conflicts.map((c) => c.manager))].join(', ');
        const message = `conflict: ${e.conflicts.map((c) => c.field).join(', ')} managed by ${who}; apply again taking over these fields (--force-conflicts, or "Take over these fields" in the app) or remove them from the manifest`;
        task.report('failed', message);
        return task.complete('failed', { message });
      }
      throw e;
    }
    task.report('applied');
    task.after = applied;
    task.waitUntil('healthy', settings.timeoutMs ?? timeoutFor(change.key));
    // The apply answer is the object as stored: if it is healthy already, there is nothing to wait for.
    if (settle(task, applied)) return;
    task.report('waiting');
    run.wave.waiting.push(task);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof KubeError && CLUSTER_DOWN.has(e.code)) run.clusterDown ??= `the cluster stopped answering (${message})`;
    if (applied) {
      // The server took the change: it is applied, and why its health is not known is said.
      const text = `applied, but its health could not be checked: ${message}`;
      task.report('applied', text);
      return task.complete('applied', { message: text, after: applied, stepFails: true });
    }
    if (maybeCarriedOut) {
      const text = `no answer from the API server, so the ${change.action === 'delete' ? 'deletion' : 'change'} may or may not have been made: ${message}; plan again to see the object as it is`;
      task.report('unknown', text);
      return task.complete('unknown', { message: text });
    }
    task.report('failed', message);
    return task.complete('failed', { message });
  }
}
