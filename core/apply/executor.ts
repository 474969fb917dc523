/**
 * Apply is a step machine (DESIGN.md rule 5, gitops-engine SyncContext): it takes a Plan and the
 * exact objects the plan was made from, checks the plan is still true, then advances one step
 * (wave × kind group) at a time — server-side apply or delete, then wait for health or absence —
 * recording each object's result as it happens. It can be cancelled and reports its state as a
 * typed event stream.
 *
 * The run below holds the machine's state: one task per object (task.ts) in the steps order.ts
 * makes, the current wave, the lease and the ApplySet parent. It reaches the cluster only through
 * the ClusterPort; a step's sends and waits are in step.ts and waits.ts.
 */
import type { KubeObject } from '../kube/types.js';
import { parseParentRef } from '../model/applyset.js';
import { SlipwayError, hasErrors } from '../model/diagnostics.js';
import type { ObjectFailure } from '../model/failures.js';
import { identityOf } from '../model/resource.js';
import type { FinishStatus } from '../model/run.js';
import type { Change, Plan } from '../plan/types.js';
import { ApplySetParentWriter } from './applyset-parent.js';
import type { ClusterPort } from './cluster-port.js';
import type { ApplyEvent, ApplyResult, ObjectResult } from './events.js';
import { checkFresh } from './freshness.js';
import { WAIT_BEFORE_NEXT_GROUP } from './kind-order.js';
import { RunLease } from './lease.js';
import { HookSink, runHookStep } from './hook-step.js';
import { factsFromChange, factsFromObject, PHASE_OF_ACTION, planSteps, type Step } from './order.js';
import { hookRuns, phaseSteps, type HookManifests, type HookRun } from './phases.js';
import { runStep, StepCancelled, StepFailed, type ObjectsToSend, type RunSettings, type StepContext, type WaveState } from './step.js';
import { ApplyTask, type TaskSink } from './task.js';
import { waitTogether } from './waits.js';

export type { ObjectState } from '../model/run.js';
export type { ApplyEvent, ApplyResult, ObjectResult } from './events.js';

export interface ExecuteOptions extends RunSettings {
  readonly plan: Plan;
  /** The app's objects, and the hooks' manifests by hookId (the plan's hooks run from these). */
  readonly desired: ObjectsToSend & { readonly hooks?: HookManifests };
  readonly cluster: ClusterPort;
  readonly onEvent?: (e: ApplyEvent) => void;
  readonly onObjectResult?: (r: ObjectResult) => void;
  /** Who holds the lease (default user@host/pid). */
  readonly holder?: string;
  /** Who applies, as the cluster knows them: recorded on the ApplySet parent. */
  readonly appliedBy?: string;
}

/** Refuses plans that must not be applied: comparisons, plans with errors. */
export function checkApplicable(plan: Plan): void {
  if (plan.inputs.mode.kind === 'compare') throw new SlipwayError('not-a-plan', 'this is a comparison, not a plan: it cannot be applied');
  if (!plan.inputs.cluster) throw new SlipwayError('not-a-plan', 'this plan names no cluster');
  if (plan.summary.error > 0 || hasErrors(plan.diagnostics)) throw new SlipwayError('plan-has-errors', `the plan has ${plan.summary.error + plan.diagnostics.filter((d) => d.severity === 'error').length} error(s): fix them and plan again`);
}

export async function executePlan(opts: ExecuteOptions): Promise<ApplyResult> {
  checkApplicable(opts.plan);
  return new ApplyRun(opts).run();
}

/** A step with its tasks, one per change; a step of hooks records through its own sink (hook-step.ts). */
interface StepTasks {
  readonly step: Step;
  readonly tasks: readonly ApplyTask[];
  readonly hooks?: HookSink;
}

/** "wave 1", "PreSync hooks, wave 0": where a step is, in the run's error. */
const stepLabel = (step: Step): string => (step.hooks ? `${step.syncPhase} hooks, wave ${step.wave}` : `wave ${step.wave}`);

/** Whether two neighbouring steps belong to one wave of one phase (their waits may overlap). */
const sameWave = (a: Step, b: Step): boolean => a.wave === b.wave && a.phase === b.phase && a.syncPhase === b.syncPhase && a.hooks === b.hooks;

const newWave = (): WaveState => ({ waiting: [], failures: [] });

/** Whether a step's waits end before the next step starts, or join the end of its wave (kind-order.ts WAIT_BEFORE_NEXT_GROUP). */
function settlesNow(steps: readonly StepTasks[], i: number): boolean {
  const { step } = steps[i]!;
  const next = steps[i + 1]?.step;
  return !next || !sameWave(step, next) || step.hooks === true || step.phase === 'delete' || WAIT_BEFORE_NEXT_GROUP.has(step.group);
}

/** The run of one plan: what gitops-engine's syncContext is to a sync. */
class ApplyRun implements StepContext, TaskSink {
  readonly cluster: ClusterPort;
  /** The app's objects, then also the hooks under the names they run with. */
  desired: ObjectsToSend;
  readonly settings: RunSettings;
  wave: WaveState = newWave();
  clusterDown: string | undefined;
  private readonly plan: Plan;
  private readonly started = Date.now();
  private readonly results: ObjectResult[] = [];
  private readonly lease: RunLease;
  private readonly parent: ApplySetParentWriter;
  private steps: readonly StepTasks[] = [];
  /** SyncFail hooks: run only when a step fails. */
  private onFail: readonly StepTasks[] = [];
  private hookRuns: ReadonlyMap<Change, HookRun> = new Map();

  constructor(private readonly opts: ExecuteOptions) {
    const { plan, cluster } = opts;
    this.plan = plan;
    this.cluster = cluster;
    this.desired = opts.desired;
    this.settings = opts;
    const { namespace, name } = parseParentRef(plan.inputs.applySet.parent);
    // The lease and the parent live in the parent's namespace: when the plan creates it, both wait for the step that does.
    const createsNamespace = plan.changes.some((c) => c.action === 'create' && c.key.group === '' && c.key.kind === 'Namespace' && c.key.name === namespace);
    this.parent = new ApplySetParentWriter(cluster, plan, { appliedBy: opts.appliedBy, createsNamespace });
    this.lease = new RunLease(cluster, { namespace, name, ...(opts.holder !== undefined && { holder: opts.holder }), createsNamespace });
  }

  emit(e: ApplyEvent): void {
    this.opts.onEvent?.(e);
  }

  record(r: ObjectResult): void {
    this.results.push(r);
    this.opts.onObjectResult?.(r);
  }

  fail(failure: ObjectFailure): void {
    this.wave.failures.push(failure);
  }

  async run(): Promise<ApplyResult> {
    try {
      await this.lease.begin();
    } catch (e) {
      if (e instanceof SlipwayError && e.code === 'apply-in-progress') return this.finish('refused', e.message);
      throw e;
    }
    try {
      return await this.runHoldingLease();
    } finally {
      await this.lease.release();
    }
  }

  private async runHoldingLease(): Promise<ApplyResult> {
    const { plan } = this;
    // The live objects the freshness check read are also each object's "before" for history.
    let liveBefore: ReadonlyMap<string, KubeObject>;
    try {
      liveBefore = await checkFresh(plan, this.cluster);
    } catch (e) {
      if (e instanceof SlipwayError && e.code === 'plan-stale') return this.finish('refused', e.message);
      throw e;
    }
    // Upserts are ordered by the manifests about to be sent (already read, and checked against the plan's hashes); deletions by the plan's YAML.
    const ordered = planSteps(plan.changes, {
      factsOf: (c) => {
        const sent = PHASE_OF_ACTION[c.action] === 'upsert' ? this.desired.objects.get(identityOf(c.key))?.manifest : undefined;
        return sent ? factsFromObject(c.key, sent) : factsFromChange(c);
      },
    });
    const badOrder = ordered.diagnostics.filter((d) => d.severity === 'error');
    if (badOrder.length > 0) return this.finish('refused', `the apply order is unclear: ${badOrder.map((d) => d.message).join('; ')}`);
    const runs = hookRuns(plan, this.opts.desired.hooks ?? new Map(), new Date(this.started));
    this.hookRuns = new Map(runs.map((r) => [r.change, r]));
    this.desired = { objects: new Map([...this.opts.desired.objects, ...runs.map((r) => [identityOf(r.change.key), { manifest: r.manifest }] as const)]) };
    const phased = phaseSteps(ordered.steps, runs);
    this.steps = phased.main.map((step) => this.tasksOf(step, liveBefore));
    this.onFail = phased.onFail.map((step) => this.tasksOf(step, liveBefore));
    const count = (hooks: boolean): number => this.steps.reduce((n, s) => ((s.step.hooks === true) === hooks ? n + s.tasks.length : n), 0);
    this.emit({ type: 'started', steps: this.steps.length, changes: count(false), ...(count(true) > 0 && { hooks: count(true) }) });
    await this.parent.begin();
    for (const i of this.steps.keys()) {
      const ended = await this.advance(i);
      if (ended) return ended;
    }
    await this.parent.narrow();
    // Every object applied and none failed; some may still be progressing on something outside the app (waits.ts).
    return this.finish(this.results.some((r) => r.outcome === 'progressing') ? 'progressing' : 'succeeded');
  }

  /**
   * A step's tasks: hooks have no "before" (each run is a new object), record through the step's
   * HookSink and always run to the end (the app's wait per kind is for its objects only).
   */
  private tasksOf(step: Step, liveBefore: ReadonlyMap<string, KubeObject>): StepTasks {
    const waits = this.plan.inputs.app.wait;
    if (!step.hooks) return { step, tasks: step.changes.map((c) => new ApplyTask(c, step, liveBefore.get(identityOf(c.key)), this, waits)) };
    const hooks = new HookSink(this, step.syncPhase);
    return { step, hooks, tasks: step.changes.map((c) => new ApplyTask(c, step, undefined, hooks)) };
  }

  /** Sends and waits for one step: a step of hooks through runHookStep. */
  private async runOne(steps: readonly StepTasks[], i: number): Promise<void> {
    const { step, tasks, hooks } = steps[i]!;
    this.emit({ type: 'step-started', step: step.index, wave: step.wave, phase: step.phase, group: step.group, ...(step.early && { early: step.early }), count: tasks.length, syncPhase: step.syncPhase, ...(step.hooks && { hooks: step.hooks }) });
    if (hooks) await runHookStep(tasks, this.hookRuns, hooks, this);
    else await runStep(tasks, this, settlesNow(steps, i));
  }

  /** After a failed step: the SyncFail hooks, as Argo CD runs them; what became of them, for the run's error. */
  private async runSyncFail(): Promise<string> {
    if (this.onFail.length === 0) return '';
    for (const i of this.onFail.keys()) {
      this.wave = newWave();
      try {
        await this.runOne(this.onFail, i);
      } catch (e) {
        for (const { tasks, hooks } of this.onFail.slice(i + 1)) {
          for (const task of tasks) task.skip('not started: an earlier SyncFail hook failed');
          hooks?.releaseAll();
        }
        if (e instanceof StepCancelled) return '; cancelled while the SyncFail hooks ran';
        return `; the SyncFail hooks failed too: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    return `; the SyncFail hooks ran (${this.onFail.reduce((n, s) => n + s.tasks.length, 0)})`;
  }

  /** Runs step `i`; the run's result when the run ends with it (cancelled, failed, refused). */
  private async advance(i: number): Promise<ApplyResult | undefined> {
    const { steps } = this;
    const { step } = steps[i]!;
    const previous = steps[i - 1]?.step;
    if (previous && !sameWave(previous, step)) this.wave = newWave();
    if (this.settings.signal?.aborted) {
      await waitTogether(this.cluster, this.wave.waiting, this.settings); // records what the wave still waited for as cancelled while waiting
      this.skipFrom(i, 'cancelled before this step started');
      return this.finish('cancelled', `cancelled before step ${i + 1} of ${steps.length}`);
    }
    try {
      await this.runOne(steps, i);
    } catch (e) {
      if (e instanceof StepCancelled) {
        this.skipFrom(i + 1, 'cancelled before this step started');
        return this.finish('cancelled', `cancelled during step ${i + 1} of ${steps.length}`);
      }
      const message = e instanceof StepFailed || e instanceof SlipwayError ? e.message : String(e);
      this.skipFrom(i + 1, 'not started: an earlier step failed');
      const syncFail = await this.runSyncFail();
      return this.finish('failed', `step ${i + 1} of ${steps.length} (${stepLabel(step)}) failed: ${message}${syncFail}`);
    }
    try {
      await this.lease.takeIfPending();
    } catch (e) {
      if (!(e instanceof SlipwayError && e.code === 'apply-in-progress')) throw e;
      this.skipFrom(i + 1, 'not started: another apply holds the lease');
      return this.finish('refused', e.message);
    }
    if (step.changes.some((c) => c.key.group === 'apiextensions.k8s.io' && c.key.kind === 'CustomResourceDefinition')) this.cluster.kindsChanged();
    await this.parent.widen();
    return undefined;
  }

  /** Records every task of step `from` and later as skipped. */
  private skipFrom(from: number, message: string): void {
    for (const { tasks, hooks } of this.steps.slice(from)) {
      for (const task of tasks) task.skip(message);
      hooks?.releaseAll();
    }
  }

  private finish(status: FinishStatus, error?: string): ApplyResult {
    this.emit({ type: 'finished', status, ...(error !== undefined && { error }), elapsedMs: Date.now() - this.started });
    return { status, ...(error !== undefined && { error }), results: this.results };
  }
}
