/**
 * The words of the shared watches (watcher.ts): what a watch needs of a client, what it watches,
 * its states, the changes and subscriptions it hands out, and the hub's options.
 */
import type { HttpMethod } from '@kubernetes/client-node';
import type { ApiResource, KubeObject, RequestOptions } from '../kube/types.js';

/** What a watch needs of a Kubernetes client (a KubeClient). */
export interface WatchClient {
  readonly context: string;
  readonly server: string;
  /** The kubeconfig user, named when a right is missing. */
  readonly user: string;
  request(method: HttpMethod, path: string, opts?: RequestOptions): Promise<unknown>;
  watch(
    path: string,
    query: Readonly<Record<string, string | number | boolean | undefined>>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (err: unknown) => void,
    opts?: { readonly idleTimeoutMs?: number },
  ): Promise<AbortController>;
}

/** A kind in one namespace; no namespace: every namespace (and cluster-scoped kinds). */
export interface WatchTarget {
  readonly resource: ApiResource;
  readonly namespace?: string;
}

export const WATCH_PHASES = ['connecting', 'synced', 'reconnecting', 'forbidden'] as const;
export type WatchPhase = (typeof WATCH_PHASES)[number];

/**
 * - connecting: listing or opening the stream for the first time;
 * - synced: the objects are the server's and the stream is open (`since`: ISO time);
 * - reconnecting: the stream was lost (`reason`), retried after a backoff (`attempt` 1, 2, …; `retryAt`: ISO time of the next try);
 * - forbidden: the context may not list or watch this kind here (`reason` names the user, verb and resource); retried at the longest backoff.
 */
export type WatchState =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'synced'; readonly since: string }
  | { readonly phase: 'reconnecting'; readonly reason: string; readonly attempt: number; readonly retryAt?: string }
  | { readonly phase: 'forbidden'; readonly reason: string };

/** A change to one object, in the API server's words (the shape core/watch/tree.ts applyWatchEvents reads). */
export interface WatchChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: KubeObject;
}

export interface WatchListener {
  onChange?(change: WatchChange): void;
  onState?(state: WatchState): void;
}

export interface SubscribeOptions {
  /**
   * A list the caller already made (its objects and the list's resourceVersion): a watch that is
   * not running yet starts from it instead of listing again. A version the server no longer keeps
   * is answered 410 Gone, and the watch lists again. Ignored when the watch is already running.
   */
  readonly from?: { readonly resourceVersion: string; readonly objects: readonly KubeObject[] };
}

export interface WatchSubscription {
  /** The watch's key: "apps/v1/deployments@shop", "v1/namespaces@*". */
  readonly key: string;
  readonly target: WatchTarget;
  state(): WatchState;
  /** The objects the watch holds now. */
  objects(): KubeObject[];
  get(name: string, namespace?: string): KubeObject | undefined;
  /** Leaves the watch (it stops with its last subscription). Idempotent. */
  close(): void;
}

export interface BackoffOptions {
  /** First delay. Default 1 s. */
  readonly initialMs?: number;
  /** Longest delay. Default 30 s. */
  readonly maxMs?: number;
}

export interface WatchHubOptions {
  readonly backoff?: BackoffOptions;
  /** A stream without any event or bookmark for this long is reopened (from its resourceVersion). Also how long opening a stream may take. Default 90 s. */
  readonly idleTimeoutMs?: number;
  /** Ask the server for /version when the hub's streams have been quiet this long. Default 10 s; 0: never. */
  readonly probeIntervalMs?: number;
  /** A probe without an answer for this long means the server is gone. Default 5 s. */
  readonly probeTimeoutMs?: number;
  /** Page size of lists. Default 500. */
  readonly pageSize?: number;
  /** A listener that throws: default, the error is thrown again outside the watch (an uncaught exception), never swallowed. */
  readonly onListenerError?: (err: unknown) => void;
  /** Clock and randomness (tests). */
  readonly now?: () => number;
  readonly random?: () => number;
}

/** What the hub knows of one of its watches. */
export interface WatchInfo {
  readonly key: string;
  readonly target: WatchTarget;
  readonly state: WatchState;
  readonly objects: number;
  readonly subscribers: number;
  /** How many times it listed (the first list included): each 410 Gone adds one. */
  readonly lists: number;
}
