/**
 * Discovery in the disk cache against the real local API server: a second process asks with the
 * saved ETags and is told "not modified"; a CRD created since comes back at once; a LIST answered
 * 404 because the CRD was deleted forgets the saved discovery (memory and disk), so the process's
 * next discovery no longer lists the kind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { DiskCache } from '../../core/disk-cache/disk-cache.js';
import { diskCache, useDiskCache } from '../../core/disk-cache/process.js';
import { KubeClient } from '../../core/kube/client.js';
import { resourceFor } from '../../core/kube/discovery.js';
import { KubeError } from '../../core/kube/errors.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { DISCOVERY_NAMESPACE } from '../../core/kube/persisted-discovery.js';
import { clearCaches, discover } from '../../core/kube/target.js';

const cfg = loadKubeconfig({ path: inject('kubeconfig') });
const tmp = mkdtempSync(join(tmpdir(), 'slipway-discovery-cache-'));
const group = `dc${Date.now().toString(36)}.slipway.test`;
const kind = { group, version: 'v1', kind: 'Thing' };
const crdKey = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', name: `things.${group}` };
const clients: KubeClient[] = [];

/** A new process: nothing in memory, the disk cache opened anew, a new client whose discovery answers are watched. */
function newProcess(): { client: KubeClient; answers: () => string[] } {
  clearCaches();
  useDiskCache(new DiskCache(join(tmp, 'cache.db')));
  const client = new KubeClient(cfg, 'slipway-admin');
  clients.push(client);
  const answers: string[] = [];
  const original = client.conditionalGet.bind(client);
  vi.spyOn(client, 'conditionalGet').mockImplementation(async (path, opts) => {
    const answer = await original(path, opts);
    answers.push(`${path} ${answer === undefined ? 304 : 200}`);
    return answer;
  });
  // Both are asked at once: in the order asked, not answered.
  return { client, answers: () => [...answers].sort() };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

afterAll(async () => {
  const c = new KubeClient(cfg, 'slipway-admin');
  await c.delete(crdKey).catch(() => undefined);
  await Promise.all([...clients, c].map((x) => x.close()));
  useDiskCache(undefined);
  clearCaches();
  rmSync(tmp, { recursive: true, force: true });
});

describe('discovery in the disk cache, against the API server', () => {
  it('is taken on a 304 by a second process, sees a new CRD at once, and is forgotten when a LIST of a deleted kind answers 404', async () => {
    const first = newProcess();
    const before = await discover(first.client);
    expect(first.answers()).toEqual(['/api 200', '/apis 200']);

    const second = newProcess();
    expect(await discover(second.client)).toEqual(before);
    expect(second.answers()).toEqual(['/api 304', '/apis 304']);

    await second.client.apply(
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: crdKey.name },
        spec: {
          group,
          names: { kind: 'Thing', plural: 'things', singular: 'thing', listKind: 'ThingList' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
        },
      },
      { fieldManager: 'slipway-test' },
    );
    // Served once the aggregated discovery lists it (the CRD is Established a moment after it is created).
    let withCrd = newProcess();
    await until('the CRD in discovery', async () => {
      withCrd = newProcess();
      return resourceFor(await discover(withCrd.client), kind) !== undefined;
    });
    expect(withCrd.answers()).toContain('/apis 200');

    const later = newProcess();
    const thing = resourceFor(await discover(later.client), kind)!;
    expect(later.answers()).toEqual(['/api 304', '/apis 304']);
    expect(await later.client.list(thing, { namespace: 'default' })).toEqual([]);

    await later.client.delete(crdKey);
    await until('the kind to go', async () => {
      try {
        await later.client.list(thing, { namespace: 'default' });
        return false;
      } catch (e) {
        if (e instanceof KubeError && e.status === 404) return true;
        throw e;
      }
    });
    // The 404 forgot the discovery this process held and the one on disk: the next one is read afresh, without the kind.
    expect(diskCache()!.get(DISCOVERY_NAMESPACE, later.client.server)).toBeUndefined();
    expect(resourceFor(await discover(later.client), kind)).toBeUndefined();
    expect(later.answers()).toEqual(['/api 200', '/api 304', '/apis 200', '/apis 304']);
  });
});
