/**
 * Drift of the chosen app on the chosen context, kept current by the engine (watchDrift): the
 * answer is the report when the watches start, then each `drift` event of the stream brings the
 * whole report again (an object drifted or back, a watch reconnecting, an apply of the app running
 * or ended). The stream stops (stopDrift) when the app, revision or context changes, and when the
 * workspace unmounts. The namespace of the pickers plays no part: drift compares with what the
 * history recorded of the app's applies.
 */
import { useEffect, useState } from 'react';
import type { DriftReportInfo, EngineErrorInfo, HostApi } from '../../../core/api/contract.js';
import type { LiveTarget } from '../liveTarget.js';
import { newStreamId } from '../streamId.js';

export type DriftState =
  | { readonly status: 'idle' }
  | { readonly status: 'starting' }
  | {
      readonly status: 'live';
      readonly report: DriftReportInfo;
      /** The engine ended the stream: stopped (one too many streams) or failed (`error`, e.g. the app is gone after an apply). The report is no longer kept current. */
      readonly ended?: { readonly reason: 'stopped' | 'failed'; readonly error?: EngineErrorInfo };
    }
  | { readonly status: 'failed'; readonly error: unknown };

/** The same string exactly when the same drift stream is meant. */
export function driftTargetKey(t: LiveTarget | null): string {
  return t === null ? '' : JSON.stringify([t.repoId, t.rev, t.app.app ?? null, t.app.path ?? null, t.context]);
}

export function useDrift(host: Pick<HostApi, 'watchDrift' | 'stopDrift' | 'onEvent'>, target: LiveTarget | null): DriftState {
  const [state, setState] = useState<DriftState>({ status: target ? 'starting' : 'idle' });
  const key = driftTargetKey(target);

  useEffect(() => {
    if (!target) {
      setState({ status: 'idle' });
      return;
    }
    const streamId = newStreamId('drift');
    let live = true;
    // The events may arrive before the answer: the answer's report is then the older one.
    let evented = false;
    setState({ status: 'starting' });
    const unsubscribe = host.onEvent((e) => {
      if (!live || !('streamId' in e) || e.streamId !== streamId) return;
      if (e.type === 'drift') {
        evented = true;
        setState({ status: 'live', report: e.report });
      } else if (e.type === 'drift-ended') {
        const ended = { reason: e.reason, ...(e.error && { error: e.error }) };
        setState((s) => (s.status === 'live' ? { ...s, ended } : s));
      }
    });
    const started = host.watchDrift({ streamId, repoId: target.repoId, rev: target.rev, ...(target.app.app !== undefined ? { app: target.app.app } : { path: target.app.path }), context: target.context });
    started.then(
      (answer) => {
        if (live && !evented) setState({ status: 'live', report: answer.report });
      },
      (error: unknown) => live && setState({ status: 'failed', error }),
    );
    return () => {
      live = false;
      unsubscribe();
      // Stopped once started: a stop that overtook the start would find nothing to stop.
      started.then(
        () => host.stopDrift({ streamId }).catch(() => undefined),
        () => undefined,
      );
    };
    // `key` stands for `target`: the same app at the same revision on the same context is the same stream.
  }, [host, key]);

  return state;
}
