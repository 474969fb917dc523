import { describe, expect, it } from 'vitest';
import type { SlipwayError } from '../model/diagnostics.js';
import type { ResourceKey } from '../model/resource.js';
import { alignKeyOrder, buildChange, buildErrorChange, buildReplaceChange, finalizePlan, toYaml } from './assemble.js';
import { parsePlan } from './plan-file.js';
import type { JsonObject } from './json.js';
import type { Change, Plan, PlanInputs } from './types.js';

const inputs: PlanInputs = {
  app: { name: 'shop', path: 'apps/shop', sourceType: 'kustomize', namespace: 'shop' },
  repo: '/src/shop-deploy',
  commit: '3f9c2a7e1b4d5c6a8e9f0b1c2d3e4f5a6b7c8d9e',
  treeOid: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  renderedHash: 'sha256:5d41402abc4b2a76b9719d911017c592',
  cluster: { context: 'kind-dev', server: 'https://127.0.0.1:6443', uid: '6c1f0d3a-kube-system', version: 'v1.31.2' },
  mode: { kind: 'normal' },
  applySet: { parent: 'Secret/shop/applyset-shop', id: 'applyset-Y2F0-v1' },
};

const key = (kind: string, name: string, namespace?: string, group = ''): ResourceKey => ({ group, version: 'v1', kind, name, ...(namespace && { namespace }) });
const cm = (name: string, data: Record<string, string>): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });

function changes(): Change[] {
  return [
    buildChange({ key: key('ConfigMap', 'web', 'shop'), before: cm('web', { a: '1' }), after: cm('web', { a: '2' }), liveResourceVersion: '12' }),
    buildChange({ key: key('Namespace', 'shop'), after: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } }),
    buildChange({ key: key('ConfigMap', 'api', 'shop'), before: cm('api', { a: '1' }), after: cm('api', { a: '1' }), liveResourceVersion: '9' }),
    buildChange({ key: key('Deployment', 'api', 'shop', 'apps'), before: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } }, liveResourceVersion: '3' }),
    buildErrorChange({ key: key('ConfigMap', 'bad', 'default'), message: 'ConfigMap "bad" is invalid: data[a b]: Invalid value' }),
  ];
}

const plan = (over: { changes?: Change[]; createdAt?: string } = {}): Plan =>
  finalizePlan({ inputs, changes: over.changes ?? changes(), diagnostics: [{ severity: 'warning', code: 'w', message: 'careful' }], createdAt: over.createdAt ?? '2025-03-20T16:12:30.000Z' });

describe('toYaml', () => {
  it('keeps the object key order, never sorts a list, never folds long lines, writes lists kubectl-style', () => {
    const long = 'x'.repeat(200);
    expect(toYaml({ kind: 'A', apiVersion: 'v1', spec: { args: ['b', 'a'], long, n: '1', list: [{ z: 1, a: 2 }] } })).toBe(
      `kind: A\napiVersion: v1\nspec:\n  args:\n  - b\n  - a\n  long: ${long}\n  n: "1"\n  list:\n  - z: 1\n    a: 2\n`,
    );
  });

  it('alignKeyOrder puts the after side in the before side order (list items matched by name), new keys last', () => {
    const before = { metadata: { name: 'x', labels: {} }, spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'j' }] } };
    const after = { spec: { containers: [{ image: 'j2', name: 'b' }, { image: 'i', name: 'a', env: [] }] }, metadata: { labels: {}, name: 'x' }, extra: 1 };
    expect(JSON.stringify(alignKeyOrder(after, before))).toBe(
      JSON.stringify({ metadata: { name: 'x', labels: {} }, spec: { containers: [{ name: 'b', image: 'j2' }, { name: 'a', image: 'i', env: [] }] }, extra: 1 }),
    );
  });
});

describe('buildChange', () => {
  it.each<[string, JsonObject | undefined, JsonObject | undefined, string, string[]]>([
    ['create', undefined, cm('c', { a: '1' }), 'create', []],
    ['delete', cm('c', { a: '1' }), undefined, 'delete', []],
    ['update', cm('c', { a: '1' }), cm('c', { a: '2' }), 'update', ['data.a']],
    ['noop', cm('c', { a: '1' }), { data: { a: '1' }, metadata: { namespace: 'shop', name: 'c' }, kind: 'ConfigMap', apiVersion: 'v1' }, 'noop', []],
  ])('%s', (_what, before, after, action, paths) => {
    const change = buildChange({ key: key('ConfigMap', 'c', 'shop'), ...(before && { before }), ...(after && { after }) });
    expect(change.action).toBe(action);
    expect(change.changedPaths).toEqual(paths);
    expect(change.before === undefined).toBe(before === undefined);
    expect(change.after === undefined).toBe(after === undefined);
  });

  it.each<[ResourceKey, string[]]>([
    [key('Namespace', 'shop'), ['dangerous']],
    [key('PersistentVolumeClaim', 'data', 'shop'), ['dangerous']],
    [{ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', name: 'widgets.example.com' }, ['dangerous']],
    [key('ConfigMap', 'c', 'shop'), []],
  ])('deleting %j is flagged %j', (k, flags) => {
    expect(buildChange({ key: k, before: { apiVersion: 'v1', kind: k.kind, metadata: { name: k.name } } }).flags).toEqual(flags);
  });

  it('a replace is always dangerous; flags come in one order, once', () => {
    const change = buildReplaceChange({ key: key('Service', 'db', 'shop'), before: cm('a', {}), after: cm('a', { x: '1' }), message: 'spec.clusterIP is immutable', flags: ['adopt', 'approximate', 'adopt'] });
    expect(change).toMatchObject({ action: 'replace', flags: ['dangerous', 'approximate', 'adopt'], message: 'spec.clusterIP is immutable', changedPaths: ['data.x'] });
  });

  it('an error change carries the server message and whatever sides it has', () => {
    const change = buildErrorChange({ key: key('ConfigMap', 'c', 'shop'), message: 'denied', source: { file: 'apps/shop/cm.yaml', line: 3 } });
    expect(change).toStrictEqual({ key: key('ConfigMap', 'c', 'shop'), action: 'error', flags: [], changedPaths: [], source: { file: 'apps/shop/cm.yaml', line: 3 }, message: 'denied' });
  });

  it('hashes the desired manifest independently of key order', () => {
    const a = buildChange({ key: key('ConfigMap', 'c', 'shop'), after: cm('c', {}), desired: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } } });
    const b = buildChange({ key: key('ConfigMap', 'c', 'shop'), after: cm('c', {}), desired: { apiVersion: 'v1', metadata: { name: 'c' }, kind: 'ConfigMap' } });
    expect(a.desiredHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.desiredHash).toBe(b.desiredHash);
  });

  it('refuses a change with neither side', () => {
    expect(() => buildChange({ key: key('ConfigMap', 'c', 'shop') })).toThrow(/neither a before nor an after/);
  });
});

describe('finalizePlan', () => {
  it('sorts by namespace (cluster-scoped first), kind, name and counts every action', () => {
    const p = plan();
    expect(p.changes.map((c) => `${c.key.namespace ?? '-'} ${c.key.kind} ${c.key.name} ${c.action}`)).toEqual([
      '- Namespace shop create',
      'default ConfigMap bad error',
      'shop ConfigMap api noop',
      'shop ConfigMap web update',
      'shop Deployment api delete',
    ]);
    expect(p.summary).toEqual({ create: 1, update: 1, delete: 1, replace: 0, noop: 1, error: 1 });
    expect(p.formatVersion).toBe(5);
  });

  it('gives equal inputs the same id, whatever the time or the order the changes came in', () => {
    const a = plan();
    const b = plan({ changes: changes().reverse(), createdAt: '2026-01-01T00:00:00.000Z' });
    expect(a.id).toMatch(/^plan-[0-9a-f]{16}$/);
    expect(b.id).toBe(a.id);
    expect({ ...b, createdAt: a.createdAt }).toStrictEqual(a);
  });

  it('gives a different id when anything but the time differs', () => {
    const other = changes();
    other[0] = buildChange({ key: key('ConfigMap', 'web', 'shop'), before: cm('web', { a: '1' }), after: cm('web', { a: '2' }), liveResourceVersion: '13' });
    expect(plan({ changes: other }).id).not.toBe(plan().id);
  });

  it('survives a JSON round trip unchanged, and parsePlan gives back the same value', () => {
    const p = plan();
    const text = JSON.stringify(p, null, 2);
    expect(JSON.parse(text)).toStrictEqual(p);
    expect(parsePlan(text, { file: 'plan.json' })).toStrictEqual(p);
  });
});

describe('parsePlan refuses what it cannot trust', () => {
  const valid = (): Record<string, unknown> => JSON.parse(JSON.stringify(plan())) as Record<string, unknown>;
  const attempt = (text: string) => {
    try {
      parsePlan(text, { file: 'out/plan.json' });
    } catch (err) {
      return { code: (err as SlipwayError).code, message: (err as Error).message, hint: (err as SlipwayError).hint };
    }
    throw new Error('parsePlan accepted it');
  };

  it.each<[string, (p: Record<string, unknown>) => unknown, { code: string; message: string; hint?: string }]>([
    ['a newer formatVersion', (p) => ({ ...p, formatVersion: 6 }), { code: 'plan-format-version', message: 'out/plan.json has plan formatVersion 6; this Slipway reads formatVersion 5', hint: 'use the Slipway version that made the plan, or a newer one' }],
    // A plan of Slipway 0.1 (formatVersion 1: comparison and revertOf instead of mode) is made again, not guessed at.
    ['an older formatVersion', (p) => ({ ...p, formatVersion: 1 }), { code: 'plan-format-version', message: 'out/plan.json has plan formatVersion 1; this Slipway reads formatVersion 5', hint: 'make a new plan with this Slipway' }],
    ['a formatVersion that is a string', (p) => ({ ...p, formatVersion: '2' }), { code: 'plan-format-version', message: 'out/plan.json has plan formatVersion "2"; this Slipway reads formatVersion 5', hint: 'make a new plan with this Slipway' }],
    ['no formatVersion', ({ formatVersion: _drop, ...p }) => p, { code: 'plan-invalid', message: 'out/plan.json is not a Slipway plan: it has no formatVersion' }],
    ['not an object', () => [1, 2], { code: 'plan-invalid', message: 'out/plan.json is not a Slipway plan: it has no formatVersion' }],
    [
      'a bad action, named by its path',
      (p) => ({ ...p, changes: (p.changes as Change[]).map((c, i) => (i === 2 ? { ...c, action: 'upsert' } : c)) }),
      { code: 'plan-invalid', message: 'out/plan.json is not a valid plan:\n  changes[2].action: Invalid option: expected one of "create"|"update"|"delete"|"replace"|"noop"|"error"' },
    ],
    [
      'an unknown field',
      (p) => ({ ...p, inputs: { ...(p.inputs as object), liveObjects: [] } }),
      { code: 'plan-invalid', message: 'out/plan.json is not a valid plan:\n  inputs: Unrecognized key: "liveObjects"' },
    ],
    ['a missing field', ({ summary: _drop, ...p }) => p, { code: 'plan-invalid', message: 'out/plan.json is not a valid plan:\n  summary: Invalid input: expected object, received undefined' }],
  ])('%s', (_what, edit, expected) => {
    expect(attempt(JSON.stringify(edit(valid())))).toEqual({ hint: undefined, ...expected });
  });

  it('refuses text that is not JSON, naming the file', () => {
    expect(attempt('{"formatVersion": 1,')).toMatchObject({ code: 'plan-invalid', message: expect.stringMatching(/^out\/plan\.json is not valid JSON: /) as unknown });
  });

  it('refuses a plan edited after it was made (its content no longer matches its id)', () => {
    const p = valid();
    const edited = { ...p, changes: (p.changes as Change[]).map((c) => (c.action === 'delete' ? { ...c, action: 'noop' } : c)) };
    expect(attempt(JSON.stringify(edited))).toEqual({
      code: 'plan-modified',
      message: expect.stringMatching(/^out\/plan\.json: the plan's content does not match its id plan-[0-9a-f]{16} \(it hashes to plan-[0-9a-f]{16}\): it was changed after it was made$/) as unknown,
      hint: 'make a new plan',
    });
  });
});
