import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DiskCache } from '../disk-cache/disk-cache.js';
import { diskCache, useDiskCache } from '../disk-cache/process.js';
import { resourceFor } from './discovery.js';
import { DISCOVERY_NAMESPACE } from './persisted-discovery.js';
import { clearCaches, discover, invalidateCache } from './target.js';
import type { DiscoveryClient, RequestOptions } from './types.js';

const fixture = (name: string): { items: unknown[] } => JSON.parse(readFileSync(new URL(`./testdata/discovery/${name}.json`, import.meta.url), 'utf8')) as { items: unknown[] };

const widgets = {
  metadata: { name: 'bench.slipway.dev' },
  versions: [{ version: 'v1', resources: [{ resource: 'widgets', responseKind: { group: 'bench.slipway.dev', version: 'v1', kind: 'Widget' }, scope: 'Namespaced', verbs: ['get', 'list'] }] }],
};

/** An API server's aggregated discovery with ETags (a hash of each document) and 304s to If-None-Match, as kube-apiserver answers. */
function etagServer() {
  const docs: Record<string, { kind: string; items: unknown[] }> = { '/api': { ...fixture('agg-api'), kind: 'APIGroupDiscoveryList' }, '/apis': { ...fixture('agg-apis'), kind: 'APIGroupDiscoveryList' } };
  const etag = (path: string): string => `"${createHash('sha256').update(JSON.stringify(docs[path])).digest('hex')}"`;
  const answers: string[] = [];
  const conditionalGet = vi.fn(async (path: string, opts: RequestOptions & { etag?: string }) => {
    if (opts.etag === etag(path)) {
      answers.push(`${path} 304`);
      return undefined;
    }
    answers.push(`${path} 200`);
    return { body: structuredClone(docs[path]), etag: etag(path) };
  });
  const client: DiscoveryClient = {
    context: 'ctx',
    server: 'https://fake.example',
    user: 'me',
    request: () => Promise.reject(new Error('discovery goes through conditionalGet')),
    conditionalGet,
  };
  return { client, answers, addCrd: () => docs['/apis']!.items.push(widgets) };
}

let tmp: string;
/** A new process: nothing in memory, the disk cache opened anew. */
const newProcess = (): void => {
  clearCaches();
  useDiskCache(new DiskCache(join(tmp, 'cache.db')));
};

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-discovery-'));
});
afterEach(() => {
  useDiskCache(undefined);
  clearCaches();
  rmSync(tmp, { recursive: true, force: true });
});

describe('discovery in the disk cache', () => {
  it('a second process asks with the saved ETags and, told "not modified", takes the saved discovery', async () => {
    const server = etagServer();
    newProcess();
    const first = await discover(server.client);
    expect(server.answers.splice(0)).toEqual(['/api 200', '/apis 200']);
    newProcess();
    const second = await discover(server.client);
    expect(server.answers).toEqual(['/api 304', '/apis 304']);
    expect(second).toEqual(first);
    expect(server.client.conditionalGet).toHaveBeenLastCalledWith('/apis', expect.objectContaining({ etag: expect.stringMatching(/^"[0-9a-f]{64}"$/) }));
  });

  it('sees a CRD added since at once: the changed document comes back whole and is saved again', async () => {
    const server = etagServer();
    newProcess();
    const before = await discover(server.client);
    expect(resourceFor(before, { group: 'bench.slipway.dev', version: 'v1', kind: 'Widget' })).toBeUndefined();
    server.addCrd();
    newProcess();
    const after = await discover(server.client);
    expect(server.answers.slice(2)).toEqual(['/api 304', '/apis 200']);
    expect(resourceFor(after, { group: 'bench.slipway.dev', version: 'v1', kind: 'Widget' })).toMatchObject({ plural: 'widgets', namespaced: true });
    newProcess();
    expect(await discover(server.client)).toEqual(after);
    expect(server.answers.slice(4)).toEqual(['/api 304', '/apis 304']);
  });

  it('forgets the saved discovery when invalidated (a kind the server no longer serves, CRDs applied)', async () => {
    const server = etagServer();
    newProcess();
    await discover(server.client);
    invalidateCache(server.client, 'discovery');
    expect(diskCache()!.get(DISCOVERY_NAMESPACE, server.client.server)).toBeUndefined();
    newProcess();
    await discover(server.client);
    expect(server.answers.slice(2)).toEqual(['/api 200', '/apis 200']);
  });

  it('asks without ETags when the saved entry is damaged', async () => {
    const server = etagServer();
    newProcess();
    await discover(server.client);
    diskCache()!.put(DISCOVERY_NAMESPACE, server.client.server, '{"api": {"etag": 1}}');
    newProcess();
    await discover(server.client);
    expect(server.answers.slice(2)).toEqual(['/api 200', '/apis 200']);
    expect(diskCache()!.statistics()[DISCOVERY_NAMESPACE]).toMatchObject({ dropped: 1, writes: 1 });
  });
});
