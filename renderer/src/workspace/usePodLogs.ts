/**
 * One container's log for the Logs panel (startLogs): its lines arrive as `log-lines` events of
 * the stream, at most ten a second from the engine; here they are gathered and added to the
 * bounded buffer (logBuffer.ts) at most every FLUSH_MS, so a log written at 2,000 lines/s costs a
 * handful of renders a second. A new Pod, container or run (previous) starts a new stream; `stop`
 * stops reading but keeps the lines (follow off); `restart` reads again from the tail (follow on).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineErrorInfo, HostApi, LogEndReason, LogsStarted } from '../../../core/api/contract.js';
import { appendLog, EMPTY_LOG, MAX_LOG_LINES, type LogBatch, type LogBuffer } from '../logBuffer.js';
import { newStreamId } from '../streamId.js';

export const FLUSH_MS = 100;

export interface PodLogRequest {
  readonly context: string;
  readonly namespace: string;
  readonly pod: string;
  /** Absent: the Pod's default container (the answer names it). */
  readonly container?: string;
  readonly previous: boolean;
  /** Keep reading as the container writes. */
  readonly follow: boolean;
}

export interface PodLogs {
  readonly status: 'starting' | 'reading' | 'ended' | 'failed';
  /** The answer of startLogs: the container read and the Pod's containers. */
  readonly started?: LogsStarted;
  readonly buffer: LogBuffer;
  /** How the log ended. */
  readonly end?: { readonly reason: LogEndReason; readonly error?: EngineErrorInfo };
  /** Why there is no log to read (the Pod is gone, no previous run…). */
  readonly error?: unknown;
  /** Stops reading; the lines stay. */
  readonly stop: () => void;
  /** Reads the log again (its tail), with the lines cleared. */
  readonly restart: () => void;
}

type State = Omit<PodLogs, 'stop' | 'restart'>;

export function usePodLogs(host: Pick<HostApi, 'startLogs' | 'stopLogs' | 'onEvent'>, req: PodLogRequest): PodLogs {
  const [state, setState] = useState<State>({ status: 'starting', buffer: EMPTY_LOG });
  const [generation, setGeneration] = useState(0);
  const stopRef = useRef<() => void>(() => undefined);
  // Follow is read when a stream starts: turning it off stops the stream, turning it on restarts it.
  const follow = useRef(req.follow);
  follow.current = req.follow;
  const { context, namespace, pod, container, previous } = req;

  useEffect(() => {
    const streamId = newStreamId('logs');
    let live = true;
    let pending: LogBatch[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      timer = undefined;
      const batches = pending;
      pending = [];
      if (live && batches.length > 0) setState((s) => ({ ...s, buffer: appendLog(s.buffer, batches, MAX_LOG_LINES) }));
    };
    setState({ status: 'starting', buffer: EMPTY_LOG });
    const unsubscribe = host.onEvent((e) => {
      if (!live || !('streamId' in e) || e.streamId !== streamId) return;
      if (e.type === 'log-lines') {
        pending.push({ lines: e.lines, dropped: e.dropped });
        timer ??= setTimeout(flush, FLUSH_MS);
      } else if (e.type === 'log-ended') {
        if (timer) clearTimeout(timer);
        flush();
        setState((s) => ({ ...s, status: 'ended', end: { reason: e.reason, ...(e.error && { error: e.error }) } }));
      }
    });
    const started = host.startLogs({
      streamId,
      context,
      namespace,
      pod,
      ...(container !== undefined && { container }),
      ...(previous ? { previous: true } : { follow: follow.current }),
      // The view keeps this many lines: a longer past is not asked for.
      tailLines: MAX_LOG_LINES,
    });
    started.then(
      (answer) => live && setState((s) => ({ ...s, started: answer, status: s.status === 'starting' ? 'reading' : s.status })),
      (error: unknown) => live && setState((s) => ({ ...s, status: 'failed', error })),
    );
    const stop = (): void => {
      started.then(
        () => host.stopLogs({ streamId }).catch(() => undefined),
        () => undefined,
      );
    };
    stopRef.current = stop;
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      unsubscribe();
      stop();
    };
  }, [host, context, namespace, pod, container, previous, generation]);

  const stop = useCallback(() => stopRef.current(), []);
  const restart = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, stop, restart };
}
