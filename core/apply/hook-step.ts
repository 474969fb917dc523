/**
 * A step of hooks (Argo CD's resource hooks): each hook's earlier run is deleted first when it
 * asks for it (BeforeHookCreation), the hooks are created and waited for until they finish (a
 * Job completes or fails), and then deleted by their policy (HookSucceeded, HookFailed). A hook
 * that failed is reported with the end of its Pod's log, which says why in its own words.
 */
import { KubeError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import type { DeletePolicy, SyncPhase } from '../model/hooks.js';
import { formatKey, identityOf, type ResourceKey } from '../model/resource.js';
import type { Change } from '../plan/types.js';
import type { ClusterPort } from './cluster-port.js';
import type { ApplyEvent, ObjectResult } from './events.js';
import type { HookRun } from './phases.js';
import { runStep, StepFailed, type StepContext } from './step.js';
import { FAILING, type ApplyTask, type TaskSink } from './task.js';
import { pollInterval, sleep } from './waits.js';

/** How long a hook's earlier run may take to go before the new one is created. */
const BEFORE_CREATION_TIMEOUT_MS = 120_000;
/** Lines of a failed hook's log kept in its result. */
const LOG_LINES = 5;

const POD = { group: '', version: 'v1', kind: 'Pod' } as const;

/**
 * Collects the results of a hook step's tasks, so they are recorded once the hook's delete policy
 * and its log are known; events go out as they happen.
 */
export class HookSink implements TaskSink {
  readonly held: ObjectResult[] = [];
  constructor(
    private readonly run: TaskSink,
    private readonly phase: SyncPhase,
  ) {}
  emit(e: ApplyEvent): void {
    this.run.emit(e);
  }
  record(r: ObjectResult): void {
    this.held.push({ ...r, hook: this.phase });
  }
  /** Records what is held as it is (hooks skipped because their step never ran). */
  releaseAll(): void {
    for (const r of this.held.splice(0)) this.run.record(r);
  }
  fail(): void {
    // The step's failure is worded once the log is read (runHookStep).
  }
}

export interface HookStepContext extends StepContext, TaskSink {}

const wants = (run: HookRun, policy: DeletePolicy): boolean => run.hook.deletePolicies.includes(policy);

/**
 * Runs a step whose tasks are hooks; `runs` by the task's change. Records each hook's result with
 * its phase; throws StepFailed naming the hooks that failed and why, or StepCancelled.
 */
export async function runHookStep(tasks: readonly ApplyTask[], runs: ReadonlyMap<Change, HookRun>, sink: HookSink, ctx: HookStepContext): Promise<void> {
  const byKey = new Map(tasks.map((t) => [identityOf(t.key), runs.get(t.change)!]));
  const runOf = (key: ResourceKey): HookRun => byKey.get(identityOf(key))!;
  for (const task of tasks) {
    const run = runOf(task.key);
    if (!wants(run, 'BeforeHookCreation')) continue;
    task.report('deleting', 'deleting the earlier run of this hook (BeforeHookCreation)');
    if (!(await deleteAndWait(ctx.cluster, task.key, ctx.settings.signal))) {
      throw new StepFailed(`${formatKey(task.key)}: its earlier run was not gone after ${BEFORE_CREATION_TIMEOUT_MS / 1000} s, so it could not run again (BeforeHookCreation)`);
    }
  }
  let stepError: unknown;
  try {
    await runStep(tasks, ctx, true);
  } catch (e) {
    stepError = e;
  }
  const failures: string[] = [];
  for (const result of sink.held.splice(0)) {
    const run = runOf(result.key);
    const failed = FAILING.has(result.outcome);
    const why = failed ? await failureLog(ctx.cluster, result) : undefined;
    const policy = failed ? (wants(run, 'HookFailed') ? 'HookFailed' : undefined) : result.outcome === 'healthy' && wants(run, 'HookSucceeded') ? 'HookSucceeded' : undefined;
    const deleted = policy ? await deleteHook(ctx.cluster, result.key, policy) : undefined;
    const message = [result.message, why, deleted].filter((s) => s !== undefined && s !== '').join('; ');
    ctx.record({ ...result, ...(message !== '' && { message }) });
    if (failed) failures.push(`${run.phase} hook ${formatKey(result.key)}: ${[result.message ?? result.outcome, why].filter(Boolean).join('; ')}`);
  }
  if (failures.length > 0) throw new StepFailed(failures.join('; '));
  if (stepError) throw stepError;
}

/** Deletes a hook by its policy, its Pods with it; says what was done, or why it was not. */
async function deleteHook(cluster: ClusterPort, key: ResourceKey, policy: DeletePolicy): Promise<string> {
  try {
    await cluster.delete(key, { propagationPolicy: 'Background' });
    return `deleted (${policy})`;
  } catch (e) {
    if (e instanceof KubeError && e.code === 'not-found') return `already gone (${policy})`;
    return `not deleted (${policy}): ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Deletes the object if it is there and waits until it is gone; false when it stays past the timeout. */
async function deleteAndWait(cluster: ClusterPort, key: ResourceKey, signal?: AbortSignal): Promise<boolean> {
  const live = await cluster.get(key);
  if (!live) return true;
  try {
    await cluster.delete(key, { propagationPolicy: 'Background' });
  } catch (e) {
    if (e instanceof KubeError && e.code === 'not-found') return true;
    throw e;
  }
  const since = Date.now();
  while (Date.now() - since < BEFORE_CREATION_TIMEOUT_MS && !signal?.aborted) {
    const now = await cluster.get(key);
    if (!now || now.metadata.uid !== live.metadata.uid) return true;
    await sleep(pollInterval(Date.now() - since, 1000), signal);
  }
  return false;
}

/** The Pod whose log says why: the hook itself, or the Job's newest failed Pod (else its newest). */
async function podOf(cluster: ClusterPort, result: ObjectResult): Promise<KubeObject | undefined> {
  const { key } = result;
  if (key.group === '' && key.kind === 'Pod') return (result.after as KubeObject | undefined) ?? (await cluster.get(key)) ?? undefined;
  if (key.group !== 'batch' || key.kind !== 'Job' || key.namespace === undefined) return undefined;
  const pods = await cluster.listLabelled(POD, { labelSelector: `job-name=${key.name}`, namespaces: new Set([key.namespace]), scope: 'namespaces' });
  const newest = (list: KubeObject[]): KubeObject | undefined => [...list].sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')))[0];
  const phaseOf = (p: KubeObject): unknown => (p as { status?: { phase?: unknown } }).status?.phase;
  return newest(pods.filter((p) => phaseOf(p) === 'Failed')) ?? newest(pods);
}

/** The container that failed (a non-zero exit), else the first one. */
function containerOf(pod: KubeObject): string | undefined {
  const status = (pod as { status?: { containerStatuses?: { name: string; state?: { terminated?: { exitCode?: number } } }[] } }).status;
  const failed = status?.containerStatuses?.find((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
  const spec = (pod as { spec?: { containers?: { name: string }[] } }).spec;
  return failed?.name ?? spec?.containers?.[0]?.name;
}

/** "Running", "Pending (Unschedulable: 0/1 nodes are available…)", "Failed (Error, exit code 1)": a Pod's phase and why. */
function podState(pod: KubeObject): string {
  const status = (pod as { status?: PodStatus }).status;
  const phase = status?.phase ?? 'unknown';
  const waiting = status?.containerStatuses?.map((c) => c.state?.waiting).find((w) => w?.reason !== undefined);
  const terminated = status?.containerStatuses?.map((c) => c.state?.terminated).find((t) => (t?.exitCode ?? 0) !== 0);
  const unscheduled = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const why = terminated
    ? `${terminated.reason ?? 'terminated'}, exit code ${terminated.exitCode}${terminated.message ? `: ${terminated.message.trim()}` : ''}`
    : waiting
      ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`
      : unscheduled
        ? `${unscheduled.reason ?? 'not scheduled'}${unscheduled.message ? `: ${unscheduled.message}` : ''}`
        : undefined;
  return why ? `${phase} (${why})` : phase;
}

interface PodStatus {
  readonly phase?: string;
  readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }[];
  readonly containerStatuses?: readonly { readonly name: string; readonly state?: { readonly waiting?: { readonly reason?: string; readonly message?: string }; readonly terminated?: { readonly exitCode?: number; readonly reason?: string; readonly message?: string } } }[];
}

/** "log of Pod shop/migrate-x (container migrate): <last lines>", or why it could not be read. */
async function failureLog(cluster: ClusterPort, result: ObjectResult): Promise<string | undefined> {
  try {
    const pod = await podOf(cluster, result);
    if (!pod || pod.metadata.namespace === undefined) return undefined;
    const container = containerOf(pod);
    const text = await cluster.podLog(pod.metadata.namespace, pod.metadata.name, { tailLines: LOG_LINES, ...(container !== undefined && { container }) });
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const where = `Pod ${pod.metadata.namespace}/${pod.metadata.name}${container !== undefined ? ` (container ${container})` : ''}`;
    const state = `Pod ${pod.metadata.namespace}/${pod.metadata.name} is ${podState(pod)}`;
    return lines.length === 0 ? `${state}; the log of ${where} is empty` : `${state}; the log of ${where} ends: ${lines.join(' / ')}`;
  } catch (e) {
    return `its Pod's log could not be read: ${e instanceof Error ? e.message : String(e)}`;
  }
}
