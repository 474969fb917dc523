/**
 * Turns failed Kubernetes calls into SlipwayErrors that name the thing (DESIGN.md rule 10): the
 * context and server for a network or TLS failure, the user, verb and resource for a 403, the
 * object and field paths for a 409 or 422. Pure: an error and what the request was in, a KubeError out.
 *
 * Inputs are client-node `ApiException`s (or anything shaped like one: `{ code, body, headers }`,
 * with the body a Status object or its JSON text) and Node/undici network errors (`fetch failed`
 * with a `cause` carrying an errno or OpenSSL code).
 */
import type { ResourceKey } from '../model/resource.js';
import { apiVersionOf, formatKey } from '../model/resource.js';
import { SlipwayError } from '../model/diagnostics.js';

export type KubeErrorCode =
  | 'cluster-unreachable'
  | 'tls-error'
  | 'credentials-error'
  | 'kubeconfig-invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'unknown-kind'
  | 'conflict'
  | 'invalid'
  | 'bad-request'
  | 'gone'
  | 'too-many-requests'
  | 'server-error'
  | 'api-error';

/** What the failed request was: used to name things in messages. */
export interface KubeRequestInfo {
  readonly context: string;
  readonly server: string;
  /** The RBAC verb of the request: get, list, create, patch, delete. */
  readonly verb?: string;
  /** The object the request was about. */
  readonly key?: ResourceKey;
  /** The resource the request was about when there is no single object, e.g. "deployments.apps". */
  readonly resource?: string;
  /** "credentials": the failure happened while getting credentials (exec plugin, files), before any request. */
  readonly phase?: 'credentials' | 'request';
  /** The per-request timeout in force, named when a request times out. */
  readonly timeoutMs?: number;
  /** The credential plugin (exec command) of the context's user, named when getting credentials fails. */
  readonly credentialPlugin?: string;
}

/** One entry of a Status's details.causes. */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** A server-side apply conflict: another field manager owns `field`. */
export interface FieldConflict {
  readonly manager: string;
  readonly field: string;
}

/** The parts of a 403 from the RBAC authorizer. */
export interface Forbidden {
  readonly user: string;
  readonly verb: string;
  /** "deployments.apps", "pods/exec", "deployments.apps/scale". */
  readonly resource: string;
  /** Absent for cluster-scoped requests. */
  readonly namespace?: string;
}

export class KubeError extends SlipwayError {
  declare readonly code: KubeErrorCode;
  readonly context: string;
  readonly server: string;
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** Status.reason ("Forbidden", "Conflict", "AlreadyExists", "Invalid", …), when the server said. */
  readonly reason?: string;
  /** Status.details.causes, as the server sent them. */
  readonly causes: readonly StatusCause[];
  /** Server-side apply conflicts parsed from the causes (empty for other errors). */
  readonly conflicts: readonly FieldConflict[];
  readonly forbidden?: Forbidden;
  /** Worth trying again: 429, 5xx, a reset connection. */
  readonly retryable: boolean;
  /** How long the server asked us to wait (Retry-After or details.retryAfterSeconds). */
  readonly retryAfterMs?: number;
  /**
   * The request may have been carried out although no answer came: the connection broke or timed
   * out after the request could have been sent (or the server timed out its own handling, 504).
   * For a write, the object's state is unknown until it is read again.
   */
  readonly mayHaveTakenEffect: boolean;
  /** How many times the request was tried before this error was given up on (1 when it was not retried). */
  readonly attempts: number;

  constructor(
    code: KubeErrorCode,
    message: string,
    fields: {
      context: string;
      server: string;
      status?: number;
      reason?: string;
      causes?: readonly StatusCause[];
      conflicts?: readonly FieldConflict[];
      forbidden?: Forbidden;
      retryable?: boolean;
      retryAfterMs?: number;
      mayHaveTakenEffect?: boolean;
      attempts?: number;
      hint?: string;
      cause?: unknown;
    },
  ) {
    super(code, message, { ...(fields.hint ? { hint: fields.hint } : {}), cause: fields.cause });
    this.name = 'KubeError';
    this.context = fields.context;
    this.server = fields.server;
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.reason) this.reason = fields.reason;
    this.causes = fields.causes ?? [];
    this.conflicts = fields.conflicts ?? [];
    if (fields.forbidden) this.forbidden = fields.forbidden;
    this.retryable = fields.retryable ?? false;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    this.mayHaveTakenEffect = fields.mayHaveTakenEffect ?? false;
    this.attempts = fields.attempts ?? 1;
  }

  /** The same error, saying it was given up on after `attempts` tries (withRetry uses it). */
  afterAttempts(attempts: number): KubeError {
    if (attempts <= 1 || attempts === this.attempts) return this;
    const fields = {
      context: this.context,
      server: this.server,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.reason !== undefined && { reason: this.reason }),
      causes: this.causes,
      conflicts: this.conflicts,
      ...(this.forbidden && { forbidden: this.forbidden }),
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined && { retryAfterMs: this.retryAfterMs }),
      mayHaveTakenEffect: this.mayHaveTakenEffect,
      attempts,
      ...(this.hint !== undefined && { hint: this.hint }),
      cause: this.cause,
    };
    return new KubeError(this.code, `${this.message.replace(/ \(gave up after \d+ attempts\)$/, '')} (gave up after ${attempts} attempts)`, fields);
  }
}

interface KubeStatus {
  readonly kind?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
}

/** An ApiException or anything shaped like one. */
interface HttpFailure {
  readonly code: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

function isHttpFailure(err: unknown): err is HttpFailure {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number';
}

function parseStatus(body: unknown): { status?: KubeStatus; text: string } {
  let value = body;
  if (value instanceof Uint8Array) value = Buffer.from(value).toString('utf8');
  if (typeof value === 'string') {
    const text = value.trim();
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      return { text };
    }
  }
  if (typeof value === 'object' && value !== null && (value as KubeStatus).kind === 'Status') return { status: value as KubeStatus, text: (value as KubeStatus).message ?? '' };
  return { text: typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '') };
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const found = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

const RBAC_DENIAL = /User "([^"]*)" cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

/** Reads the user, verb and resource out of an RBAC 403 Status message. */
export function parseForbidden(message: string): Forbidden | undefined {
  const m = RBAC_DENIAL.exec(message);
  if (!m) return undefined;
  const [, user = '', verb = '', rawResource = '', group = '', namespace] = m;
  const [plural = rawResource, ...sub] = rawResource.split('/');
  const resource = `${plural}${group ? `.${group}` : ''}${sub.length > 0 ? `/${sub.join('/')}` : ''}`;
  return namespace ? { user, verb, resource, namespace } : { user, verb, resource };
}

/** "conflict with \"kubectl\" using apps/v1" + field ".spec.replicas" → { manager: "kubectl", field: ".spec.replicas" } */
export function parseConflicts(causes: readonly StatusCause[]): FieldConflict[] {
  return causes
    .filter((c) => c.reason === 'FieldManagerConflict')
    .map((c) => ({ manager: /conflict with "([^"]*)"/.exec(c.message ?? '')?.[1] ?? c.message ?? '', field: c.field ?? '' }));
}

function describeConflicts(conflicts: readonly FieldConflict[]): string {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  return [...byManager].map(([manager, fields]) => `field manager "${manager}" (${fields.join(', ')})`).join(' and ');
}

function subject(info: KubeRequestInfo): string | undefined {
  return info.key ? formatKey(info.key) : info.resource;
}

/** " on patch ConfigMap shop/c": the verb and what it was about, when known. */
function onWhat(info: KubeRequestInfo): string {
  const words = [info.verb, subject(info)].filter(Boolean);
  return words.length > 0 ? ` on ${words.join(' ')}` : '';
}

/** Turns any failure of a Kubernetes call into a KubeError. A KubeError passes through unchanged. */
export function toKubeError(err: unknown, info: KubeRequestInfo): KubeError {
  if (err instanceof KubeError) return err;
  if (info.phase === 'credentials') return credentialsError(err, info);
  if (isHttpFailure(err) && err.code >= 100 && err.code < 600) return httpError(err, info);
  return networkError(err, info);
}

function httpError(err: HttpFailure, info: KubeRequestInfo): KubeError {
  const { context, server } = info;
  const { status, text } = parseStatus(err.body);
  const code = err.code;
  const message = status?.message ?? (text || `HTTP ${code}`);
  const reason = status?.reason;
  const causes = status?.details?.causes ?? [];
  const what = subject(info);
  const base = { context, server, status: code, ...(reason ? { reason } : {}), causes, cause: err };
  const retryAfterMs = parseRetryAfter(header(err.headers, 'retry-after')) ?? (status?.details?.retryAfterSeconds !== undefined ? status.details.retryAfterSeconds * 1000 : undefined);
  const retry = retryAfterMs === undefined ? {} : { retryAfterMs };

  switch (code) {
    case 401:
      return new KubeError('unauthorized', `credentials for context ${context} were rejected (expired token?)`, {
        ...base,
        hint: 'log in again or refresh the credentials of this context in the kubeconfig',
      });
    case 403: {
      const forbidden = parseForbidden(message);
      if (forbidden) {
        const scope = forbidden.namespace ? `in namespace ${forbidden.namespace}` : 'at cluster scope';
        return new KubeError('forbidden', `${forbidden.user} may not ${forbidden.verb} ${forbidden.resource} ${scope}`, {
          ...base,
          forbidden,
          hint: `context ${context} needs RBAC permission to ${forbidden.verb} ${forbidden.resource}`,
        });
      }
      return new KubeError('forbidden', `${message} (context ${context})`, base);
    }
    case 404: {
      if (info.key && !status?.details?.name) {
        // No object named in the answer: the URL itself is unknown, i.e. the kind is not served.
        return new KubeError('not-found', `${info.key.kind} ${apiVersionOf(info.key)} is not served by the cluster of context ${context}`, base);
      }
      const named = status?.details?.name;
      if (info.key && named !== info.key.name) {
        // Something else is missing, typically the namespace of an object being created.
        const missing = status?.details?.kind === 'namespaces' ? `namespace ${named} not found` : message;
        return new KubeError('not-found', `${what}: ${missing} (context ${context})`, base);
      }
      return new KubeError('not-found', what ? `${what} not found (context ${context})` : `${message} (context ${context})`, base);
    }
    case 409: {
      const conflicts = parseConflicts(causes);
      if (conflicts.length > 0) {
        return new KubeError('conflict', `${what ?? 'object'}: apply conflicts with ${describeConflicts(conflicts)}`, {
          ...base,
          conflicts,
          hint: 'take over these fields (slipway apply --force-conflicts, or "Take over these fields" in the app), or remove them from the manifest',
        });
      }
      return new KubeError('conflict', what ? `${what}: ${message}` : message, base);
    }
    case 422: {
      const detail =
        causes.length > 0
          ? causes.map((c) => (c.field ? `${c.field}: ${c.message ?? c.reason ?? ''}` : (c.message ?? c.reason ?? ''))).join('; ')
          : (/ is invalid: (.*)$/s.exec(message)?.[1] ?? message);
      return new KubeError('invalid', `${what ?? 'object'} is invalid: ${detail}`, base);
    }
    case 400:
      return new KubeError('bad-request', what ? `${what}: ${message}` : message, base);
    case 410:
      return new KubeError('gone', what ? `${what}: ${message}` : message, base);
    case 429:
      return new KubeError('too-many-requests', `the API server of context ${context} is throttling requests (429)${onWhat(info)}: ${message}`, { ...base, ...retry, retryable: true });
    default:
      break;
  }
  if (code >= 500) {
    // Server-side apply answers 500 for a manifest that does not fit the schema: permanent, not a server fault.
    const typed = /^failed to create typed patch object \([^)]*\): (.*)$/s.exec(message);
    if (typed) return new KubeError('invalid', `${what ?? 'object'} is invalid: ${typed[1]}`, base);
    // 504: the server gave up waiting for its own handling of the request, which may still complete.
    return new KubeError('server-error', `the API server of context ${context} failed with ${code}${onWhat(info)}: ${message}`, { ...base, ...retry, retryable: true, mayHaveTakenEffect: code === 504 });
  }
  return new KubeError('api-error', `${info.verb ?? 'request'}${what ? ` ${what}` : ''} failed with HTTP ${code}: ${message}`, base);
}

/** Node errno / undici / OpenSSL codes found on an error, its causes and aggregated errors, outermost first. */
function codesOf(err: unknown, depth = 0): { code: string; error: Error }[] {
  if (depth > 5 || typeof err !== 'object' || err === null) return [];
  const out: { code: string; error: Error }[] = [];
  const e = err as Error & { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string') out.push({ code: e.code, error: e });
  if (e.name === 'TimeoutError' || e.name === 'AbortError') out.push({ code: e.name, error: e });
  if (Array.isArray(e.errors)) for (const inner of e.errors) out.push(...codesOf(inner, depth + 1));
  if (e.cause !== undefined) out.push(...codesOf(e.cause, depth + 1));
  return out;
}

function messagesOf(err: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = err, i = 0; e instanceof Error && i < 5; e = e.cause, i++) out.push(e.message);
  return out;
}

function withHost(what: string, e: Error): string {
  const host = (e as Error & { hostname?: unknown }).hostname;
  return typeof host === 'string' && host ? `host ${host} ${what}` : `host ${what}`;
}

const UNREACHABLE: Record<string, string | ((e: Error) => string)> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: (e) => withHost('not found', e),
  EAI_AGAIN: (e) => withHost('could not be resolved (DNS)', e),
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response in time',
  UND_ERR_BODY_TIMEOUT: 'the response stalled',
  TimeoutError: 'no response in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
};

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** Failures that happen before a request can have been sent: nothing was carried out. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server certificate is signed by a CA that is not trusted (wrong certificate-authority?)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is signed by an unknown CA (wrong certificate-authority?)',
  UNABLE_TO_GET_ISSUER_CERT: 'the server certificate is signed by an unknown CA (wrong certificate-authority?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server certificate is signed by an unknown CA (wrong certificate-authority?)',
  CERT_UNTRUSTED: 'the server certificate is not trusted',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not valid yet',
  CERT_REVOKED: 'the server certificate has been revoked',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS (is it plain HTTP?)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server did not answer with TLS (is it plain HTTP?)',
};

function isTlsCode(code: string): boolean {
  return code in TLS_REASONS || code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_') || code === 'EPROTO';
}

function networkError(err: unknown, info: KubeRequestInfo): KubeError {
  const { context, server } = info;
  const codes = codesOf(err);
  const tls = codes.find((c) => isTlsCode(c.code));
  if (tls) {
    const reason =
      tls.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `the server certificate does not match the host name: ${(tls.error as Error & { reason?: string }).reason ?? tls.error.message}`
        : (TLS_REASONS[tls.code] ?? tls.error.message);
    return new KubeError('tls-error', `TLS verification of ${server} failed for context ${context}: ${reason}`, {
      context,
      server,
      cause: err,
      hint: `check certificate-authority(-data) and tls-server-name of the cluster of context ${context} in the kubeconfig`,
    });
  }
  const net = codes.find((c) => c.code in UNREACHABLE);
  if (net) {
    const describe = UNREACHABLE[net.code]!;
    const timedOut = net.code === 'TimeoutError' && info.timeoutMs !== undefined;
    const reason = timedOut ? `no response within ${formatSeconds(info.timeoutMs!)} (the request timeout)` : typeof describe === 'string' ? describe : describe(net.error);
    return new KubeError('cluster-unreachable', `cannot reach the cluster of context ${context} at ${server}: ${reason}`, {
      context,
      server,
      cause: err,
      retryable: RESET_CODES.has(net.code),
      mayHaveTakenEffect: !NOT_SENT_CODES.has(net.code),
      ...(timedOut && { hint: 'is the API server overloaded or stopped? A slow server may need a longer request timeout (--request-timeout, or timeouts.requestSeconds in the settings)' }),
    });
  }
  const detail = messagesOf(err).filter((m) => m !== 'fetch failed');
  // An unknown failure: the request may have gone out.
  return new KubeError('cluster-unreachable', `cannot reach the cluster of context ${context} at ${server}: ${detail.join(': ') || String(err)}`, { context, server, cause: err, mayHaveTakenEffect: true });
}

/** "5 s", "1.5 s", "250 ms". */
function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function credentialsError(err: unknown, info: KubeRequestInfo): KubeError {
  const { context, server } = info;
  const e = err as Error & { code?: unknown; path?: unknown; syscall?: unknown };
  if (e?.code === 'ENOENT' && typeof e.path === 'string') {
    if (typeof e.syscall === 'string' && e.syscall.startsWith('spawn')) {
      return new KubeError('credentials-error', `the credential plugin ${e.path} of context ${context} was not found`, {
        context,
        server,
        cause: err,
        hint: 'install it, or fix users[].user.exec.command in the kubeconfig',
      });
    }
    return new KubeError('kubeconfig-invalid', `context ${context} refers to ${e.path}, which does not exist`, { context, server, cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/HTTP protocol is not allowed/.test(message)) {
    return new KubeError('kubeconfig-invalid', `context ${context} uses plain HTTP (${server}); set insecure-skip-tls-verify to allow it`, { context, server, cause: err });
  }
  if (info.credentialPlugin !== undefined) {
    // client-node rejects with the plugin's stderr when it exits with a non-zero status.
    const said = message.trim();
    return new KubeError('credentials-error', `the credential plugin ${info.credentialPlugin} of context ${context} failed: ${said ? said : 'it exited with an error and printed nothing on stderr'}`, {
      context,
      server,
      cause: err,
      hint: 'run the plugin (users[].user.exec in the kubeconfig) by hand to see why, e.g. log in again',
    });
  }
  return new KubeError('credentials-error', `could not get credentials for context ${context}: ${message.trim()}`, { context, server, cause: err });
}

/** Whether trying again may help: 429, 5xx (except schema errors), a reset connection. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof KubeError) return err.retryable;
  return toKubeError(err, { context: '', server: '' }).retryable;
}
