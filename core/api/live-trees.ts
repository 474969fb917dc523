/**
 * Live trees running in this engine, for the UI's live view (contract: watchLiveTree,
 * stopLiveTree, the `live-tree` and `live-tree-ended` events). Each is one app on one context kept
 * current by its watches (core/engine/live-tree.ts watchLiveTreeOf) under a stream id the caller
 * chose, so the caller can pick its events before the start's answer arrives. A rebuilt tree is
 * published whole, at most one event per stream every `intervalMs` (default 250 ms): a 500-object
 * tree is built in a few milliseconds and is a few hundred kilobytes of JSON.
 *
 * At most `maxStreams` run at once: starting one more stops the oldest, so a window that went
 * away without stopping its trees cannot pile up watches.
 */
import { watchLiveTreeOf, type AppLiveTree, type AppLiveTreeWatch, type LiveTreeWatchRequest } from '../engine/live-tree.js';
import { SlipwayError } from '../model/diagnostics.js';
import type { EngineEvent, LiveTreeResult, LiveTreeWatchState } from './contract.js';
import { toLiveTreeResult } from './live-tree.js';

export interface LiveTreeStreamsOptions {
  /** At least this long between two `live-tree` events of a stream (default 250 ms). */
  readonly intervalMs?: number;
  /** Live trees running at once (default 8); one more stops the oldest. */
  readonly maxStreams?: number;
  /** How a live tree is started (tests pass a fake). */
  readonly start?: (req: LiveTreeWatchRequest) => Promise<AppLiveTreeWatch>;
}

/** A live tree of this engine: its watch once read; stopped when stopped or evicted (maybe while still read). */
interface Entry {
  watch?: AppLiveTreeWatch;
  stopped: boolean;
}

export class LiveTreeStreams {
  private readonly running = new Map<string, Entry>();
  private closed = false;

  constructor(
    private readonly publish: (e: EngineEvent) => void,
    private readonly opts: LiveTreeStreamsOptions = {},
  ) {}

  /** Reads the tree and starts its watches; the answer is the tree as read. */
  async start(streamId: string, req: Omit<LiveTreeWatchRequest, 'onTree' | 'debounceMs'>): Promise<LiveTreeResult & { streamId: string }> {
    if (this.closed) throw new SlipwayError('engine-closed', 'the engine is shutting down');
    if (this.running.has(streamId)) throw new SlipwayError('live-tree-exists', `a live tree ${streamId} is running already`, { hint: 'choose a new stream id for each start (e.g. crypto.randomUUID())' });
    const entry: Entry = { stopped: false };
    this.running.set(streamId, entry);
    let watch: AppLiveTreeWatch;
    try {
      watch = await (this.opts.start ?? watchLiveTreeOf)({
        ...req,
        debounceMs: this.opts.intervalMs ?? 250,
        onTree: (tree) => {
          if (!entry.stopped && entry.watch) this.publish({ type: 'live-tree', streamId, tree: toLiveTreeResult(tree), watches: statesOf(entry.watch) });
        },
      });
    } catch (err) {
      this.running.delete(streamId);
      throw err;
    }
    entry.watch = watch;
    if (entry.stopped) {
      // Stopped (or evicted) while it was read.
      await watch.close();
      this.publish({ type: 'live-tree-ended', streamId, reason: 'stopped' });
    } else this.evictOldest();
    const tree: AppLiveTree = watch.tree();
    return { ...toLiveTreeResult(tree), streamId };
  }

  /** False when no live tree of this id runs here. */
  stop(streamId: string): boolean {
    const entry = this.running.get(streamId);
    if (!entry) return false;
    this.end(streamId, entry);
    return true;
  }

  get size(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running].map(([id, entry]) => this.end(id, entry)));
  }

  private async end(streamId: string, entry: Entry): Promise<void> {
    this.running.delete(streamId);
    if (entry.stopped) return;
    entry.stopped = true;
    // One still being read ends when its read does (start).
    if (!entry.watch) return;
    await entry.watch.close();
    this.publish({ type: 'live-tree-ended', streamId, reason: 'stopped' });
  }

  private evictOldest(): void {
    const max = this.opts.maxStreams ?? 8;
    for (const [id, entry] of this.running) {
      if (this.running.size <= max) break;
      void this.end(id, entry);
    }
  }
}

function statesOf(watch: AppLiveTreeWatch): LiveTreeWatchState[] {
  return watch.states().map(({ key, state }) => ({ key, phase: state.phase, ...('reason' in state && { reason: state.reason }) }));
}
