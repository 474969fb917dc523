import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { KubeErrorCode, KubeRequestInfo } from './errors.js';
import { isRetryable, KubeError, parseRetryAfter, toKubeError } from './errors.js';

const server = 'https://127.0.0.1:6443';
const admin: KubeRequestInfo = { context: 'slipway-admin', server };
const deployment = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const configMap = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' };

/** A Status body as the API server sends it (as JSON text, like client-node's ApiException carries it). */
function status(code: number, reason: string | undefined, message: string, details?: object): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, ...(reason ? { reason } : {}), ...(details ? { details } : {}), code });
}

function apiException(code: number, body: unknown, headers: Record<string, string> = {}): ApiException<unknown> {
  return new ApiException(code, 'Unsuccessful HTTP Request', body, headers);
}

/** What undici's fetch rejects with: TypeError("fetch failed") whose cause is the socket/TLS error. */
function fetchFailed(cause: Error): TypeError {
  return new TypeError('fetch failed', { cause });
}

function sysError(code: string, message: string, extra: object = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

interface Row {
  readonly name: string;
  readonly error: unknown;
  readonly info?: Partial<KubeRequestInfo>;
  readonly code: KubeErrorCode;
  readonly message: string;
  readonly retryable?: boolean;
  readonly extra?: Record<string, unknown>;
}

const httpRows: Row[] = [
  {
    name: '401',
    error: apiException(401, status(401, 'Unauthorized', 'Unauthorized')),
    code: 'unauthorized',
    message: 'credentials for context slipway-admin were rejected (expired token?)',
    extra: { status: 401, reason: 'Unauthorized' },
  },
  {
    name: '403 from RBAC, namespaced',
    error: apiException(
      403,
      status(403, 'Forbidden', 'deployments.apps "web" is forbidden: User "slipway-readonly" cannot patch resource "deployments" in API group "apps" in the namespace "shop"', {
        name: 'web',
        group: 'apps',
        kind: 'deployments',
      }),
    ),
    info: { context: 'slipway-readonly', verb: 'patch', key: deployment },
    code: 'forbidden',
    message: 'slipway-readonly may not patch deployments.apps in namespace shop',
    extra: { forbidden: { user: 'slipway-readonly', verb: 'patch', resource: 'deployments.apps', namespace: 'shop' } },
  },
  {
    name: '403 from RBAC, cluster scope',
    error: apiException(403, status(403, 'Forbidden', 'namespaces is forbidden: User "system:serviceaccount:ci:deployer" cannot create resource "namespaces" in API group "" at the cluster scope')),
    code: 'forbidden',
    message: 'system:serviceaccount:ci:deployer may not create namespaces at cluster scope',
    extra: { forbidden: { user: 'system:serviceaccount:ci:deployer', verb: 'create', resource: 'namespaces' } },
  },
  {
    name: '403 from RBAC on a subresource',
    error: apiException(403, status(403, 'Forbidden', 'deployments.apps "web" is forbidden: User "bob" cannot update resource "deployments/scale" in API group "apps" in the namespace "shop"')),
    code: 'forbidden',
    message: 'bob may not update deployments.apps/scale in namespace shop',
  },
  {
    name: '403 not from RBAC (terminating namespace)',
    error: apiException(403, status(403, 'Forbidden', 'configmaps "c" is forbidden: unable to create new content in namespace shop because it is being terminated')),
    info: { verb: 'patch', key: configMap },
    code: 'forbidden',
    message: 'configmaps "c" is forbidden: unable to create new content in namespace shop because it is being terminated (context slipway-admin)',
  },
  {
    name: '404 of an object',
    error: apiException(404, status(404, 'NotFound', 'deployments.apps "web" not found', { name: 'web', group: 'apps', kind: 'deployments' })),
    info: { verb: 'get', key: deployment },
    code: 'not-found',
    message: 'Deployment.apps shop/web not found (context slipway-admin)',
  },
  {
    name: '404 of the namespace an object goes into',
    error: apiException(404, status(404, 'NotFound', 'namespaces "shop" not found', { name: 'shop', kind: 'namespaces' })),
    info: { verb: 'patch', key: configMap },
    code: 'not-found',
    message: 'ConfigMap shop/c: namespace shop not found (context slipway-admin)',
  },
  {
    name: '404 of a list',
    error: apiException(404, status(404, 'NotFound', 'the server could not find the requested resource')),
    info: { verb: 'list', resource: 'widgets.example.com' },
    code: 'not-found',
    message: 'widgets.example.com not found (context slipway-admin)',
  },
  {
    name: '404 of an unserved kind (plain-text answer)',
    error: apiException(404, '404 page not found\n'),
    info: { verb: 'get', key: { group: 'example.com', version: 'v1', kind: 'Widget', namespace: 'shop', name: 'w' } },
    code: 'not-found',
    message: 'Widget example.com/v1 is not served by the cluster of context slipway-admin',
  },
  {
    name: '409 server-side apply conflict',
    error: apiException(
      409,
      status(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "one": .data.k', { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.k' }] }),
    ),
    info: { verb: 'patch', key: configMap },
    code: 'conflict',
    message: 'ConfigMap shop/c: apply conflicts with field manager "one" (.data.k)',
    extra: {
      reason: 'Conflict',
      conflicts: [{ manager: 'one', field: '.data.k' }],
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.k' }],
    },
  },
  {
    name: '409 conflicts with two managers',
    error: apiException(
      409,
      status(409, 'Conflict', 'Apply failed with 3 conflicts: …', {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
          { reason: 'FieldManagerConflict', message: 'conflict with "helm" using apps/v1', field: '.spec.template.spec.containers[name="web"].image' },
          { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.metadata.labels.tier' },
        ],
      }),
    ),
    info: { verb: 'patch', key: deployment },
    code: 'conflict',
    message:
      'Deployment.apps shop/web: apply conflicts with field manager "kubectl-client-side-apply" (.spec.replicas, .metadata.labels.tier) and field manager "helm" (.spec.template.spec.containers[name="web"].image)',
  },
  {
    name: '409 already exists',
    error: apiException(409, status(409, 'AlreadyExists', 'configmaps "c" already exists', { name: 'c', kind: 'configmaps' })),
    info: { verb: 'create', key: configMap },
    code: 'conflict',
    message: 'ConfigMap shop/c: configmaps "c" already exists',
    extra: { reason: 'AlreadyExists', conflicts: [] },
  },
  {
    name: '422 invalid, with field paths',
    error: apiException(
      422,
      status(
        422,
        'Invalid',
        'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: {"a":"c"}: `selector` does not match template `labels`]',
        {
          name: 'web',
          group: 'apps',
          kind: 'Deployment',
          causes: [
            { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
            { reason: 'FieldValueInvalid', message: 'Invalid value: {"a":"c"}: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' },
          ],
        },
      ),
    ),
    info: { verb: 'patch', key: deployment },
    code: 'invalid',
    message:
      'Deployment.apps shop/web is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0; spec.template.metadata.labels: Invalid value: {"a":"c"}: `selector` does not match template `labels`',
  },
  {
    name: '500 from server-side apply for a field not in the schema',
    error: apiException(500, status(500, undefined, 'failed to create typed patch object (shop/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema')),
    info: { verb: 'patch', key: deployment },
    code: 'invalid',
    message: 'Deployment.apps shop/web is invalid: .spec.bogus: field not declared in schema',
    retryable: false,
  },
  {
    name: '429 with Retry-After',
    error: apiException(429, status(429, 'TooManyRequests', 'Too many requests, please try again later.'), { 'retry-after': '3' }),
    code: 'too-many-requests',
    message: 'the API server of context slipway-admin is throttling requests (429): Too many requests, please try again later.',
    retryable: true,
    extra: { retryAfterMs: 3000 },
  },
  {
    name: '429 on a patch names the verb and the object',
    error: apiException(429, status(429, 'TooManyRequests', 'slow down'), { 'retry-after': '1' }),
    info: { verb: 'patch', key: configMap },
    code: 'too-many-requests',
    message: 'the API server of context slipway-admin is throttling requests (429) on patch ConfigMap shop/c: slow down',
    retryable: true,
    extra: { retryAfterMs: 1000, mayHaveTakenEffect: false },
  },
  {
    name: '504: the server timed out its own handling (the write may still happen)',
    error: apiException(504, status(504, 'Timeout', 'Timeout: request did not complete within requested timeout')),
    info: { verb: 'patch', key: configMap },
    code: 'server-error',
    message: 'the API server of context slipway-admin failed with 504 on patch ConfigMap shop/c: Timeout: request did not complete within requested timeout',
    retryable: true,
    extra: { mayHaveTakenEffect: true },
  },
  {
    name: '503',
    error: apiException(503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request')),
    info: { verb: 'list', resource: 'widgets.example.com' },
    code: 'server-error',
    message: 'the API server of context slipway-admin failed with 503 on list widgets.example.com: the server is currently unable to handle the request',
    retryable: true,
  },
  {
    name: '500 internal error',
    error: apiException(500, status(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out', { retryAfterSeconds: 2 })),
    code: 'server-error',
    message: 'the API server of context slipway-admin failed with 500: Internal error occurred: etcdserver: request timed out',
    retryable: true,
    extra: { retryAfterMs: 2000 },
  },
  {
    name: '410 expired continue token',
    error: apiException(410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.')),
    info: { verb: 'list', resource: 'configmaps' },
    code: 'gone',
    message: 'configmaps: The provided continue parameter is too old to display a consistent list result.',
  },
  {
    name: '400',
    error: apiException(400, status(400, 'BadRequest', 'the dryRun value "Some" is not supported')),
    info: { verb: 'patch', key: configMap },
    code: 'bad-request',
    message: 'ConfigMap shop/c: the dryRun value "Some" is not supported',
  },
  {
    name: 'an unexpected status',
    error: { code: 418, body: { kind: 'Status', message: "I'm a teapot" } },
    info: { verb: 'get', key: configMap },
    code: 'api-error',
    message: "get ConfigMap shop/c failed with HTTP 418: I'm a teapot",
  },
];

const networkRows: Row[] = [
  {
    name: 'connection refused',
    error: fetchFailed(sysError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6443')),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: connection refused',
    retryable: false,
    extra: { mayHaveTakenEffect: false },
  },
  {
    name: 'connection refused, as undici request rejects (the socket error itself, not wrapped)',
    error: sysError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6443'),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: connection refused',
    retryable: false,
    extra: { mayHaveTakenEffect: false },
  },
  {
    name: 'the request timeout, as undici request rejects (the AbortSignal.timeout reason)',
    error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    info: { timeoutMs: 30_000 },
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: no response within 30 s (the request timeout)',
    retryable: false,
  },
  {
    name: 'connection refused on every address (AggregateError)',
    error: fetchFailed(new AggregateError([sysError('ECONNREFUSED', 'connect ECONNREFUSED ::1:6443'), sysError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6443')])),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: connection refused',
  },
  {
    name: 'unknown host',
    error: fetchFailed(sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.gone.example', { hostname: 'api.gone.example' })),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: host api.gone.example not found',
  },
  {
    name: 'request timeout (AbortSignal.timeout)',
    error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: no response in time',
    retryable: false,
    extra: { mayHaveTakenEffect: true },
  },
  {
    name: 'request timeout with the limit known',
    error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    info: { timeoutMs: 2500 },
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: no response within 2.5 s (the request timeout)',
    retryable: false,
    extra: { mayHaveTakenEffect: true, hint: expect.stringContaining('--request-timeout') },
  },
  {
    name: 'connect timeout (undici)',
    error: fetchFailed(sysError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: connection timed out',
  },
  {
    name: 'connection reset',
    error: fetchFailed(sysError('ECONNRESET', 'read ECONNRESET')),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: connection reset',
    retryable: true,
    extra: { mayHaveTakenEffect: true },
  },
  {
    name: 'socket closed by the server (undici)',
    error: fetchFailed(sysError('UND_ERR_SOCKET', 'other side closed')),
    code: 'cluster-unreachable',
    message: 'cannot reach the cluster of context slipway-admin at https://127.0.0.1:6443: connection closed by the server',
    retryable: true,
  },
  {
    name: 'CA not trusted (wrong certificate-authority)',
    error: fetchFailed(sysError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')),
    code: 'tls-error',
    message: 'TLS verification of https://127.0.0.1:6443 failed for context slipway-admin: the server certificate is signed by a CA that is not trusted (wrong certificate-authority?)',
  },
  {
    name: 'self-signed server certificate',
    error: fetchFailed(sysError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')),
    code: 'tls-error',
    message: 'TLS verification of https://127.0.0.1:6443 failed for context slipway-admin: the server certificate is self-signed and not trusted',
  },
  {
    name: 'unknown CA',
    error: fetchFailed(sysError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate')),
    code: 'tls-error',
    message: 'TLS verification of https://127.0.0.1:6443 failed for context slipway-admin: the server certificate is signed by an unknown CA (wrong certificate-authority?)',
  },
  {
    name: 'expired certificate',
    error: fetchFailed(sysError('CERT_HAS_EXPIRED', 'certificate has expired')),
    code: 'tls-error',
    message: 'TLS verification of https://127.0.0.1:6443 failed for context slipway-admin: the server certificate has expired',
  },
  {
    name: 'host name mismatch',
    error: fetchFailed(
      sysError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: IP Address:127.0.0.1", {
        reason: "Host: localhost. is not in the cert's altnames: IP Address:127.0.0.1",
      }),
    ),
    code: 'tls-error',
    message: "TLS verification of https://127.0.0.1:6443 failed for context slipway-admin: the server certificate does not match the host name: Host: localhost. is not in the cert's altnames: IP Address:127.0.0.1",
  },
  {
    name: 'plain HTTP where TLS was expected',
    error: fetchFailed(sysError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')),
    code: 'tls-error',
    message: 'TLS verification of https://127.0.0.1:6443 failed for context slipway-admin: the server did not answer with TLS (is it plain HTTP?)',
  },
];

const credentialRows: Row[] = [
  {
    name: 'exec plugin not installed',
    error: sysError('ENOENT', 'spawn gke-gcloud-auth-plugin ENOENT', { syscall: 'spawn gke-gcloud-auth-plugin', path: 'gke-gcloud-auth-plugin' }),
    info: { phase: 'credentials' },
    code: 'credentials-error',
    message: 'the credential plugin gke-gcloud-auth-plugin of context slipway-admin was not found',
  },
  {
    name: 'exec plugin fails',
    error: new Error('error: token refresh failed: invalid_grant\n'),
    info: { phase: 'credentials' },
    code: 'credentials-error',
    message: 'could not get credentials for context slipway-admin: error: token refresh failed: invalid_grant',
  },
  {
    name: 'a named exec plugin fails, quoting its stderr',
    error: new Error('error: you must be logged in to the server\n'),
    info: { phase: 'credentials', credentialPlugin: '/usr/local/bin/login-plugin' },
    code: 'credentials-error',
    message: 'the credential plugin /usr/local/bin/login-plugin of context slipway-admin failed: error: you must be logged in to the server',
  },
  {
    name: 'a named exec plugin fails silently',
    error: new Error(''),
    info: { phase: 'credentials', credentialPlugin: '/bin/false' },
    code: 'credentials-error',
    message: 'the credential plugin /bin/false of context slipway-admin failed: it exited with an error and printed nothing on stderr',
  },
  {
    name: 'a referenced file is missing',
    error: sysError('ENOENT', "ENOENT: no such file or directory, open '/home/me/.minikube/ca.crt'", { syscall: 'open', path: '/home/me/.minikube/ca.crt' }),
    info: { phase: 'credentials' },
    code: 'kubeconfig-invalid',
    message: 'context slipway-admin refers to /home/me/.minikube/ca.crt, which does not exist',
  },
];

describe('toKubeError', () => {
  it.each([...httpRows, ...networkRows, ...credentialRows])('$name → $code', ({ error, info, code, message, retryable, extra }) => {
    const err = toKubeError(error, { ...admin, ...info });
    expect(err).toBeInstanceOf(KubeError);
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(err.context).toBe(info?.context ?? 'slipway-admin');
    if (retryable !== undefined) expect(err.retryable).toBe(retryable);
    if (extra) expect(err).toMatchObject(extra);
    expect(err.cause).toBe(error);
  });

  it('passes a KubeError through unchanged', () => {
    const err = new KubeError('conflict', 'x', { context: 'a', server });
    expect(toKubeError(err, admin)).toBe(err);
  });

  it('uses the detail of an Invalid Status that has no causes', () => {
    const err = toKubeError(apiException(422, status(422, 'Invalid', 'Secret "s" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters')), {
      ...admin,
      key: { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 's' },
    });
    expect(err.message).toBe('Secret shop/s is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters');
  });
});

describe('KubeError.afterAttempts', () => {
  it('says how many attempts were made, once, and keeps every field', () => {
    const err = toKubeError(apiException(503, status(503, 'ServiceUnavailable', 'busy'), { 'retry-after': '2' }), { ...admin, verb: 'patch', key: configMap });
    const given = err.afterAttempts(4);
    expect(given.message).toBe('the API server of context slipway-admin failed with 503 on patch ConfigMap shop/c: busy (gave up after 4 attempts)');
    expect(given).toMatchObject({ code: 'server-error', status: 503, reason: 'ServiceUnavailable', retryable: true, retryAfterMs: 2000, attempts: 4, context: 'slipway-admin', server });
    expect(given.afterAttempts(4)).toBe(given);
    expect(given.afterAttempts(5).message).toMatch(/busy \(gave up after 5 attempts\)$/);
    expect(err.afterAttempts(1)).toBe(err);
  });
});

describe('isRetryable', () => {
  it.each([
    ['429', apiException(429, ''), true],
    ['500', apiException(500, status(500, 'InternalError', 'boom')), true],
    ['502', apiException(502, 'Bad Gateway'), true],
    ['404', apiException(404, status(404, 'NotFound', 'gone')), false],
    ['409', apiException(409, status(409, 'Conflict', 'the object has been modified')), false],
    ['connection reset', fetchFailed(sysError('ECONNRESET', 'read ECONNRESET')), true],
    ['connection refused', fetchFailed(sysError('ECONNREFUSED', 'connect ECONNREFUSED')), false],
    ['TLS', fetchFailed(sysError('CERT_HAS_EXPIRED', 'certificate has expired')), false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    ['5', 5000],
    [' 0 ', 0],
    ['Wed, 01 Jan 2025 00:00:07 GMT', 7000],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
