/**
 * One object's task in an apply, as gitops-engine's `syncTask`: the change with the step it runs
 * in (phase, wave, kind group), where it is in its life (pending → running → waiting → done),
 * what it waits for, and its result, reported the moment it is known.
 */
import type { KubeObject } from '../kube/types.js';
import type { ObjectFailure } from '../model/failures.js';
import type { KindWaits } from '../model/kind-waits.js';
import type { ObjectState } from '../model/run.js';
import type { ResourceKey } from '../model/resource.js';
import type { Change } from '../plan/types.js';
import type { ApplyEvent, ObjectResult } from './events.js';
import type { HealthResult } from './health/assess.js';
import type { Step, WaitFor } from './order.js';

export type TaskState = 'pending' | 'running' | 'waiting' | 'done';

/** Where tasks report to: the run's events and results, and the failures of the current wave. */
export interface TaskSink {
  emit(e: ApplyEvent): void;
  record(r: ObjectResult): void;
  /** One object that makes its step fail, and why: the step's failure message names it (core/model/failures.ts). */
  fail(failure: ObjectFailure): void;
}

/** Outcomes that fail the step the object is in. */
export const FAILING: ReadonlySet<ObjectResult['outcome']> = new Set(['failed', 'unhealthy', 'timeout', 'unknown']);

export interface TaskWait {
  readonly waitFor: WaitFor;
  /** Date.now() after which the wait times out. */
  readonly deadline: number;
  readonly timeoutMs: number;
}

export interface Completion {
  readonly message?: string;
  readonly after?: KubeObject;
  /** The object did not end well although its outcome is no failure (applied, health unknown). */
  readonly stepFails?: boolean;
}

export class ApplyTask {
  state: TaskState = 'pending';
  /** Set once the task waits (healthy after an upsert, gone after a deletion). */
  wait: TaskWait | undefined;
  /** The object as the server answered the apply. */
  after: KubeObject | undefined;
  /** The last health read while waiting for it to become healthy. */
  last: (HealthResult & { readonly object?: KubeObject }) | undefined;
  private startedAt = '';

  constructor(
    readonly change: Change,
    readonly step: Step,
    /** The live object the freshness check read: the "before" history keeps for revert. */
    readonly before: KubeObject | undefined,
    private readonly sink: TaskSink,
    /** The app's wait per kind (the plan's inputs.app.wait), under the object's slipway.dev/wait (waits.ts waitModeOf). */
    readonly appWaits?: KindWaits,
  ) {}

  get key(): ResourceKey {
    return this.change.key;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  start(): void {
    this.state = 'running';
    this.startedAt = new Date().toISOString();
  }

  /** A progress event about this object. */
  report(state: ObjectState, message?: string): void {
    this.sink.emit({ type: 'object', key: this.key, state, step: this.step.index, ...(message !== undefined && { message }) });
  }

  waitUntil(waitFor: WaitFor, timeoutMs: number): void {
    this.state = 'waiting';
    this.wait = { waitFor, deadline: Date.now() + timeoutMs, timeoutMs };
  }

  complete(outcome: ObjectResult['outcome'], c: Completion = {}): void {
    this.state = 'done';
    const { key, change, step, before } = this;
    this.sink.record({
      key,
      action: change.action,
      step: step.index,
      wave: step.wave,
      startedAt: this.startedAt,
      outcome,
      ...(c.message !== undefined && { message: c.message }),
      ...(before && { before }),
      ...(c.after && { after: c.after }),
      finishedAt: new Date().toISOString(),
    });
    if (c.stepFails || FAILING.has(outcome)) this.sink.fail({ key, message: c.message ?? outcome });
  }

  /** The task's step never started (an earlier one failed, the run was cancelled or refused): no event, no "before". */
  skip(message: string): void {
    this.state = 'done';
    const now = new Date().toISOString();
    this.sink.record({ key: this.key, action: this.change.action, outcome: 'skipped', message, step: this.step.index, wave: this.step.wave, startedAt: now, finishedAt: now });
  }
}
