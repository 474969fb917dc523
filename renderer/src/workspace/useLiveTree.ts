/**
 * The live tree of the Live tab's target, kept current by the engine (watchLiveTree): the answer
 * is the tree as first read, then each `live-tree` event of the stream brings the whole tree again
 * with the state of each watch. The stream stops (stopLiveTree) when the target changes or the tab
 * unmounts; `restart` starts it again (after a failure, or after the engine stopped it).
 */
import { useCallback, useEffect, useState } from 'react';
import type { HostApi, LiveTreeResult, LiveTreeWatchState } from '../../../core/api/contract.js';
import { liveTargetKey, watchRequest, type LiveTarget } from '../liveTarget.js';
import { newStreamId } from '../streamId.js';

/** A Performance API mark set when a stream's first tree reaches the page (bench/live-ui-bench.ts times the drawing from it). */
export const LIVE_TREE_RECEIVED_MARK = 'slipway:live-tree-received';

export type LiveTreeState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | {
      readonly status: 'live';
      readonly tree: LiveTreeResult;
      /** Each watch the tree uses ([] until the first event tells them). */
      readonly watches: readonly LiveTreeWatchState[];
      /** Local time the tree arrived (ages count from its readAt plus the time since). */
      readonly receivedAt: number;
      /** The engine stopped the stream (too many live trees open): the tree is no longer kept current. */
      readonly ended: boolean;
    }
  | { readonly status: 'failed'; readonly error: unknown };

export function useLiveTree(host: Pick<HostApi, 'watchLiveTree' | 'stopLiveTree' | 'onEvent'>, target: LiveTarget | null): LiveTreeState & { readonly restart: () => void } {
  const [state, setState] = useState<LiveTreeState>({ status: target ? 'loading' : 'idle' });
  const [generation, setGeneration] = useState(0);
  const key = liveTargetKey(target);

  useEffect(() => {
    if (!target) {
      setState({ status: 'idle' });
      return;
    }
    const streamId = newStreamId('live');
    let live = true;
    // The events may arrive before the answer: the answer's tree is then the older one.
    let evented = false;
    setState({ status: 'loading' });
    const unsubscribe = host.onEvent((e) => {
      if (!live || !('streamId' in e) || e.streamId !== streamId) return;
      if (e.type === 'live-tree') {
        evented = true;
        setState({ status: 'live', tree: e.tree, watches: e.watches, receivedAt: Date.now(), ended: false });
      } else if (e.type === 'live-tree-ended') {
        setState((s) => (s.status === 'live' ? { ...s, ended: true } : s));
      }
    });
    const started = host.watchLiveTree(watchRequest(target, streamId));
    started.then(
      (answer) => {
        if (!live || evented) return;
        performance.mark(LIVE_TREE_RECEIVED_MARK, { detail: { streamId } });
        setState({ status: 'live', tree: answer, watches: [], receivedAt: Date.now(), ended: false });
      },
      (error: unknown) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
      unsubscribe();
      // Stopped once started: a stop that overtook the start would find nothing to stop.
      started.then(
        () => host.stopLiveTree({ streamId }).catch(() => undefined),
        () => undefined,
      );
    };
    // `key` stands for `target`: the same app on the same context is the same stream.
  }, [host, key, generation]);

  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, restart };
}
