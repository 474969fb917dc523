/**
 * A small typed Kubernetes client for what plan and apply need: list (paginated), get, server-side
 * apply (with dryRun), create and delete of any kind, plus raw requests for discovery.
 *
 * Authentication, TLS, exec credential plugins and OIDC are client-node's (`KubeConfig`
 * `applySecurityAuthentication`, which also makes the undici dispatcher holding the TLS settings).
 * Requests go through that dispatcher with undici's `request` rather than client-node's `fetch`
 * wrapper: the same connection pool and TLS, without a WHATWG Request, Response and stream per
 * call, which is most of the client's CPU when an apply sends hundreds of objects. The typed object layer
 * (`KubernetesObjectApi`) is not used: it converts answers into generated models, which turns
 * timestamps into Date objects and drops fields the models do not know, and it serializes request
 * bodies through the same models, which would silently drop unknown fields from a manifest instead
 * of letting the server reject them. Plans diff the server's answer, so objects travel as raw JSON.
 *
 * Nothing here logs, and no message carries an object's content (Secrets stay in the engine).
 */
import { ApiException, RequestContext, Watch } from '@kubernetes/client-node';
import { request as undiciRequest } from 'undici';
import type { HttpMethod, KubeConfig } from '@kubernetes/client-node';
import type { Manifest } from '../model/desired.js';
import type { ResourceKey } from '../model/resource.js';
import { apiVersionOf, formatKey, keyOfObject } from '../model/resource.js';
import { SlipwayError } from '../model/diagnostics.js';
import { SLIPWAY_VERSION } from '../version.js';
import { KubeError, toKubeError } from './errors.js';
import type { KubeRequestInfo } from './errors.js';
import { kubeConfigFor } from './kubeconfig.js';
import type { LoadedKubeconfig } from './kubeconfig.js';
import { discover, invalidateCache } from './target.js';
import { kindNotServed } from './not-served.js';
import { resourceFor } from './discovery.js';
import type { ApiResource, FieldValidation, KubeObject, PropagationPolicy, RequestOptions } from './types.js';

export type { RequestOptions } from './types.js';

export interface KubeClientOptions {
  /** Per-request timeout (the whole request: connect, send, answer). Default 30 s. */
  readonly timeoutMs?: number;
  /** Called with the text of each Warning header the server sends (deprecated APIs, dropped fields). */
  readonly onWarning?: (warning: string, info: KubeRequestInfo) => void;
}

export interface ListOptions {
  /** Namespaced resources: this namespace only; absent: all namespaces. Ignored for cluster-scoped resources. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size. Default 500. */
  readonly limit?: number;
}

export interface ApplyOptions {
  readonly fieldManager: string;
  /** dryRun=All: run admission and defaulting, persist nothing, return what the object would be. */
  readonly dryRun?: boolean;
  /** Take ownership of fields other managers own instead of failing with a conflict. */
  readonly force?: boolean;
  /** Default "Strict": unknown or duplicate fields are errors, as with kubectl. */
  readonly fieldValidation?: FieldValidation;
}

export interface CreateOptions {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
  readonly fieldValidation?: FieldValidation;
}

/** A PUT's options; absent ones are not sent (the server's defaults). */
export interface UpdateOptions {
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
  readonly fieldValidation?: FieldValidation;
}

export interface DeleteOptions {
  readonly propagationPolicy?: PropagationPolicy;
  /** 0: delete at once, without the object's grace period (kubectl delete --force). */
  readonly gracePeriodSeconds?: number;
  readonly dryRun?: boolean;
  /** Delete only if the live object still has this uid / resourceVersion (else a 409 conflict). */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export interface DeleteResult {
  /** "deleted": gone; "deleting": accepted, waiting for finalizers or dependents; "not-found": there was nothing to delete. */
  readonly status: 'deleted' | 'deleting' | 'not-found';
  /** The object as the server returned it while "deleting". */
  readonly object?: KubeObject;
}

const APPLY_PATCH = 'application/apply-patch+yaml';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

export class KubeClient {
  readonly context: string;
  readonly server: string;
  /** The kubeconfig user of the context ("" if none). */
  readonly user: string;
  /** The context's default namespace ("default" if it names none). */
  readonly namespace: string;
  private readonly kc: KubeConfig;
  /** The per-request timeout. */
  readonly timeoutMs: number;
  /** The user's exec credential plugin (command), if it has one: named when getting credentials fails. */
  private readonly credentialPlugin: string | undefined;
  private readonly onWarning: KubeClientOptions['onWarning'];
  /** Static credentials: one connection pool for the client's life. Exec/auth-provider users may rotate client certificates, so they get client-node's per-request dispatcher. */
  private readonly reuseDispatcher: boolean;
  private dispatcher: Dispatcher | undefined;
  /**
   * Static credentials: the headers client-node adds (Authorization, from a token, token file or
   * basic auth read when the kubeconfig was loaded), taken once. Building them again per request
   * also built a throw-away undici Agent and re-read the CA and certificate files each time.
   */
  private staticAuth: Readonly<Record<string, string>> | undefined;

  constructor(kubeconfig: LoadedKubeconfig, contextName: string, opts: KubeClientOptions = {}) {
    this.kc = kubeConfigFor(kubeconfig, contextName);
    const context = this.kc.getContextObject(contextName);
    const cluster = this.kc.getCurrentCluster();
    const user = this.kc.getCurrentUser();
    this.context = contextName;
    this.server = cluster?.server ?? '';
    this.user = context?.user ?? '';
    this.namespace = context?.namespace ?? 'default';
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.onWarning = opts.onWarning;
    this.reuseDispatcher = !user?.exec && !user?.authProvider;
    const plugin = (user?.exec as { command?: unknown } | undefined)?.command;
    this.credentialPlugin = typeof plugin === 'string' ? plugin : undefined;
  }

  /** One request; resolves to the parsed JSON answer, rejects with a KubeError. */
  async request(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<unknown> {
    const { status, headers, text, info, url } = await this.send(method, path, opts);
    if (status < 200 || status > 299) throw this.failed(status, headers, text, info);
    if (opts.text) return text;
    return this.json(text, { method, url, status });
  }

  /**
   * A GET that the server may answer "not modified" (304) when `etag` is still the document's ETag
   * (discovery documents have one): `undefined` then, else the answer and its ETag.
   */
  async conditionalGet(path: string, opts: RequestOptions & { readonly etag?: string }): Promise<{ readonly body: unknown; readonly etag?: string } | undefined> {
    const { status, headers, text, info, url } = await this.send('GET', path, { ...opts, ...(opts.etag !== undefined && { headers: { 'If-None-Match': opts.etag } }) });
    if (status === 304 && opts.etag !== undefined) return undefined;
    if (status < 200 || status > 299) throw this.failed(status, headers, text, info);
    return { body: this.json(text, { method: 'GET', url, status }), ...(headers.etag !== undefined && { etag: headers.etag }) };
  }

  private failed(status: number, headers: Record<string, string>, text: string, info: KubeRequestInfo): KubeError {
    // The URL itself is unknown: a kind discovery listed is no longer served (its CRD was deleted). Discovery is read again next time.
    if (status === 404 && kindNotServed(text)) invalidateCache(this, 'discovery');
    return toKubeError(new ApiException(status, 'Unsuccessful HTTP Request', text, headers), info);
  }

  private json(text: string, at: { method: string; url: URL; status: number }): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new KubeError('api-error', `the API server of context ${this.context} answered ${at.method} ${at.url.pathname} with something that is not JSON`, { context: this.context, server: this.server, status: at.status, cause: err });
    }
  }

  private async send(method: HttpMethod, path: string, opts: RequestOptions & { readonly headers?: Readonly<Record<string, string>> }): Promise<{ status: number; headers: Record<string, string>; text: string; info: KubeRequestInfo; url: URL }> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const info: KubeRequestInfo = { context: this.context, server: this.server, timeoutMs, ...opts.info };
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const ctx = new RequestContext(url.toString(), method);
    ctx.setHeaderParam('Accept', opts.accept ?? 'application/json');
    ctx.setHeaderParam('User-Agent', `slipway/${SLIPWAY_VERSION}`);
    for (const [name, value] of Object.entries(opts.headers ?? {})) ctx.setHeaderParam(name, value);
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    }
    ctx.setSignal(AbortSignal.timeout(timeoutMs));
    if (this.staticAuth) {
      for (const [name, value] of Object.entries(this.staticAuth)) ctx.setHeaderParam(name, value);
      if (this.dispatcher) ctx.setDispatcher(this.dispatcher);
    } else {
      const before = { ...ctx.getHeaders() };
      try {
        await this.kc.applySecurityAuthentication(ctx);
      } catch (err) {
        throw toKubeError(err, { ...info, phase: 'credentials', ...(this.credentialPlugin !== undefined && { credentialPlugin: this.credentialPlugin }) });
      }
      if (this.reuseDispatcher) {
        this.dispatcher ??= ctx.getDispatcher();
        if (this.dispatcher) ctx.setDispatcher(this.dispatcher);
        this.staticAuth = Object.fromEntries(Object.entries(ctx.getHeaders()).filter(([name, value]) => before[name] !== value));
      }
    }

    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const dispatcher = ctx.getDispatcher();
      const options = { method, headers: ctx.getHeaders(), body: ctx.getBody() as string | undefined, signal: ctx.getSignal() };
      const response = await untilAborted(dispatcher ? dispatcher.request({ origin: url.origin, path: url.pathname + url.search, ...options }) : undiciRequest(url, options), options.signal);
      status = response.statusCode;
      headers = joinHeaders(response.headers);
      text = await response.body.text();
    } catch (err) {
      throw toKubeError(err, info);
    }
    if (this.onWarning && headers.warning) for (const w of parseWarnings(headers.warning)) this.onWarning(w, info);
    return { status, headers, text, info, url };
  }

  /** The served resource for a group/version/kind; discovery is refreshed once before giving up (a CRD may be new). */
  async resourceFor(gvk: { readonly group: string; readonly version: string; readonly kind: string }): Promise<ApiResource> {
    const found = resourceFor(await discover(this), gvk) ?? resourceFor(await discover(this, { refresh: true }), gvk);
    if (found) return found;
    throw new KubeError('unknown-kind', `${gvk.kind} ${apiVersionOf(gvk)} is not served by the cluster of context ${this.context}`, {
      context: this.context,
      server: this.server,
      hint: 'is its CustomResourceDefinition installed, or was the apiVersion removed from this Kubernetes version?',
    });
  }

  /** Every object of a resource, page by page (`limit`, then `continue` until the server has no more). */
  async list(resource: ApiResource, opts: ListOptions = {}): Promise<KubeObject[]> {
    const path = resourcePath(resource, { namespace: opts.namespace });
    const base = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    const info = { verb: 'list', resource: resourceName(resource) };
    const items: KubeObject[] = [];
    let token: string | undefined;
    do {
      let page: { items?: Record<string, unknown>[]; metadata?: { continue?: string } };
      try {
        page = (await this.request('GET', path, { query: { ...base, limit: opts.limit ?? 500, continue: token }, info })) as typeof page;
      } catch (err) {
        // The continue token expired (410) while paging: start over with one full list, as client-go's pager does.
        if (!(err instanceof KubeError && err.code === 'gone' && token !== undefined)) throw err;
        page = (await this.request('GET', path, { query: base, info })) as typeof page;
        items.length = 0;
      }
      for (const item of page.items ?? []) items.push({ ...item, apiVersion: apiVersionOf(resource), kind: resource.kind } as KubeObject);
      token = page.metadata?.continue || undefined;
    } while (token);
    return items;
  }

  /**
   * Opens a watch stream (client-node's Watch: GET `path?watch=true` plus `query`) and calls
   * `onEvent` with each event as the server sends it (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR)
   * and `onDone` once when the stream ends: `null` when the server closed it, else the error (an
   * `Error` with `statusCode` for an answer other than 200; a `TimeoutError` when nothing arrived
   * for `idleTimeoutMs`, which is also how long the server may take to answer at all). Resolves to
   * the stream's AbortController once the server answered (or the attempt failed); rejects only
   * when credentials cannot be had. core/watch/watcher.ts builds lists, relists and backoff on it.
   */
  async watch(
    path: string,
    query: Readonly<Record<string, string | number | boolean | undefined>>,
    onEvent: (type: string, object: unknown) => void,
    onDone: (err: unknown) => void,
    opts: { readonly idleTimeoutMs?: number } = {},
  ): Promise<AbortController> {
    const watch = new Watch(this.kc);
    // Private in client-node's typings, but the one knob of its timer (connect, then inactivity).
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = opts.idleTimeoutMs ?? this.timeoutMs;
    const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string | number | boolean>;
    try {
      return await watch.watch(path, params, (type: string, object: unknown) => onEvent(type, object), onDone);
    } catch (err) {
      throw toKubeError(err, { context: this.context, server: this.server, verb: 'watch', phase: 'credentials', ...(this.credentialPlugin !== undefined && { credentialPlugin: this.credentialPlugin }) });
    }
  }

  /** The last lines of a Pod's log (its first container unless one is named; `previous`: its last run), as the kubelet returns them through the API server. */
  async podLog(namespace: string, pod: string, opts: { readonly tailLines?: number; readonly container?: string; readonly previous?: boolean } = {}): Promise<string> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
    return (await this.request('GET', path, { query: { tailLines: opts.tailLines, container: opts.container, previous: opts.previous ? true : undefined }, accept: '*/*', text: true, info: { verb: 'get', resource: 'pods/log' } })) as string;
  }

  /** The live object, or null if it does not exist. */
  async get(key: ResourceKey): Promise<KubeObject | null> {
    const resource = await this.resourceFor(key);
    try {
      return (await this.request('GET', objectPath(resource, key, this.context), { info: { verb: 'get', key } })) as KubeObject;
    } catch (err) {
      if (err instanceof KubeError && err.code === 'not-found') return null;
      throw err;
    }
  }

  /** Server-side apply. With `dryRun`, returns the object as the server would store it, persisting nothing. */
  async apply(obj: Manifest | KubeObject, opts: ApplyOptions): Promise<KubeObject> {
    const key = keyOfObject(obj);
    const resource = await this.resourceFor(key);
    return (await this.request('PATCH', objectPath(resource, key, this.context), {
      query: { fieldManager: opts.fieldManager, force: opts.force ? true : undefined, dryRun: opts.dryRun ? 'All' : undefined, fieldValidation: opts.fieldValidation ?? 'Strict' },
      body: obj,
      contentType: APPLY_PATCH,
      info: { verb: 'patch', key },
    })) as KubeObject;
  }

  async create(obj: Manifest | KubeObject, opts: CreateOptions = {}): Promise<KubeObject> {
    const key = keyOfObject(obj);
    const resource = await this.resourceFor(key);
    if (resource.namespaced && !key.namespace) throw missingNamespace(key, this.context);
    return (await this.request('POST', resourcePath(resource, { namespace: key.namespace }), {
      query: { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined, fieldValidation: opts.fieldValidation ?? 'Strict' },
      body: obj,
      info: { verb: 'create', key },
    })) as KubeObject;
  }

  /** Replaces the object (PUT). Its metadata.resourceVersion guards the write: a 409 conflict if the object changed since it was read. */
  async update(obj: KubeObject, opts: UpdateOptions = {}): Promise<KubeObject> {
    const key = keyOfObject(obj);
    const resource = await this.resourceFor(key);
    const query = { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined, fieldValidation: opts.fieldValidation };
    return (await this.request('PUT', objectPath(resource, key, this.context), { query, body: obj, info: { verb: 'update', key } })) as KubeObject;
  }

  async delete(key: ResourceKey, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const resource = await this.resourceFor(key);
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    if (opts.dryRun) body.dryRun = ['All'];
    if (opts.preconditions) body.preconditions = opts.preconditions;
    let answer: unknown;
    try {
      answer = await this.request('DELETE', objectPath(resource, key, this.context), { body, info: { verb: 'delete', key } });
    } catch (err) {
      if (err instanceof KubeError && err.code === 'not-found') return { status: 'not-found' };
      throw err;
    }
    const kind = (answer as { kind?: unknown } | undefined)?.kind;
    if (kind === undefined || kind === 'Status') return { status: 'deleted' };
    const object = answer as KubeObject;
    // The object comes back while finalizers or foreground deletion hold it; without them it is already gone.
    const pending = object.metadata.deletionTimestamp !== undefined && (Array.isArray(object.metadata.finalizers) ? object.metadata.finalizers.length > 0 : false);
    return pending ? { status: 'deleting', object } : { status: 'deleted', object };
  }

  /**
   * Releases pooled connections. The client must not be used afterwards. The pool is destroyed, not
   * closed gracefully: every call made through this client has settled by now, and a graceful close
   * would wait on a connection whose request was abandoned (timed out against a stopped server) for
   * as long as the socket lingers.
   */
  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    await d?.destroy();
  }
}

/**
 * The answer, or the signal's reason as soon as it aborts. undici's `request` notices an abort only
 * once it has a connection, so a server that accepts TCP but never finishes the TLS handshake (a
 * frozen process) would hold the call until the connect timeout instead of the request timeout.
 */
function untilAborted<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return pending;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}

/** Header values as one string each (repeated headers joined with ", ", as fetch's Headers does). */
function joinHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Splits a (possibly combined) Warning header: `299 - "text", 299 - "other"`. */
export function parseWarnings(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)) out.push((m[1] ?? '').replace(/\\(.)/g, '$1'));
  return out.length > 0 ? out : [value];
}

/** How kubectl names a resource: "deployments.apps", "pods". */
export function resourceName(r: ApiResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function resourcePath(r: ApiResource, opts: { namespace?: string | undefined; name?: string }): string {
  const parts = [r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`];
  if (r.namespaced && opts.namespace) parts.push('namespaces', encodeURIComponent(opts.namespace));
  parts.push(r.plural);
  if (opts.name !== undefined) parts.push(encodeURIComponent(opts.name));
  return parts.join('/');
}

function objectPath(r: ApiResource, key: ResourceKey, context: string): string {
  if (r.namespaced && !key.namespace) throw missingNamespace(key, context);
  return resourcePath(r, { namespace: key.namespace, name: key.name });
}

function missingNamespace(key: ResourceKey, context: string): SlipwayError {
  return new SlipwayError('missing-namespace', `${formatKey(key)} is namespaced but names no namespace (context ${context})`);
}

