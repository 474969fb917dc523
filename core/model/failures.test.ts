/** Many objects failing the same way are told once, with how many and a few names (table-driven). */
import { describe, expect, it } from 'vitest';
import { failureIdentity, failuresText, groupFailures, keysText, type ObjectFailure } from './failures.js';
import type { ResourceKey } from './resource.js';

const svc = (name: string): ResourceKey => ({ group: '', version: 'v1', kind: 'Service', namespace: 'bench', name });
const cm = (name: string): ResourceKey => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'bench', name });
const rangeFull = (name: string): ObjectFailure => ({ key: svc(name), message: `Service bench/${name} is invalid: spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full` });

describe('failureIdentity', () => {
  it.each<[string, ObjectFailure, ObjectFailure, boolean]>([
    ['the message names each object as Slipway writes keys', rangeFull('a'), rangeFull('b'), true],
    ['the message quotes each name, as the API server does', { key: cm('a'), message: 'configmaps "a" already exists' }, { key: cm('b'), message: 'configmaps "b" already exists' }, true],
    ['the message names no object', { key: cm('a'), message: 'not sent: the cluster is unreachable' }, { key: svc('b'), message: 'not sent: the cluster is unreachable' }, true],
    ['different errors', rangeFull('a'), { key: svc('b'), message: 'Service bench/b is invalid: spec.ports: Required value' }, false],
    ['another object named in the message', { key: cm('a'), message: 'waiting for Secret bench/x' }, { key: cm('b'), message: 'waiting for Secret bench/y' }, false],
  ])('%s: same = %s', (_case, a, b, same) => {
    expect(failureIdentity(a) === failureIdentity(b)).toBe(same);
  });
});

describe('keysText', () => {
  it.each<[string[], string]>([
    [['a'], 'Service bench/a'],
    [['a', 'b'], 'Service bench/a and Service bench/b'],
    [['a', 'b', 'c'], 'Service bench/a, Service bench/b and Service bench/c'],
    [['a', 'b', 'c', 'd'], 'Service bench/a, Service bench/b, Service bench/c and 1 more'],
    [Array.from({ length: 1000 }, (_, i) => `s${i}`), 'Service bench/s0, Service bench/s1, Service bench/s2 and 997 more'],
  ])('%j', (names, text) => {
    expect(keysText(names.map(svc))).toBe(text);
  });
});

describe('failuresText (a run\'s error)', () => {
  const full = 'Internal error: failed to allocate a serviceIP: range is full';
  it.each<[string, ObjectFailure[], string]>([
    ['one failure, as before', [rangeFull('a')], `Service bench/a: Service bench/a is invalid: spec.clusterIPs: ${full}`],
    ['two different failures, each', [rangeFull('a'), { key: cm('c'), message: 'not sent: the cluster is unreachable' }], `Service bench/a: Service bench/a is invalid: spec.clusterIPs: ${full}; ConfigMap bench/c: not sent: the cluster is unreachable`],
    ['two the same', [rangeFull('a'), rangeFull('b')], `2 objects, e.g. Service bench/a: Service bench/a is invalid: spec.clusterIPs: ${full} (also Service bench/b)`],
    [
      '1,000 the same and one other, in the order each first failed',
      [rangeFull('s0'), { key: cm('c'), message: 'the namespace bench is being deleted' }, ...Array.from({ length: 999 }, (_, i) => rangeFull(`s${i + 1}`))],
      `1000 objects, e.g. Service bench/s0: Service bench/s0 is invalid: spec.clusterIPs: ${full} (also Service bench/s1, Service bench/s2 and 997 more); ConfigMap bench/c: the namespace bench is being deleted`,
    ],
  ])('%s', (_case, failures, text) => {
    expect(failuresText(failures)).toBe(text);
  });

  it('keeps every key of a group, in order', () => {
    expect(groupFailures([rangeFull('a'), rangeFull('b'), rangeFull('c')]).map((g) => g.keys.map((k) => k.name))).toEqual([['a', 'b', 'c']]);
  });
});
