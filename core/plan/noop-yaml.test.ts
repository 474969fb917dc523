import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache } from '../disk-cache/disk-cache.js';
import { diskCache, useDiskCache } from '../disk-cache/process.js';
import type { KubeObject } from '../kube/types.js';
import type { ResourceKey } from '../model/resource.js';
import { buildNoopChangeFromYaml, changeFromObjects } from './assemble.js';
import type { JsonObject } from './json.js';
import { NOOP_YAML_NAMESPACE, noopYamlFor } from './noop-yaml.js';

const live = (kind: string, rv: string, extra: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name: 'web', namespace: 'shop', uid: `uid-${kind}`, resourceVersion: rv, managedFields: [{ manager: 'slipway', operation: 'Apply' }] },
  ...extra,
});
const keyOf = (o: KubeObject): ResourceKey => ({ group: '', version: 'v1', kind: o.kind, namespace: 'shop', name: 'web' });
const configMap = live('ConfigMap', '7', { data: { LOG_LEVEL: 'info' } });
const secret = live('Secret', '8', { data: { password: Buffer.from('hunter2').toString('base64') } });
/** The change the plan makes of an object planned against itself (re-plan, unchanged since its apply). */
const noop = (o: KubeObject) => changeFromObjects({ key: keyOf(o), live: o as unknown as JsonObject, predicted: o as unknown as JsonObject, desired: { apiVersion: 'v1', kind: o.kind, metadata: { name: 'web' } }, source: { file: 'apps/shop/web.yaml', line: 1 } });

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-noop-yaml-'));
  file = join(dir, 'cache.db');
  useDiskCache(new DiskCache(file));
});
afterEach(() => {
  useDiskCache(undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the YAML of unchanged objects in the disk cache', () => {
  it('is read by a later process for the same object, resourceVersion and ignore rules', () => {
    const first = noopYamlFor([configMap], undefined);
    expect(first.get(configMap)).toBeUndefined();
    first.remember(configMap, noop(configMap));
    first.save();
    useDiskCache(new DiskCache(file));
    expect(noopYamlFor([configMap], undefined).get(configMap)).toBe(noop(configMap).before);
    // Another resourceVersion is another object; other ignore rules normalize it otherwise.
    const edited = live('ConfigMap', '9', { data: { LOG_LEVEL: 'info' } });
    expect(noopYamlFor([edited], undefined).get(edited)).toBeUndefined();
    expect(noopYamlFor([configMap], [{ kind: 'ConfigMap', jsonPointers: ['/data'] }]).get(configMap)).toBeUndefined();
    expect(diskCache()!.statistics()[NOOP_YAML_NAMESPACE]).toMatchObject({ hits: 1, misses: 2 });
  });

  it('never keeps a Secret, nor a change that is not a noop', () => {
    const cache = noopYamlFor([secret, configMap], undefined);
    cache.remember(secret, noop(secret));
    cache.remember(configMap, { ...noop(configMap), action: 'update', after: 'data: {}\n' });
    cache.save();
    expect(diskCache()!.statistics()[NOOP_YAML_NAMESPACE]).toMatchObject({ writes: 0 });
    expect(noopYamlFor([secret], undefined).get(secret)).toBeUndefined();
  });

  it('without a disk cache, holds nothing', () => {
    useDiskCache(undefined);
    const cache = noopYamlFor([configMap], undefined);
    cache.remember(configMap, noop(configMap));
    cache.save();
    expect(cache.get(configMap)).toBeUndefined();
  });
});

describe('buildNoopChangeFromYaml', () => {
  it('gives the change the plan makes of the object planned against itself', () => {
    const made = noop(configMap);
    expect(made.action).toBe('noop');
    const fromYaml = buildNoopChangeFromYaml({ key: keyOf(configMap), yaml: made.before!, liveResourceVersion: '7', desired: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } }, source: { file: 'apps/shop/web.yaml', line: 1 } });
    expect(fromYaml).toEqual(made);
  });
});
