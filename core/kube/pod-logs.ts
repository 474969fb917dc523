/**
 * Pod logs: one container's log, read or followed through the API server (`pods/log`, which the
 * kubelet serves) with client-node's `Log` API, as a stream of line chunks from a bounded buffer
 * (./log-buffer.ts).
 *
 * Before asking for the log, the Pod is read, so that what kubectl leaves to the kubelet's wording
 * is said plainly (DESIGN.md rule 10): a Pod that is gone, a container it does not have, a
 * container that has not started (and why: Pending and unschedulable, ContainerCreating,
 * ImagePullBackOff), no previous run to show. While following, the Pod is read again every few
 * seconds: a deleted Pod ends the stream with `pod-deleted` (a real kubelet closes the stream when
 * the container stops; that ends it with `complete`).
 *
 * Log lines are the app's own output and pass through as they are (that is what kubectl shows, and
 * a Secret an app prints is the app's to hide). Slipway never writes them anywhere else: nothing
 * here logs, and no error message carries a line.
 */
import { Writable } from 'node:stream';
import { Log, type KubeConfig, type LogOptions } from '@kubernetes/client-node';
import { SlipwayError } from '../model/diagnostics.js';
import type { LogEndReason } from '../model/logs.js';
import { KubeClient } from './client.js';
import { KubeError, toKubeError, type KubeRequestInfo } from './errors.js';
import { kubeConfigFor, type LoadedKubeconfig } from './kubeconfig.js';
import { batches, LogLineBuffer, type BatchOptions, type LogBufferOptions, type LogChunk } from './log-buffer.js';
import type { KubeObject } from './types.js';

export type { LogChunk, OverflowPolicy } from './log-buffer.js';

/** Which log to read, and how much of it. */
export interface PodLogRequest {
  readonly namespace: string;
  readonly pod: string;
  /** Default: the Pod's default container (its `kubectl.kubernetes.io/default-container` annotation, else its first), as kubectl picks it. */
  readonly container?: string;
  /** Keep reading as the container writes, until the container stops, the Pod is deleted, or the stream is closed. */
  readonly follow?: boolean;
  /** The container's previous run (after a restart): its last log. */
  readonly previous?: boolean;
  /** Only the last lines (0: none, only what comes next). */
  readonly tailLines?: number;
  /** Only lines written in the last seconds. */
  readonly sinceSeconds?: number;
  /** Stop after about this many bytes (the server may cut a line). */
  readonly limitBytes?: number;
  /** Each line starts with the time the kubelet recorded it (RFC 3339). */
  readonly timestamps?: boolean;
}

export { LOG_END_REASONS, type LogEndReason } from '../model/logs.js';

export interface LogEnd {
  readonly reason: LogEndReason;
  readonly error?: SlipwayError;
}

/** The codes of the errors opening a log throws (besides KubeErrors: unreachable, forbidden, …). */
export type PodLogErrorCode = 'pod-not-found' | 'unknown-container' | 'container-not-started' | 'no-previous-container' | 'invalid-log-request' | 'log-refused';

/** The container a log is read from, and the Pod's others (for a picker). */
export interface LogContainer {
  readonly container: string;
  /** spec.containers, in order. */
  readonly containers: readonly string[];
  /** spec.initContainers (restartable "sidecar" ones included), in order. */
  readonly initContainers: readonly string[];
  /** No container was asked for and the Pod has several: this one was picked (the default). */
  readonly defaulted: boolean;
}

export interface PodLogStream extends LogContainer {
  readonly namespace: string;
  readonly pod: string;
  /** The Pod's uid when the stream was opened. */
  readonly uid: string;
  /**
   * The lines in chunks, oldest first, each with the count of lines the buffer dropped before it.
   * Ends when the stream has ended and every line held was handed out. Iterate it once.
   */
  batches(opts?: Omit<BatchOptions, 'signal'>): AsyncGenerator<LogChunk>;
  /** Resolves once the stream has ended (never rejects): why, and the error when it failed. */
  readonly done: Promise<LogEnd>;
  /** Stops reading (the end's reason is `stopped`); lines already held can still be taken. */
  close(): void;
}

/** What reading logs needs of a cluster: a KubeClient and client-node's Log (kubePodLogPort), or a fake in tests. */
export interface PodLogPort {
  readonly context: string;
  readonly server: string;
  /** The Pod, or null when there is none of this name. Rejects with a KubeError. */
  readPod(namespace: string, name: string): Promise<KubeObject | null>;
  /**
   * Starts the log request: resolves once the server answered 200 (the log then flows into `sink`,
   * which is ended when the server ends it), rejects with a KubeError that carries the server's
   * reason. A followed log's answer comes with its first line, however long that takes.
   * `signal` ends the request at any time, answered or not, and releases its connection; it is
   * aborted once the stream has ended whatever the reason.
   */
  streamLog(namespace: string, pod: string, container: string, sink: Writable, options: LogOptions, signal: AbortSignal): Promise<void>;
}

export interface OpenLogOptions {
  /** The buffer between the stream and the reader (default: 10,000 lines, 8 MiB, drop the oldest). */
  readonly buffer?: LogBufferOptions;
  /** While following, how often the Pod is read to notice its deletion (default 2 s; 0: never). */
  readonly podCheckMs?: number;
  /** Aborting it closes the stream. */
  readonly signal?: AbortSignal;
}

const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';
const DEFAULT_POD_CHECK_MS = 2000;

// ── pure parts ───────────────────────────────────────────────────────────────

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
}
interface ContainerStatus {
  name?: string;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}
interface PodShape {
  metadata: { name: string; namespace?: string; uid?: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec?: { nodeName?: string; containers?: Array<{ name?: string }>; initContainers?: Array<{ name?: string }>; ephemeralContainers?: Array<{ name?: string }> };
  status?: {
    phase?: string;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
  };
}

const podName = (namespace: string, name: string): string => `Pod ${namespace}/${name}`;
const names = (list: ReadonlyArray<{ name?: string }> | undefined): string[] => (list ?? []).map((c) => c.name ?? '').filter(Boolean);

/** A state as a few words: "waiting (ImagePullBackOff: Back-off pulling image …)". */
function describeState(state: ContainerState | undefined): string {
  if (state?.waiting) return `waiting${reasonText(state.waiting.reason, state.waiting.message)}`;
  if (state?.terminated) return `terminated${reasonText(state.terminated.reason ?? (state.terminated.exitCode !== undefined ? `exit code ${state.terminated.exitCode}` : undefined), state.terminated.message)}`;
  if (state?.running) return 'running';
  return 'not started';
}

function reasonText(reason: string | undefined, message: string | undefined): string {
  const words = [reason, message].filter((w): w is string => !!w && w.trim() !== '');
  return words.length > 0 ? ` (${words.join(': ')})` : '';
}

/**
 * The container to read and the Pod's containers, or an error that says why there is no such log:
 * a container the Pod does not have, one that has not started (with the Pod's or the container's
 * reason), or no previous run. Pure: the Pod as the API server returned it.
 */
export function logContainerOf(pod: KubeObject, req: Pick<PodLogRequest, 'container' | 'previous'>, context: string): LogContainer {
  const p = pod as unknown as PodShape;
  const namespace = p.metadata.namespace ?? '';
  const what = podName(namespace, p.metadata.name);
  const containers = names(p.spec?.containers);
  const initContainers = names(p.spec?.initContainers);
  const ephemeral = names(p.spec?.ephemeralContainers);
  let container = req.container;
  let defaulted = false;
  if (container === undefined) {
    const annotated = p.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
    container = annotated && containers.includes(annotated) ? annotated : containers[0];
    defaulted = containers.length > 1;
    if (container === undefined) throw new SlipwayError('unknown-container', `${what} has no containers (context ${context})`);
  } else if (![...containers, ...initContainers, ...ephemeral].includes(container)) {
    const others = [`its containers: ${containers.join(', ') || 'none'}`, ...(initContainers.length > 0 ? [`init containers: ${initContainers.join(', ')}`] : [])];
    throw new SlipwayError('unknown-container', `${what} has no container "${container}" (context ${context}); ${others.join('; ')}`);
  }
  const statuses = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? []), ...(p.status?.ephemeralContainerStatuses ?? [])];
  const status = statuses.find((s) => s.name === container);
  const ran = (s: ContainerState | undefined): boolean => !!(s?.running || s?.terminated);

  if (req.previous) {
    if (!ran(status?.lastState)) {
      const restarts = status?.restartCount ?? 0;
      throw new SlipwayError('no-previous-container', `container "${container}" of ${what} has no previous run to show: it has not restarted (restarts: ${restarts}; it is ${describeState(status?.state)}) (context ${context})`, {
        hint: 'leave out --previous to read its current log',
      });
    }
  } else if (!ran(status?.state) && !ran(status?.lastState)) {
    throw new SlipwayError('container-not-started', `container "${container}" of ${what} has not started, so it has no log yet: ${notStartedReason(p, status)} (context ${context})`);
  }
  return { container, containers, initContainers, defaulted };
}

/** Why a container has not run: the Pod is not scheduled (and why), or the container is waiting (and why). */
function notStartedReason(p: PodShape, status: ContainerStatus | undefined): string {
  if (!p.spec?.nodeName) {
    const scheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    return `the Pod is ${p.status?.phase ?? 'Pending'} and not scheduled to a node${reasonText(scheduled?.reason, scheduled?.message)}`;
  }
  if (status?.state?.waiting) return `it is waiting${reasonText(status.state.waiting.reason, status.state.waiting.message)}`;
  return `the Pod is ${p.status?.phase ?? 'Pending'} and the container has no status yet`;
}

/** Whole numbers in range, or an error naming the option. */
function checkCount(value: number | undefined, name: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) throw new SlipwayError('invalid-log-request', `${name} must be a whole number of at least ${min} (got ${value})`);
}

/** The request as client-node's LogOptions (checked: whole numbers in range). */
export function toLogOptions(req: PodLogRequest): LogOptions {
  checkCount(req.tailLines, 'tailLines', 0);
  checkCount(req.sinceSeconds, 'sinceSeconds', 1);
  checkCount(req.limitBytes, 'limitBytes', 1);
  const out: LogOptions = { follow: req.follow === true, previous: req.previous === true, timestamps: req.timestamps === true };
  if (req.tailLines !== undefined) out.tailLines = req.tailLines;
  if (req.sinceSeconds !== undefined) out.sinceSeconds = req.sinceSeconds;
  if (req.limitBytes !== undefined) out.limitBytes = req.limitBytes;
  return out;
}

function podNotFound(namespace: string, name: string, context: string, cause?: unknown): SlipwayError {
  return new SlipwayError('pod-not-found', `${podName(namespace, name)} not found (context ${context}): it was deleted, or never existed`, {
    hint: "a workload's Pods are replaced when it rolls out or restarts: list the current ones (slipway logs --app …, or kubectl get pods)",
    ...(cause !== undefined && { cause }),
  });
}

// ── the stream ───────────────────────────────────────────────────────────────

/**
 * Opens the log of one container of a Pod. Rejects with a SlipwayError (codes: PodLogErrorCode) or
 * a KubeError (unreachable, forbidden, …) when there is no log to read; afterwards, failures end
 * the stream (`done`, reason `failed`). A follow resolves once the Pod was read and the request
 * sent (the server answers with the first line): a refusal of the log request itself then ends
 * the stream as `failed`, with the same error.
 */
export async function openPodLogs(port: PodLogPort, req: PodLogRequest, opts: OpenLogOptions = {}): Promise<PodLogStream> {
  const { context } = port;
  const options = toLogOptions(req);
  const pod = await port.readPod(req.namespace, req.pod);
  if (!pod) throw podNotFound(req.namespace, req.pod, context);
  const chosen = logContainerOf(pod, req, context);
  const uid = pod.metadata.uid ?? '';
  const buffer = new LogLineBuffer(opts.buffer);
  const decoder = new TextDecoder('utf-8');

  let resolveDone!: (end: LogEnd) => void;
  const done = new Promise<LogEnd>((r) => (resolveDone = r));
  let ended = false;
  const request = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const finish = (end: LogEnd): void => {
    if (ended) return;
    ended = true;
    if (timer) clearInterval(timer);
    opts.signal?.removeEventListener('abort', stop);
    request.abort();
    buffer.end();
    resolveDone(end);
  };
  const stop = (): void => finish({ reason: 'stopped' });
  /** The Pod is gone, or another Pod has its name now. */
  const podGone = async (): Promise<boolean> => {
    const now = await port.readPod(req.namespace, req.pod);
    return !now || (uid !== '' && now.metadata.uid !== uid);
  };

  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!ended) buffer.write(decoder.decode(chunk, { stream: true }));
      if (buffer.overflow === 'wait' && buffer.full && !ended) void buffer.drained().then(() => callback());
      else callback();
    },
    final(callback) {
      if (!ended) buffer.write(decoder.decode());
      callback();
      // The server ended the log: all of it (not following), or the container stopped (following).
      if (!req.follow) return finish({ reason: 'complete' });
      podGone().then(
        (gone) => finish({ reason: gone ? 'pod-deleted' : 'complete' }),
        () => finish({ reason: 'complete' }),
      );
    },
  });
  // client-node pipes the response into the sink and gives no other handle on it: an abort or a
  // broken connection is an error of that source stream, which would otherwise be uncaught.
  sink.on('pipe', (source: NodeJS.ReadableStream) => {
    source.on('error', (err: unknown) => {
      if (ended) return;
      finish({ reason: 'failed', error: toKubeError(err, { context, server: port.server, verb: 'get', resource: 'pods/log' }) });
    });
  });
  sink.on('error', () => {});

  const answered = port.streamLog(req.namespace, req.pod, chosen.container, sink, options, request.signal);
  if (!req.follow) {
    try {
      await answered;
    } catch (err) {
      request.abort();
      throw refused(err, req, chosen.container, context);
    }
  } else {
    // A followed log answers with its first line: a quiet one (or a tail of 0) would hold the
    // open until something is written. The Pod was read just now; a refusal ends the stream.
    answered.then(
      () => {},
      (err: unknown) => {
        if (ended) return;
        const e = refused(err, req, chosen.container, context);
        // Deleted between the read and the log request.
        if (e instanceof SlipwayError && e.code === 'pod-not-found') return finish({ reason: 'pod-deleted' });
        finish({ reason: 'failed', error: e instanceof SlipwayError ? e : toKubeError(e, { context, server: port.server, verb: 'get', resource: 'pods/log' }) });
      },
    );
  }
  if (opts.signal?.aborted) stop();
  else opts.signal?.addEventListener('abort', stop, { once: true });

  const every = opts.podCheckMs ?? DEFAULT_POD_CHECK_MS;
  if (req.follow && every > 0 && !ended) {
    let checking = false;
    timer = setInterval(() => {
      if (checking || ended) return;
      checking = true;
      podGone()
        .then((gone) => gone && finish({ reason: 'pod-deleted' }))
        .catch(() => {}) // unreachable for a moment: the log stream itself says when the connection is lost
        .finally(() => (checking = false));
    }, every);
    timer.unref();
  }

  let iterated = false;
  return {
    namespace: req.namespace,
    pod: req.pod,
    uid,
    ...chosen,
    batches(batchOpts = {}) {
      if (iterated) throw new Error('a log stream is iterated once');
      iterated = true;
      return batches(buffer, batchOpts);
    },
    done,
    close: stop,
  };
}

/** A refused log request as an error that names the container and says why. */
function refused(err: unknown, req: PodLogRequest, container: string, context: string): unknown {
  if (!(err instanceof KubeError)) return err;
  if (err.code === 'not-found') return podNotFound(req.namespace, req.pod, context, err);
  if (err.code === 'bad-request') {
    // A real kubelet's words for these: "previous terminated container … not found", "… is waiting to start: …".
    const code = /previous terminated container/.test(err.message) ? 'no-previous-container' : /waiting to start|ContainerCreating|PodInitializing/.test(err.message) ? 'container-not-started' : 'log-refused';
    return new SlipwayError(code, `the log of container "${container}" of ${podName(req.namespace, req.pod)} could not be read (context ${context}): ${err.message}`, { cause: err });
  }
  return err;
}

// ── the cluster side ─────────────────────────────────────────────────────────

export interface KubePodLogPort extends PodLogPort {
  /** Releases the client's connections (open streams end). */
  close(): Promise<void>;
}

/**
 * Reads Pods with a KubeClient and streams logs with client-node's Log API (same kubeconfig
 * context: its credentials, exec plugins and TLS). `timeoutMs` bounds reading a Pod and the wait
 * for a log's first answer, never a stream once it flows.
 */
export function kubePodLogPort(kubeconfig: LoadedKubeconfig, context: string, opts: { readonly timeoutMs?: number } = {}): KubePodLogPort {
  const client = new KubeClient(kubeconfig, context, { ...(opts.timeoutMs !== undefined && { timeoutMs: opts.timeoutMs }) });
  const kc = kubeConfigFor(kubeconfig, context);
  const info = (extra: Partial<KubeRequestInfo> = {}): KubeRequestInfo => ({ context, server: client.server, timeoutMs: client.timeoutMs, ...extra });
  const podPath = (namespace: string, name: string): string => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;

  return {
    context,
    server: client.server,

    async readPod(namespace, name) {
      try {
        return (await client.request('GET', podPath(namespace, name), { info: { verb: 'get', key: { group: '', version: 'v1', kind: 'Pod', namespace, name } } })) as KubeObject;
      } catch (err) {
        if (err instanceof KubeError && err.code === 'not-found') return null;
        throw err;
      }
    },

    async streamLog(namespace, pod, container, sink, options, signal) {
      // Each call of client-node's Log makes its own connection pool (an undici Agent) and hands
      // back an AbortController only once the server answered. The pool is taken as it is made,
      // so that `signal` can end the request before an answer (a quiet followed log answers with
      // its first line) and release the connection after it.
      let dispatcher: { destroy(): Promise<void> } | undefined;
      let controller: AbortController | undefined;
      const forCall = Object.create(kc) as KubeConfig;
      forCall.applySecurityAuthentication = async (ctx) => {
        await kc.applySecurityAuthentication(ctx);
        dispatcher = ctx.getDispatcher() as typeof dispatcher;
        if (signal.aborted) void dispatcher?.destroy().catch(() => {});
      };
      const release = (): void => {
        controller?.abort();
        void dispatcher?.destroy().catch(() => {});
      };
      signal.addEventListener('abort', release, { once: true });
      // client-node's Log takes tailLines 0 for "absent": as text it is sent.
      const sent: LogOptions = options.tailLines === 0 ? { ...options, tailLines: '0' as unknown as number } : options;
      const started = new Log(forCall).log(namespace, pod, container, sink, sent).then((c) => {
        controller = c;
        if (signal.aborted) c.abort();
        return c;
      });
      started.catch(() => {}); // a late refusal after the time limit, or after a stop: already answered for
      let timer: NodeJS.Timeout | undefined;
      // A followed log answers only with its first line: no time limit on it.
      const timeout = new Promise<never>((_, reject) => {
        if (!options.follow) timer = setTimeout(() => reject(Object.assign(new Error('no answer in time'), { name: 'TimeoutError' })), client.timeoutMs);
      });
      try {
        await Promise.race([started, timeout]);
      } catch (err) {
        release();
        if (signal.aborted) throw Object.assign(new Error('the log request was stopped'), { name: 'AbortError' });
        const what = info({ verb: 'get', resource: 'pods/log' });
        if (!(typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number')) throw toKubeError(err, what);
        // client-node's Log drops the body of a refusal (and calls a network failure a 500): ask
        // once more, without following, for the server's reason.
        throw await reasonOfRefusal(client, `${podPath(namespace, pod)}/log`, container, options, err, what);
      } finally {
        clearTimeout(timer);
      }
    },

    close: () => client.close(),
  };
}

async function reasonOfRefusal(client: KubeClient, path: string, container: string, options: LogOptions, original: unknown, info: KubeRequestInfo): Promise<KubeError> {
  try {
    await client.request('GET', path, {
      query: { container, previous: options.previous ? true : undefined, limitBytes: 1, tailLines: 1 },
      accept: '*/*',
      text: true,
      info: { verb: info.verb, ...(info.resource !== undefined && { resource: info.resource }) },
    });
  } catch (err) {
    if (err instanceof KubeError) return err;
  }
  return toKubeError(original, info);
}
