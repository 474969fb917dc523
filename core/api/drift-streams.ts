/**
 * Drift streams running in this engine, for the UI's drift badge and notifications (contract:
 * watchDrift, stopDrift, the `drift` and `drift-ended` events). Each is one app on one context
 * followed by watchApp (core/engine/app-watch.ts) under a stream id the caller chose, so the caller
 * can pick its events before the start's answer arrives. After each change (an object's drift, a
 * watch's state) the whole report is published, at most one event per stream every `intervalMs`
 * (default 250 ms).
 *
 * Applies: what an app watch compares with is the history's state of the app's last applies, read
 * when it starts. An apply of the app to the context that runs in this engine `hold`s its streams:
 * their watches stop and the report says `applying`, so the apply's own writes are never reported
 * as drift; when it ends, each starts again from what the apply left (a stream of an app never
 * applied there starts watching). A stream that cannot start again ends `failed`.
 *
 * At most `maxStreams` run at once: starting one more stops the oldest, so a window that went
 * away without stopping its streams cannot pile up watches.
 */
import { NothingAppliedError, watchApp, type AppWatch, type AppWatchRequest } from '../engine/app-watch.js';
import { SlipwayError } from '../model/diagnostics.js';
import type { DriftReportInfo, EngineErrorInfo, EngineEvent } from './contract.js';
import { toEngineError } from './dispatch.js';
import { applyingReport, notAppliedReport, watchingReport, type DriftSubject } from './drift.js';

/** What a drift stream watches: watchApp's request without its listener. */
export type DriftStreamRequest = Omit<AppWatchRequest, 'listener'>;

/** An apply's app and context: the streams of that app on that context wait for it. */
export interface ApplyTarget {
  /** How history names the repository (the stream request's repoLabel). */
  readonly repo: string;
  readonly app: string;
  readonly context: string;
}

export interface DriftStreamsOptions {
  /** At least this long between two `drift` events of a stream (default 250 ms). */
  readonly intervalMs?: number;
  /** Drift streams running at once (default 8); one more stops the oldest. */
  readonly maxStreams?: number;
  /** How an app watch is started (tests pass a fake). */
  readonly start?: (req: AppWatchRequest) => Promise<AppWatch>;
  /** Clock (tests). */
  readonly now?: () => number;
}

interface Entry {
  readonly streamId: string;
  readonly req: DriftStreamRequest;
  /** Bumped by each (re)start and hold: a start that finds it moved on is stale. */
  generation: number;
  watch?: AppWatch;
  /** The app and context, once found. */
  subject?: DriftSubject;
  /** The report when there is no watch (not applied, applying). */
  still?: DriftReportInfo;
  stopped: boolean;
  timer?: ReturnType<typeof setTimeout>;
  lastPublished: number;
}

export class DriftStreams {
  private readonly running = new Map<string, Entry>();
  private readonly holds = new Set<ApplyTarget>();
  /** Bumped by each hold: a start that began before it starts again. */
  private epoch = 0;
  private closed = false;

  constructor(
    private readonly publish: (e: EngineEvent) => void,
    private readonly opts: DriftStreamsOptions = {},
  ) {}

  /** Finds the app, reads its applied state and starts its watches; the answer is the report then. */
  async start(streamId: string, req: DriftStreamRequest): Promise<{ streamId: string; report: DriftReportInfo }> {
    if (this.closed) throw new SlipwayError('engine-closed', 'the engine is shutting down');
    if (this.running.has(streamId)) throw new SlipwayError('drift-stream-exists', `a drift stream ${streamId} is running already`, { hint: 'choose a new stream id for each start (e.g. crypto.randomUUID())' });
    const entry: Entry = { streamId, req, generation: 0, stopped: false, lastPublished: 0 };
    this.running.set(streamId, entry);
    try {
      await this.begin(entry);
    } catch (err) {
      if (this.running.get(streamId) === entry) this.running.delete(streamId);
      throw err;
    }
    if (!entry.stopped) this.evictOldest();
    return { streamId, report: this.reportOf(entry) };
  }

  /** False when no drift stream of this id runs here. */
  stop(streamId: string): boolean {
    const entry = this.running.get(streamId);
    if (!entry) return false;
    void this.end(entry, 'stopped');
    return true;
  }

  /**
   * An apply of `target` starts: the streams of that app and context stop watching and say
   * `applying` until the returned function is called (when the apply has ended), then start again.
   */
  hold(target: ApplyTarget): () => void {
    this.holds.add(target);
    this.epoch++;
    for (const entry of this.running.values()) if (this.matches(entry, target)) void this.pause(entry);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds.delete(target);
      for (const entry of this.running.values()) if (this.matches(entry, target) && !this.isHeld(entry)) void this.restart(entry);
    };
  }

  get size(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running.values()].map((entry) => this.end(entry, 'stopped')));
  }

  /**
   * Starts the app watch (or finds there is nothing to watch); what it finds is the entry's unless
   * the entry moved on meanwhile (stopped: it keeps what was found, for the start's answer). A start
   * that overlapped an apply's hold may have read the history before the apply recorded its
   * objects: it starts again.
   */
  private async begin(entry: Entry): Promise<void> {
    const generation = ++entry.generation;
    const epoch = this.epoch;
    const changed = (): void => this.changed(entry, generation);
    let watch: AppWatch | undefined;
    let subject: DriftSubject;
    let nothing: string | undefined;
    try {
      watch = await (this.opts.start ?? watchApp)({ ...entry.req, listener: { onDrift: changed, onState: changed } });
      subject = { app: watch.app, context: watch.context, server: watch.server };
    } catch (err) {
      if (!(err instanceof NothingAppliedError)) throw err;
      subject = { app: err.app, context: err.context, server: err.server };
      nothing = err.message;
    }
    if (entry.stopped) {
      entry.subject = subject;
      entry.still = watch ? watchingReport(subject, watch.report()) : notAppliedReport(subject, nothing ?? '');
      await watch?.close();
      return;
    }
    if (generation !== entry.generation) return void (await watch?.close());
    entry.subject = subject;
    if (this.isHeld(entry)) {
      entry.still = applyingReport(subject);
      await watch?.close();
      return;
    }
    if (epoch !== this.epoch) {
      await watch?.close();
      return this.begin(entry);
    }
    entry.watch = watch;
    entry.still = watch ? undefined : notAppliedReport(subject, nothing ?? '');
  }

  private reportOf(entry: Entry): DriftReportInfo {
    if (entry.watch && entry.subject) return watchingReport(entry.subject, entry.watch.report());
    if (entry.still) return entry.still;
    throw new Error(`drift stream ${entry.streamId} has neither a watch nor a report`);
  }

  /** A change of the entry's watch: publish now, or once the interval since the last event has passed. */
  private changed(entry: Entry, generation: number): void {
    if (generation !== entry.generation || entry.stopped || !entry.watch || entry.timer) return;
    const now = this.opts.now ?? Date.now;
    const wait = Math.max(0, entry.lastPublished + (this.opts.intervalMs ?? 250) - now());
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.publishReport(entry);
    }, wait);
  }

  private publishReport(entry: Entry): void {
    if (entry.stopped) return;
    entry.lastPublished = (this.opts.now ?? Date.now)();
    this.publish({ type: 'drift', streamId: entry.streamId, report: this.reportOf(entry) });
  }

  private async pause(entry: Entry): Promise<void> {
    if (!entry.subject) return; // still starting: its start finds the hold
    entry.generation++;
    const watch = entry.watch;
    entry.watch = undefined;
    this.cancelTimer(entry);
    entry.still = applyingReport(entry.subject);
    this.publishReport(entry);
    await watch?.close();
  }

  private async restart(entry: Entry): Promise<void> {
    const old = entry.watch;
    entry.watch = undefined;
    this.cancelTimer(entry);
    await old?.close();
    try {
      await this.begin(entry);
    } catch (err) {
      if (!entry.stopped) await this.end(entry, 'failed', toEngineError(err));
      return;
    }
    if (!entry.stopped) this.publishReport(entry);
  }

  private async end(entry: Entry, reason: 'stopped' | 'failed', error?: EngineErrorInfo): Promise<void> {
    if (entry.stopped) return;
    entry.stopped = true;
    entry.generation++;
    if (this.running.get(entry.streamId) === entry) this.running.delete(entry.streamId);
    this.cancelTimer(entry);
    const watch = entry.watch;
    entry.watch = undefined;
    await watch?.close();
    this.publish({ type: 'drift-ended', streamId: entry.streamId, reason, ...(error && { error }) });
  }

  private cancelTimer(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  private matches(entry: Entry, target: ApplyTarget): boolean {
    const s = entry.subject;
    return s !== undefined && (entry.req.repoLabel ?? entry.req.repo.dir) === target.repo && s.app.name === target.app && s.context === target.context;
  }

  private isHeld(entry: Entry): boolean {
    return [...this.holds].some((t) => this.matches(entry, t));
  }

  private evictOldest(): void {
    const max = this.opts.maxStreams ?? 8;
    for (const entry of this.running.values()) {
      if (this.running.size <= max) break;
      void this.end(entry, 'stopped');
    }
  }
}
