/**
 * Applies running in this engine: each started in the background, its progress published on the
 * event hub under its run id, cancellable by run id; closing the engine cancels them and waits.
 */
import type { ApplyEvent } from '../apply/executor.js';
import { applyPlan, type ApplyRequest } from '../apply/service.js';
import type { EngineEvent } from './contract.js';
import { toEngineEvent } from './mappers.js';

interface RunningApply {
  readonly abort: AbortController;
  readonly done: Promise<unknown>;
}

export class ApplyRuns {
  private readonly running = new Map<string, RunningApply>();

  constructor(private readonly publish: (e: EngineEvent) => void) {}

  /** Starts an apply; resolves with its run id once history has recorded the run (a failure before that rejects). */
  start(request: Omit<ApplyRequest, 'signal' | 'onEvent' | 'onRunStarted'>): Promise<string> {
    const abort = new AbortController();
    let runId: string | undefined;
    let finished = false;
    // Events before the run id is known (none today) are kept, in order.
    const early: ApplyEvent[] = [];
    const publish = (e: ApplyEvent): void => {
      if (!runId) return void early.push(e);
      if (e.type === 'finished') finished = true;
      this.publish(toEngineEvent(runId, e));
    };
    return new Promise<string>((started, failedBeforeStart) => {
      const done: Promise<unknown> = applyPlan({
        ...request,
        signal: abort.signal,
        onEvent: publish,
        onRunStarted: (id) => {
          runId = id;
          this.running.set(id, { abort, done });
          started(id);
          for (const e of early.splice(0)) publish(e);
        },
      })
        .then(
          () => undefined,
          (err: unknown) => {
            failedBeforeStart(err);
            if (runId && !finished) this.publish({ type: 'apply-finished', runId, status: 'failed', error: err instanceof Error ? err.message : String(err), elapsedMs: 0 });
            if (runId) console.error(`slipway engine: apply ${runId} failed:`, err);
          },
        )
        .finally(() => {
          if (runId) this.running.delete(runId);
        });
    });
  }

  /** Resolves when the run has ended (at once when it is not running here: finished already, or unknown). */
  async finished(runId: string): Promise<void> {
    await this.running.get(runId)?.done;
  }

  /** False when the run is not running here (finished already, or unknown). */
  cancel(runId: string): boolean {
    const run = this.running.get(runId);
    run?.abort.abort();
    return run !== undefined;
  }

  async close(): Promise<void> {
    for (const r of this.running.values()) r.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
}
