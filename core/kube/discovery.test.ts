import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestOptions } from './client.js';
import { preferredFor, resourceFor } from './discovery.js';
import { KubeError } from './errors.js';
import type { DiscoveryClient } from './target.js';
import { clearCaches, DEFAULT_CACHE_TTL_MS, discover, invalidateCache, legacyDiscovery, resolveTarget } from './target.js';
import type { Discovery } from './types.js';

/** Trimmed answers of the local v1.35.4 API server, plus one Stale/unavailable aggregated group (metrics.k8s.io). */
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./testdata/discovery/${name}.json`, import.meta.url), 'utf8'));

type ServerMode = 'aggregated' | 'legacy';

/** A fake client answering discovery requests the way a server with or without aggregated discovery does. */
function fakeClient(mode: ServerMode, context = 'ctx'): DiscoveryClient & { request: ReturnType<typeof vi.fn> } {
  const server = 'https://fake.example';
  const request = vi.fn(async (_method: string, path: string, opts: RequestOptions = {}): Promise<unknown> => {
    const aggregated = mode === 'aggregated' && (opts.accept ?? '').includes('apidiscovery.k8s.io');
    switch (path) {
      case '/api':
        return fixture(aggregated ? 'agg-api' : 'legacy-api');
      case '/apis':
        return fixture(aggregated ? 'agg-apis' : 'legacy-apis');
      case '/api/v1':
        return fixture('legacy-api-v1');
      case '/apis/apps/v1':
        return fixture('legacy-apps-v1');
      case '/apis/autoscaling/v2':
        return fixture('legacy-autoscaling-v2');
      case '/apis/autoscaling/v1':
        return fixture('legacy-autoscaling-v1');
      case '/apis/metrics.k8s.io/v1beta1':
        throw new KubeError('server-error', 'metrics-server is down', { context, server, status: 503, retryable: true });
      case '/version':
        return { major: '1', minor: '35', gitVersion: 'v1.35.4' };
      case '/api/v1/namespaces/kube-system':
        return { metadata: { name: 'kube-system', uid: `uid-of-${context}` } };
      default:
        throw new KubeError('not-found', `no ${path}`, { context, server, status: 404 });
    }
  });
  return { context, server, user: 'me', request: request as DiscoveryClient['request'] & ReturnType<typeof vi.fn> };
}

const rows = (d: Discovery): [string, string, string, string, boolean, boolean][] => d.resources.map((r) => [r.group, r.version, r.kind, r.plural, r.namespaced, r.preferred]);

const expectedRows = [
  ['', 'v1', 'Binding', 'bindings', true, true],
  ['', 'v1', 'ConfigMap', 'configmaps', true, true],
  ['', 'v1', 'Namespace', 'namespaces', false, true],
  ['', 'v1', 'Pod', 'pods', true, true],
  ['apps', 'v1', 'Deployment', 'deployments', true, true],
  ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, true],
  ['autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, false],
];

beforeEach(() => {
  clearCaches();
});

describe('discover', () => {
  it.each(['aggregated', 'legacy'] as const)('reads every resource the %s way, without subresources, with preferred versions', async (mode) => {
    const d = await discover(fakeClient(mode));
    expect(d.source).toBe(mode);
    expect(rows(d)).toEqual(expectedRows);
    expect(d.unavailable).toEqual(['metrics.k8s.io/v1beta1']);
    expect(resourceFor(d, { group: 'apps', version: 'v1', kind: 'Deployment' })?.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
  });

  it('asks twice (for /api and /apis) when the server does aggregated discovery, once per group version otherwise', async () => {
    const aggregated = fakeClient('aggregated');
    await discover(aggregated);
    expect(aggregated.request.mock.calls.map((c) => c[1])).toEqual(['/api', '/apis']);
    const legacy = fakeClient('legacy', 'legacy-ctx');
    await discover(legacy);
    expect(legacy.request.mock.calls.map((c) => c[1]).sort()).toEqual(
      ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/apis/autoscaling/v2', '/apis/autoscaling/v1', '/apis/metrics.k8s.io/v1beta1'].sort(),
    );
  });

  it('propagates failures other than an unavailable group version', async () => {
    const client = fakeClient('legacy');
    const denied = new KubeError('forbidden', 'nope', { context: 'ctx', server: client.server, status: 403 });
    client.request.mockImplementationOnce(async () => {
      throw denied;
    });
    await expect(legacyDiscovery(client)).rejects.toBe(denied);
  });
});

describe('lookups', () => {
  const d = { resources: expectedRows.map(([group, version, kind, plural, namespaced, preferred]) => ({ group, version, kind, plural, namespaced, preferred, verbs: [] })), unavailable: [], source: 'legacy' } as Discovery;

  it.each([
    [{ group: 'apps', version: 'v1', kind: 'Deployment' }, 'deployments'],
    [{ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' }, 'horizontalpodautoscalers'],
    [{ group: 'apps', version: 'v1beta1', kind: 'Deployment' }, undefined],
    [{ group: '', version: 'v1', kind: 'Deployment' }, undefined],
  ])('resourceFor %o → %s', (gvk, plural) => {
    expect(resourceFor(d, gvk)?.plural).toBe(plural);
  });

  it.each([
    ['autoscaling', 'HorizontalPodAutoscaler', 'v2'],
    ['', 'Namespace', 'v1'],
    ['apps', 'StatefulSet', undefined],
  ])('preferredFor %s %s → %s', (group, kind, version) => {
    expect(preferredFor(d, group, kind)?.version).toBe(version);
  });

  it('falls back to a non-preferred version that serves the kind', () => {
    const only = { ...d, resources: d.resources.filter((r) => !(r.group === 'autoscaling' && r.version === 'v2')) };
    expect(preferredFor(only, 'autoscaling', 'HorizontalPodAutoscaler')?.version).toBe('v1');
  });
});

describe('caching per (context, server)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const discoveryCalls = (c: ReturnType<typeof fakeClient>): number => c.request.mock.calls.filter((call) => call[1] === '/apis').length;

  it('serves discovery from the cache until the TTL passes', async () => {
    const c = fakeClient('aggregated');
    const first = await discover(c);
    expect(await discover(c)).toBe(first);
    vi.advanceTimersByTime(DEFAULT_CACHE_TTL_MS - 1);
    expect(await discover(c)).toBe(first);
    vi.advanceTimersByTime(1);
    expect(await discover(c)).not.toBe(first);
    expect(discoveryCalls(c)).toBe(2);
  });

  it('fetches again after invalidation or on refresh, and keeps contexts apart', async () => {
    const c = fakeClient('aggregated');
    const other = fakeClient('aggregated', 'other');
    await discover(c);
    await discover(other);
    invalidateCache(c, 'discovery');
    await discover(c);
    await discover(c, { refresh: true });
    await discover(other);
    expect([discoveryCalls(c), discoveryCalls(other)]).toEqual([3, 1]);
  });

  it('shares one request between concurrent callers and does not remember failures', async () => {
    const c = fakeClient('aggregated');
    const [a, b] = await Promise.all([discover(c), discover(c)]);
    expect(a).toBe(b);
    expect(discoveryCalls(c)).toBe(1);

    const failing = fakeClient('aggregated', 'failing');
    failing.request.mockRejectedValueOnce(new KubeError('cluster-unreachable', 'down', { context: 'failing', server: failing.server }));
    await expect(discover(failing)).rejects.toThrow('down');
    await expect(discover(failing)).resolves.toMatchObject({ source: 'aggregated' });
  });

  it('resolves and caches the Target; invalidating the target leaves discovery cached', async () => {
    const c = fakeClient('aggregated', 'prod');
    expect(await resolveTarget(c)).toEqual({
      context: 'prod',
      server: 'https://fake.example',
      user: 'me',
      clusterUid: 'uid-of-prod',
      serverVersion: { gitVersion: 'v1.35.4', major: '1', minor: '35' },
    });
    await resolveTarget(c);
    await discover(c);
    invalidateCache(c, 'target');
    await resolveTarget(c);
    await discover(c);
    expect(c.request.mock.calls.filter((call) => call[1] === '/version')).toHaveLength(2);
    expect(discoveryCalls(c)).toBe(1);
  });
});
