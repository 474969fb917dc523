/**
 * Pod log streams running in this engine, for the UI's log view (contract: startLogs, stopLogs,
 * the `log-lines` and `log-ended` events). Each stream is one container's log
 * (core/kube/pod-logs.ts) under a stream id the caller chose, so the caller can pick its events
 * before the start's answer arrives.
 *
 * A log can be written far faster than a window should be told about it line by line: lines are
 * published in batches, at most one `log-lines` event per stream every `intervalMs` (default
 * 100 ms) of at most `maxLinesPerEvent` lines; what arrives meanwhile waits in the stream's bounded
 * buffer, whose oldest lines are dropped when it is full (each event says how many were dropped
 * before its lines). A follow at 2,000 lines/s is ten events a second of ~200 lines.
 *
 * At most `maxStreams` run at once: starting one more stops the oldest (its `log-ended` says
 * `stopped`), so a window that went away without stopping its streams cannot pile them up.
 * Searching the lines is the view's business. Lines are never logged by the engine.
 */
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import type { LogBufferOptions } from '../kube/log-buffer.js';
import { kubePodLogPort, openPodLogs, type KubePodLogPort, type PodLogRequest, type PodLogStream } from '../kube/pod-logs.js';
import { SlipwayError } from '../model/diagnostics.js';
import type { EngineEvent } from './contract.js';
import { toEngineError } from './dispatch.js';

export interface LogStreamsOptions {
  /** At least this long between two `log-lines` events of a stream (default 100 ms). */
  readonly intervalMs?: number;
  /** At most this many lines per event (default 1,000). */
  readonly maxLinesPerEvent?: number;
  /** Streams running at once (default 16); one more stops the oldest. */
  readonly maxStreams?: number;
  /** Each stream's buffer (default 10,000 lines, 4 MiB, oldest dropped). */
  readonly buffer?: LogBufferOptions;
  /** While following, how often the Pod is read to notice its deletion (default 2 s). */
  readonly podCheckMs?: number;
  /** How a stream reaches the cluster (tests pass a fake). */
  readonly port?: (kubeconfig: LoadedKubeconfig, context: string, timeoutMs: number | undefined) => KubePodLogPort;
}

export interface StartLogsRequest {
  readonly streamId: string;
  readonly kubeconfig: LoadedKubeconfig;
  readonly context: string;
  readonly log: PodLogRequest;
  /** Bounds reading the Pod and the wait for the log's first answer (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/** What the start answers: the stream and the container read, with the Pod's containers for a picker. */
export interface StartedLogs {
  readonly streamId: string;
  readonly container: string;
  readonly containers: string[];
  readonly initContainers: string[];
  readonly defaulted: boolean;
}

interface Running {
  readonly stream?: PodLogStream;
  readonly done: Promise<void>;
  stop(): void;
}

export class LogStreams {
  private readonly running = new Map<string, Running>();
  private closed = false;

  constructor(
    private readonly publish: (e: EngineEvent) => void,
    private readonly opts: LogStreamsOptions = {},
  ) {}

  /** Opens the log; rejects (publishing nothing) when there is none to read: a gone Pod, an unknown container, … */
  async start(req: StartLogsRequest): Promise<StartedLogs> {
    if (this.closed) throw new SlipwayError('engine-closed', 'the engine is shutting down');
    const { streamId } = req;
    if (this.running.has(streamId)) throw new SlipwayError('log-stream-exists', `a log stream ${streamId} is running already`, { hint: 'choose a new stream id for each start (e.g. crypto.randomUUID())' });
    const abort = new AbortController();
    // Reserved while opening: a second start with the same id is refused, a stop aborts the opening.
    const opening: Running = { done: Promise.resolve(), stop: () => abort.abort() };
    this.running.set(streamId, opening);
    const port = (this.opts.port ?? ((k, c, t) => kubePodLogPort(k, c, { ...(t !== undefined && { timeoutMs: t }) })))(req.kubeconfig, req.context, req.requestTimeoutMs);
    let stream: PodLogStream;
    try {
      stream = await openPodLogs(port, req.log, {
        buffer: { maxLines: 10_000, maxBytes: 4 * 1024 * 1024, ...this.opts.buffer, overflow: 'drop-oldest' },
        ...(this.opts.podCheckMs !== undefined && { podCheckMs: this.opts.podCheckMs }),
        signal: abort.signal,
      });
    } catch (err) {
      this.running.delete(streamId);
      await port.close();
      throw err;
    }
    const done = this.pump(streamId, stream).finally(async () => {
      if (this.running.get(streamId)?.stream === stream) this.running.delete(streamId);
      await port.close();
    });
    if (abort.signal.aborted || this.running.get(streamId) !== opening) {
      // Stopped (or evicted) while opening: it ends at once, publishing its end.
      stream.close();
      if (this.running.get(streamId) === opening) this.running.delete(streamId);
    } else this.running.set(streamId, { stream, done, stop: () => stream.close() });
    this.evictOldest();
    return { streamId, container: stream.container, containers: [...stream.containers], initContainers: [...stream.initContainers], defaulted: stream.defaulted };
  }

  /** False when no stream of this id runs here (it ended already, or never started). */
  stop(streamId: string): boolean {
    const r = this.running.get(streamId);
    r?.stop();
    return r !== undefined;
  }

  /** Streams running now. */
  get size(): number {
    return this.running.size;
  }

  /** Stops every stream and waits until each has published its end. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.running.values()];
    for (const r of all) r.stop();
    await Promise.all(all.map((r) => r.done));
  }

  private async pump(streamId: string, stream: PodLogStream): Promise<void> {
    const intervalMs = this.opts.intervalMs ?? 100;
    const maxLines = this.opts.maxLinesPerEvent ?? 1000;
    try {
      for await (const chunk of stream.batches({ intervalMs, maxLines })) {
        this.publish({ type: 'log-lines', streamId, lines: [...chunk.lines], dropped: chunk.dropped });
      }
    } finally {
      const end = await stream.done;
      this.publish({ type: 'log-ended', streamId, reason: end.reason, ...(end.error && { error: toEngineError(end.error) }) });
    }
  }

  private evictOldest(): void {
    const max = this.opts.maxStreams ?? 16;
    for (const [id, r] of this.running) {
      if (this.running.size <= max) break;
      r.stop();
      this.running.delete(id);
    }
  }
}
