/**
 * One watch per kind and namespace (DESIGN.md floor "watch"), shared by everything that wants to
 * follow those objects: the live view, drift (core/watch/drift.ts) and apply's health waits.
 *
 * A WatchHub belongs to one client (one context). `hub.subscribe({ resource, namespace }, listener)`
 * joins the watch of that kind and namespace, starting it for the first subscriber; the watch stops
 * when its last subscription is closed (reference counted). Each watch:
 * - lists first (pages of 500) and remembers the list's resourceVersion,
 * - watches from there with bookmarks (`allowWatchBookmarks`) through client-node's Watch,
 *   reopening the stream from the last resourceVersion it saw when the server ends it (every 5-10
 *   minutes, `timeoutSeconds`) or it stays quiet too long (`idleTimeoutMs`: bookmarks come about
 *   once a minute),
 * - lists again when the server says that resourceVersion is too old (410 Gone, in the stream or
 *   as the answer), telling subscribers only what changed meanwhile,
 * - backs off exponentially (1 s doubling to 30 s, with jitter) while the server cannot be reached,
 *   and says so in its state: `reconnecting` with the reason; `forbidden` with the missing right;
 * - notices a server that stopped answering without closing connections (a frozen process): the
 *   hub asks `/version` when its streams have been quiet for `probeIntervalMs`, and a probe that
 *   gets no answer in `probeTimeoutMs` sets every watch reconnecting.
 *
 * Listeners get `onChange` with the API server's words (ADDED, MODIFIED, DELETED; the object as
 * the server sends it, apiVersion and kind filled in for listed objects) and `onState` when the
 * state changes. A new subscriber first gets (on the next microtask) ADDED for each object the
 * watch already holds and its current state, so every subscriber sees the same sequence.
 *
 * Objects stay in the engine: nothing here logs or prints them (Secrets are watched like any kind).
 */
import { apiVersionOf } from '../model/resource.js';
import { resourceName, resourcePath } from '../kube/client.js';
import { KubeError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { describe, forbiddenReason, isTimeout, statusOf } from './watch-errors.js';
import type { BackoffOptions, SubscribeOptions, WatchChange, WatchClient, WatchHubOptions, WatchInfo, WatchListener, WatchState, WatchSubscription, WatchTarget } from './watch-types.js';

export { WATCH_PHASES } from './watch-types.js';
export type { BackoffOptions, SubscribeOptions, WatchChange, WatchClient, WatchHubOptions, WatchInfo, WatchListener, WatchPhase, WatchState, WatchSubscription, WatchTarget } from './watch-types.js';

/** How long an opened stream must stay open (without a first event) before the watch counts as synced. */
const SYNC_GRACE_MS = 200;

const DEFAULTS = { initialMs: 1000, maxMs: 30_000, idleTimeoutMs: 90_000, probeIntervalMs: 10_000, probeTimeoutMs: 5000, pageSize: 500 } as const;

/** The delay before retry `attempt` (1, 2, …): initial × 2^(attempt-1), at most max, ±20 % jitter. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = opts.initialMs ?? DEFAULTS.initialMs;
  const max = opts.maxMs ?? DEFAULTS.maxMs;
  const base = Math.min(max, initial * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The key of a watch: group/version/plural@namespace ("*": all namespaces or cluster-scoped). */
export function watchKey(target: WatchTarget): string {
  const r = target.resource;
  return `${apiVersionOf(r)}/${r.plural}@${r.namespaced && target.namespace ? target.namespace : '*'}`;
}

/** What differs between what a watch held and a new list of it: the changes to tell subscribers. */
export function relistChanges(held: ReadonlyMap<string, KubeObject>, listed: ReadonlyMap<string, KubeObject>): WatchChange[] {
  const out: WatchChange[] = [];
  for (const [id, obj] of listed) {
    const before = held.get(id);
    if (!before) out.push({ type: 'ADDED', object: obj });
    else if (before.metadata.resourceVersion !== obj.metadata.resourceVersion) out.push({ type: 'MODIFIED', object: obj });
  }
  for (const [id, obj] of held) if (!listed.has(id)) out.push({ type: 'DELETED', object: obj });
  return out;
}

const idOf = (obj: { metadata?: { name?: string; namespace?: string } }): string => `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;

export class WatchHub {
  private readonly watches = new Map<string, SharedWatch>();
  private probeTimer: ReturnType<typeof setInterval> | undefined;
  private probing = false;
  /** When a stream of this hub last received anything. */
  lastData: number;
  closed = false;
  readonly opts: Required<Pick<WatchHubOptions, 'idleTimeoutMs' | 'probeIntervalMs' | 'probeTimeoutMs' | 'pageSize' | 'now' | 'random'>> & Pick<WatchHubOptions, 'backoff' | 'onListenerError'>;

  constructor(
    readonly client: WatchClient,
    opts: WatchHubOptions = {},
  ) {
    this.opts = {
      idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
      probeIntervalMs: opts.probeIntervalMs ?? DEFAULTS.probeIntervalMs,
      probeTimeoutMs: opts.probeTimeoutMs ?? DEFAULTS.probeTimeoutMs,
      pageSize: opts.pageSize ?? DEFAULTS.pageSize,
      now: opts.now ?? Date.now,
      random: opts.random ?? Math.random,
      ...(opts.backoff && { backoff: opts.backoff }),
      ...(opts.onListenerError && { onListenerError: opts.onListenerError }),
    };
    this.lastData = this.opts.now();
  }

  /** Joins (or starts) the watch of a kind in a namespace. */
  subscribe(target: WatchTarget, listener: WatchListener, opts: SubscribeOptions = {}): WatchSubscription {
    if (this.closed) throw new Error('the watch hub is closed');
    const key = watchKey(target);
    let watch = this.watches.get(key);
    if (!watch) {
      watch = new SharedWatch(this, key, target);
      if (opts.from) watch.seed(opts.from);
      this.watches.set(key, watch);
      watch.start();
      this.startProbe();
    }
    return watch.join(listener);
  }

  /** Every running watch with its state. */
  list(): WatchInfo[] {
    return [...this.watches.values()].map((w) => w.info());
  }

  /** Watches waiting to reconnect try again now instead of at the end of their backoff. */
  retryNow(): void {
    for (const w of this.watches.values()) w.wake();
  }

  /** Stops every watch; subscriptions get no more calls. */
  close(): void {
    this.closed = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    for (const w of [...this.watches.values()]) w.stop();
    this.watches.clear();
  }

  /** @internal a watch whose last subscriber left. */
  drop(watch: SharedWatch): void {
    if (this.watches.get(watch.key) === watch) this.watches.delete(watch.key);
    watch.stop();
    if (this.watches.size === 0 && this.probeTimer) {
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
    }
  }

  /** @internal calls a listener; what it throws is not the watch's problem. */
  deliver(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (this.opts.onListenerError) this.opts.onListenerError(err);
      else
        queueMicrotask(() => {
          throw err;
        });
    }
  }

  private startProbe(): void {
    if (this.probeTimer || this.opts.probeIntervalMs <= 0) return;
    const interval = Math.max(250, Math.min(this.opts.probeIntervalMs, 5000));
    this.probeTimer = setInterval(() => void this.maybeProbe(), interval);
    this.probeTimer.unref();
  }

  private async maybeProbe(): Promise<void> {
    if (this.probing || this.closed || this.opts.now() - this.lastData < this.opts.probeIntervalMs) return;
    this.probing = true;
    try {
      const lost = await this.probe();
      if (this.closed) return;
      if (lost) for (const w of this.watches.values()) w.connectionLost(lost);
      else {
        this.lastData = this.opts.now();
        for (const w of this.watches.values()) w.serverAnswers();
      }
    } finally {
      this.probing = false;
    }
  }

  /** undefined when the server answered anything at all; else why it is taken for gone. */
  private async probe(): Promise<string | undefined> {
    try {
      await this.client.request('GET', '/version', { timeoutMs: this.opts.probeTimeoutMs, info: { verb: 'get', resource: '/version' } });
      return undefined;
    } catch (err) {
      if (err instanceof KubeError && err.status !== undefined) return undefined; // it answered: alive
      return err instanceof Error ? err.message : String(err);
    }
  }
}

type StreamEnd = 'gone' | 'closed' | 'aborted';

class SharedWatch {
  private readonly listeners = new Set<WatchListener>();
  private readonly objects = new Map<string, KubeObject>();
  private current: WatchState = { phase: 'connecting' };
  private rv: string | undefined;
  private stopped = false;
  private controller: AbortController | undefined;
  /** Why the stream was aborted by us ('lost': the probe took the server for gone). */
  private aborting: 'stop' | 'lost' | 'error' | undefined;
  private failures = 0;
  private quickCloses = 0;
  private lists = 0;
  private wakeUp: (() => void) | undefined;
  private readonly path: string;

  constructor(
    private readonly hub: WatchHub,
    readonly key: string,
    readonly target: WatchTarget,
  ) {
    const r = target.resource;
    this.path = resourcePath(r, { namespace: r.namespaced ? target.namespace : undefined });
  }

  start(): void {
    void this.run();
  }

  seed(from: NonNullable<SubscribeOptions['from']>): void {
    for (const obj of from.objects) this.objects.set(idOf(obj), obj);
    this.rv = from.resourceVersion;
  }

  join(listener: WatchListener): WatchSubscription {
    this.listeners.add(listener);
    // Replay what the watch holds, so a late subscriber sees what the first one saw.
    queueMicrotask(() => {
      if (!this.listeners.has(listener)) return;
      if (listener.onChange) for (const object of this.objects.values()) this.hub.deliver(() => listener.onChange!({ type: 'ADDED', object }));
      if (listener.onState) {
        const state = this.current;
        this.hub.deliver(() => listener.onState!(state));
      }
    });
    let open = true;
    return {
      key: this.key,
      target: this.target,
      state: () => this.current,
      objects: () => [...this.objects.values()],
      get: (name, namespace) => this.objects.get(`${this.target.resource.namespaced ? (namespace ?? this.target.namespace ?? '') : ''}/${name}`),
      close: () => {
        if (!open) return;
        open = false;
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.hub.drop(this);
      },
    };
  }

  info(): WatchInfo {
    return { key: this.key, target: this.target, state: this.current, objects: this.objects.size, subscribers: this.listeners.size, lists: this.lists };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.listeners.clear();
    this.abort('stop');
    this.wake();
  }

  /** Ends a backoff wait early. */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    w?.();
  }

  /** The probe took the server for gone: say so, and drop a stream that may never speak again. */
  connectionLost(reason: string): void {
    if (this.stopped || this.current.phase === 'forbidden') return;
    if (this.current.phase !== 'reconnecting') this.setState({ phase: 'reconnecting', reason, attempt: this.failures + 1 });
    this.abort('lost');
  }

  /** The probe got an answer: a watch waiting to reconnect tries now. */
  serverAnswers(): void {
    if (this.current.phase === 'reconnecting') this.wake();
  }

  private abort(why: 'stop' | 'lost' | 'error'): void {
    const c = this.controller;
    if (!c) return;
    this.aborting = why;
    this.controller = undefined;
    c.abort();
  }

  private setState(state: WatchState): void {
    this.current = state;
    for (const l of [...this.listeners]) if (l.onState) this.hub.deliver(() => l.onState!(state));
  }

  private emit(change: WatchChange): void {
    for (const l of [...this.listeners]) if (l.onChange) this.hub.deliver(() => l.onChange!(change));
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.rv === undefined) await this.relist();
        if (this.stopped) break;
        const started = this.hub.opts.now();
        const end = await this.stream();
        if (end === 'gone') {
          this.rv = undefined; // too old: list again, now
          continue;
        }
        if (end === 'aborted' && this.current.phase === 'reconnecting') {
          this.failures++;
          await this.sleep(backoffDelay(this.failures, this.hub.opts.backoff, this.hub.opts.random));
          continue;
        }
        // The server ended a healthy stream (its timeout) or it was quiet too long: reopen from where it was,
        // backing off only if streams keep ending at once.
        this.quickCloses = this.hub.opts.now() - started < 1000 ? this.quickCloses + 1 : 0;
        if (this.quickCloses > 0) await this.sleep(backoffDelay(this.quickCloses, this.hub.opts.backoff, this.hub.opts.random));
      } catch (err) {
        if (this.stopped) break;
        this.failures++;
        const forbidden = forbiddenReason(err, this.hub.client, this.target);
        const delay = backoffDelay(forbidden ? Number.POSITIVE_INFINITY : this.failures, this.hub.opts.backoff, this.hub.opts.random);
        const retryAt = new Date(this.hub.opts.now() + delay).toISOString();
        if (forbidden) {
          if (this.current.phase !== 'forbidden' || this.current.reason !== forbidden) this.setState({ phase: 'forbidden', reason: forbidden });
        } else {
          this.setState({ phase: 'reconnecting', reason: describe(err, this.hub.client, this.target), attempt: this.failures, retryAt });
        }
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Lists every object (page by page) and tells subscribers what changed since what the watch held. */
  private async relist(): Promise<void> {
    const { client, opts } = this.hub;
    this.lists++;
    const listed = new Map<string, KubeObject>();
    const apiVersion = apiVersionOf(this.target.resource);
    const kind = this.target.resource.kind;
    const info = { verb: 'list', resource: resourceName(this.target.resource) };
    let token: string | undefined;
    let rv = '';
    do {
      let page: { items?: Record<string, unknown>[]; metadata?: { continue?: string; resourceVersion?: string } };
      try {
        page = (await client.request('GET', this.path, { query: { limit: opts.pageSize, continue: token }, info })) as typeof page;
      } catch (err) {
        // The continue token expired while paging: one full list instead (client-go's pager does the same).
        if (!(err instanceof KubeError && err.code === 'gone' && token !== undefined)) throw err;
        page = (await client.request('GET', this.path, { info })) as typeof page;
        listed.clear();
      }
      for (const item of page.items ?? []) {
        const obj = { ...item, apiVersion, kind } as KubeObject;
        listed.set(idOf(obj), obj);
      }
      token = page.metadata?.continue || undefined;
      rv = page.metadata?.resourceVersion ?? rv;
    } while (token);
    if (this.stopped) return;
    const changes = relistChanges(this.objects, listed);
    this.objects.clear();
    for (const [id, obj] of listed) this.objects.set(id, obj);
    this.rv = rv;
    this.hub.lastData = opts.now();
    for (const c of changes) this.emit(c);
  }

  /** One watch stream from this.rv, until it ends. */
  private stream(): Promise<StreamEnd> {
    const { client, opts } = this.hub;
    return new Promise<StreamEnd>((resolve, reject) => {
      let gone = false;
      let failure: Error | undefined;
      let done = false;
      let confirmTimer: ReturnType<typeof setTimeout> | undefined;
      const confirm = (): void => {
        if (confirmTimer) clearTimeout(confirmTimer);
        confirmTimer = undefined;
        if (done || this.stopped) return;
        this.failures = 0;
        if (this.current.phase !== 'synced') this.setState({ phase: 'synced', since: new Date(opts.now()).toISOString() });
      };
      const onEvent = (type: string, raw: unknown): void => {
        if (this.stopped || done) return;
        this.hub.lastData = opts.now();
        if (type !== 'ERROR' && this.current.phase !== 'synced') confirm();
        const obj = raw as KubeObject & { code?: number; message?: string; reason?: string };
        switch (type) {
          case 'ADDED':
          case 'MODIFIED': {
            const id = idOf(obj);
            const held = this.objects.get(id);
            this.rv = obj.metadata.resourceVersion ?? this.rv;
            if (held && held.metadata.resourceVersion === obj.metadata.resourceVersion) return;
            this.objects.set(id, obj);
            this.emit({ type: held ? 'MODIFIED' : 'ADDED', object: obj });
            return;
          }
          case 'DELETED': {
            const id = idOf(obj);
            this.rv = obj.metadata.resourceVersion ?? this.rv;
            if (!this.objects.delete(id)) return;
            this.emit({ type: 'DELETED', object: obj });
            return;
          }
          case 'BOOKMARK':
            this.rv = obj.metadata?.resourceVersion ?? this.rv;
            return;
          case 'ERROR':
            // A Status: 410 Gone ("too old resource version") means list again; anything else ends this stream.
            if (obj.code === 410) gone = true;
            else failure = new Error(`the watch of ${resourceName(this.target.resource)} ended with an error: ${obj.message ?? obj.reason ?? 'unknown'}`);
            this.abort('error');
            return;
          default:
            return;
        }
      };
      const onDone = (err: unknown): void => {
        if (done) return;
        done = true;
        if (confirmTimer) clearTimeout(confirmTimer);
        this.controller = undefined;
        const aborting = this.aborting;
        this.aborting = undefined;
        if (gone || statusOf(err) === 410) resolve('gone');
        else if (failure) reject(failure);
        else if (aborting === 'stop' || aborting === 'lost') resolve('aborted');
        else if (err === null || err === undefined || isTimeout(err)) resolve('closed');
        else reject(err instanceof Error ? err : new Error(String(err)));
      };
      const timeoutSeconds = 300 + Math.floor(opts.random() * 300);
      client.watch(this.path, { resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds }, onEvent, onDone, { idleTimeoutMs: opts.idleTimeoutMs }).then(
        (controller) => {
          if (done) return;
          if (this.stopped) {
            this.aborting = 'stop';
            controller.abort();
            return;
          }
          this.controller = controller;
          this.hub.lastData = opts.now();
          // The server answered 200. A version it no longer keeps is refused right after (an ERROR 410
          // event), so the watch counts as synced at its first event or a moment later, not at once.
          if (this.current.phase !== 'synced') confirmTimer = setTimeout(confirm, SYNC_GRACE_MS);
        },
        (err: unknown) => {
          if (done) return;
          done = true;
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }
}
