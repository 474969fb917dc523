import { describe, expect, it } from 'vitest';
import { changedPaths, formatFieldPath } from './diff.js';

const pod = (containers: unknown[]) => ({ spec: { template: { spec: { containers } } } });

describe('changedPaths', () => {
  it.each<[string, unknown, unknown, string[]]>([
    ['equal objects, keys in another order', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, []],
    ['a scalar', { spec: { replicas: 2 } }, { spec: { replicas: 3 } }, ['spec.replicas']],
    ['a label added', { metadata: { labels: { app: 'web' } } }, { metadata: { labels: { app: 'web', tier: 'front' } } }, ['metadata.labels.tier']],
    ['a key that is not an identifier is quoted', { metadata: { labels: {} } }, { metadata: { labels: { 'app.kubernetes.io/name': 'web' } } }, ['metadata.labels["app.kubernetes.io/name"]']],
    ['a whole map added is one path', { spec: {} }, { spec: { strategy: { type: 'Recreate', rollingUpdate: null } } }, ['spec.strategy']],
    ['a field removed', { spec: { paused: true, replicas: 1 } }, { spec: { replicas: 1 } }, ['spec.paused']],
    ['a type change', { spec: { x: { a: 1 } } }, { spec: { x: 'a' } }, ['spec.x']],
    ['a named list item by name', pod([{ name: 'web', image: 'a' }, { name: 'log', image: 'b' }]), pod([{ name: 'web', image: 'c' }, { name: 'log', image: 'b' }]), ['spec.template.spec.containers[name=web].image']],
    ['a named list item added', pod([{ name: 'web' }]), pod([{ name: 'web' }, { name: 'metrics' }]), ['spec.template.spec.containers[name=metrics]']],
    ['a named list item removed in the middle', pod([{ name: 'a' }, { name: 'b' }, { name: 'c' }]), pod([{ name: 'a' }, { name: 'c' }]), ['spec.template.spec.containers[name=b]']],
    ['a named list reordered', pod([{ name: 'a' }, { name: 'b' }]), pod([{ name: 'b' }, { name: 'a' }]), ['spec.template.spec.containers']],
    ['nested named lists', pod([{ name: 'web', env: [{ name: 'A', value: '1' }] }]), pod([{ name: 'web', env: [{ name: 'A', value: '2' }] }]), ['spec.template.spec.containers[name=web].env[name=A].value']],
    ['a name with odd characters is quoted', { env: [{ name: 'a]b', value: '1' }] }, { env: [{ name: 'a]b', value: '2' }] }, ['env[name="a]b"].value']],
    ['a list without names by index', { spec: { args: ['a', 'b', 'c'] } }, { spec: { args: ['a', 'x', 'c', 'd'] } }, ['spec.args[1]', 'spec.args[3]']],
    ['indexes sort as numbers', { l: Array.from({ length: 12 }, (_, i) => i) }, { l: Array.from({ length: 12 }, (_, i) => (i === 2 || i === 10 ? -1 : i)) }, ['l[2]', 'l[10]']],
    ['duplicate names fall back to indexes', { l: [{ name: 'a', v: 1 }, { name: 'a', v: 2 }] }, { l: [{ name: 'a', v: 1 }, { name: 'a', v: 3 }] }, ['l[1].v']],
    ['objects without a name by index', { ports: [{ port: 80 }, { port: 443 }] }, { ports: [{ port: 80 }, { port: 8443 }] }, ['ports[1].port']],
    ['null and absent differ', { a: null }, {}, ['a']],
    ['a key that starts with a digit is quoted', { data: { '1': 'a' } }, { data: { '1': 'b' } }, ['data["1"]']],
  ])('%s', (_what, before, after, paths) => {
    expect(changedPaths(before, after)).toEqual(paths);
  });

  it('sorts and deduplicates', () => {
    const paths = changedPaths({ b: 1, a: { z: 1, y: 1 } }, { b: 2, a: { z: 2, y: 2 } });
    expect(paths).toEqual(['a.y', 'a.z', 'b']);
  });
});

describe('formatFieldPath', () => {
  it.each<[(string | number)[], string]>([
    [['data', 'password'], 'data.password'],
    [['data', 'tls.crt'], 'data["tls.crt"]'],
    [['spec', 'args', 0], 'spec.args[0]'],
  ])('%j → %s', (segments, text) => {
    expect(formatFieldPath(segments)).toBe(text);
  });
});
