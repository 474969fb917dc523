/**
 * Writes an apply's object results to history as they come, batched: the results that finish
 * within `windowMs` of the first one pending share one transaction (at most `maxBatch` a
 * transaction). A run of 2,000 objects finishes results one or two per turn of the event loop;
 * a transaction per turn was ~1,000 commits, a third of the CPU that recording took, on the same
 * cores as the API server the apply waits for. A result waits at most `windowMs` before it is
 * written (the run's events report it at once); a write that fails is thrown at the next result,
 * or at the final flush, so the apply stops as before.
 */
import type { ObjectResultInput } from '../history/types.js';

/** What the recorder needs of a History. */
export interface ResultSink {
  recordObjectResults(runId: string, results: readonly ObjectResultInput[]): void;
}

export interface ResultRecorderOptions {
  /** The longest a result waits before it is written; default 100 ms. */
  readonly windowMs?: number;
  /** Results written in one transaction at most; more pending are written at once. Default 500. */
  readonly maxBatch?: number;
}

export const RESULT_WINDOW_MS = 100;
const MAX_BATCH = 500;

export class ResultRecorder {
  private pending: ObjectResultInput[] = [];
  private scheduled: NodeJS.Timeout | undefined;
  private failure: { error: unknown } | undefined;
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly history: ResultSink,
    private readonly runId: string,
    opts: ResultRecorderOptions = {},
  ) {
    this.windowMs = opts.windowMs ?? RESULT_WINDOW_MS;
    this.maxBatch = opts.maxBatch ?? MAX_BATCH;
  }

  add(result: ObjectResultInput): void {
    if (this.failure) throw this.failure.error;
    this.pending.push(result);
    if (this.pending.length >= this.maxBatch) {
      this.flushLater(0);
      return;
    }
    this.scheduled ??= this.timer(this.windowMs);
  }

  /** Writes what is pending now; throws a failed earlier write. */
  flush(): void {
    if (this.scheduled) clearTimeout(this.scheduled);
    this.scheduled = undefined;
    if (this.failure) throw this.failure.error;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.history.recordObjectResults(this.runId, batch);
  }

  /** On the way out of a failed apply: keep what can be kept, without hiding the first error. */
  flushQuietly(): void {
    try {
      this.flush();
    } catch {
      // the apply's own error is the one to report
    }
  }

  /** A full batch is written at the end of this turn (never inside the caller's own call). */
  private flushLater(ms: number): void {
    if (this.scheduled) clearTimeout(this.scheduled);
    this.scheduled = this.timer(ms);
  }

  private timer(ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      this.scheduled = undefined;
      try {
        this.flush();
      } catch (error) {
        this.failure = { error };
      }
    }, ms);
  }
}
