/**
 * The pure parts of the shared watch: backoff delays, watch keys and what a relist tells
 * subscribers. The watch itself runs against the real cluster (test/integration/watch.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { ApiResource, KubeObject } from '../kube/types.js';
import { backoffDelay, relistChanges, watchKey } from './watcher.js';

const resource = (over: Partial<ApiResource>): ApiResource => ({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, verbs: ['list', 'watch'], preferred: true, ...over });
const cm = (name: string, rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', resourceVersion: rv } });

describe('backoffDelay', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [40, 30_000],
    [Number.POSITIVE_INFINITY, 30_000],
  ])('attempt %d waits %d ms without jitter', (attempt, ms) => {
    expect(backoffDelay(attempt, {}, () => 0.5)).toBe(ms);
  });

  it('jitters by ±20 % and honours its options', () => {
    expect(backoffDelay(1, {}, () => 0)).toBe(800);
    expect(backoffDelay(1, {}, () => 1)).toBe(1200);
    expect(backoffDelay(3, { initialMs: 100, maxMs: 300 }, () => 0.5)).toBe(300);
  });
});

describe('watchKey', () => {
  it.each<[ApiResource, string | undefined, string]>([
    [resource({}), 'shop', 'apps/v1/deployments@shop'],
    [resource({}), undefined, 'apps/v1/deployments@*'],
    [resource({ group: '', kind: 'Namespace', plural: 'namespaces', namespaced: false }), 'shop', 'v1/namespaces@*'],
  ])('%o in %s is %s', (r, namespace, key) => {
    expect(watchKey({ resource: r, ...(namespace !== undefined && { namespace }) })).toBe(key);
  });
});

describe('relistChanges', () => {
  it('tells what was added, modified (a new resourceVersion) and deleted while the watch was away, and nothing else', () => {
    const held = new Map([
      ['shop/a', cm('a', '1')],
      ['shop/b', cm('b', '2')],
      ['shop/c', cm('c', '3')],
    ]);
    const listed = new Map([
      ['shop/a', cm('a', '1')],
      ['shop/b', cm('b', '9')],
      ['shop/d', cm('d', '10')],
    ]);
    expect(relistChanges(held, listed).map((c) => `${c.type} ${c.object.metadata.name}@${c.object.metadata.resourceVersion}`)).toEqual(['MODIFIED b@9', 'ADDED d@10', 'DELETED c@3']);
  });
});
