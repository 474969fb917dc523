import { describe, expect, it } from 'vitest';
import type { DesiredObject } from '../model/desired.js';
import { manifestHash } from '../plan/assemble.js';
import type { JsonObject } from '../plan/json.js';
import type { Plan } from '../plan/types.js';
import { hashObjects, type RenderResult } from '../render/render.js';
import { staleRenderError } from './stale-render.js';

const cm = (name: string, data: Record<string, string>): DesiredObject => ({
  key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'ns', name },
  manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data },
  source: { file: `${name}.yaml` },
});
const secret = (name: string, value: string): DesiredObject => ({
  key: { group: '', version: 'v1', kind: 'Secret', namespace: 'ns', name },
  manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, stringData: { password: value } },
  source: { file: `${name}.yaml` },
});
const render = (objects: DesiredObject[]): RenderResult => ({ objects, renderedHash: hashObjects(objects) }) as unknown as RenderResult;

/** A plan whose changes hold each object's hash as the plan saw it (settling here is the identity). */
const planOf = (objects: DesiredObject[], commit = 'a'.repeat(40)): Plan =>
  ({
    inputs: { app: { name: 'rnd', path: 'charts/rnd', sourceType: 'helm' }, commit, renderedHash: hashObjects(objects) },
    changes: objects.map((o) => ({ key: o.key, action: 'create', desiredHash: manifestHash(o.manifest as unknown as JsonObject) })),
    hooks: [],
  }) as unknown as Plan;

const settle = (r: RenderResult): Promise<{ key: DesiredObject['key']; manifest: JsonObject }[]> => Promise.resolve(r.objects.map((o) => ({ key: o.key, manifest: o.manifest as unknown as JsonObject })));

describe('staleRenderError', () => {
  const fixed = cm('fixed', { a: '1' });
  it.each<[string, { plan: DesiredObject[]; now: DesiredObject[]; again: DesiredObject[]; commit?: string }, RegExp, RegExp | undefined]>([
    [
      'two renders that differ name the objects that change on every run',
      { plan: [fixed, cm('rnd', { token: 'aaaa' })], now: [fixed, cm('rnd', { token: 'bbbb' })], again: [fixed, cm('rnd', { token: 'cccc' })] },
      /^plan is stale: app rnd renders differently on every run \(random or time-based template functions such as randAlphaNum, uuidv4, now, genCA\); two renders at aaaaaaaaaaaa differ: ConfigMap ns\/rnd\. An exact plan cannot be applied for such an app/,
      /ConfigMap ns\/fixed/,
    ],
    [
      'a random name is an object in one render only',
      { plan: [fixed, cm('job-x1', {})], now: [fixed, cm('job-x2', {})], again: [fixed, cm('job-x3', {})] },
      /differ: ConfigMap ns\/job-x2 \(in one render only\), ConfigMap ns\/job-x3 \(in one render only\)\./,
      undefined,
    ],
    [
      'renders that agree with each other but not with the plan name what changed since',
      { plan: [fixed, cm('b', { v: '1' }), cm('gone', {})], now: [fixed, cm('b', { v: '2' }), cm('new', {})], again: [fixed, cm('b', { v: '2' }), cm('new', {})] },
      /^plan is stale: the app renders differently at aaaaaaaaaaaa than when the plan was made, the same on each run now \(the tools, values or the time a template reads changed\?\): ConfigMap ns\/b, ConfigMap ns\/gone \(no longer rendered\), ConfigMap ns\/new \(not in the plan\); plan again$/,
      /every run/,
    ],
    [
      'the working copy says so',
      { plan: [cm('b', { v: '1' })], now: [cm('b', { v: '2' })], again: [cm('b', { v: '2' })], commit: ':working' },
      /^plan is stale: the working copy changed since the plan was made: ConfigMap ns\/b; plan again$/,
      undefined,
    ],
    [
      'a Secret is named, its values never shown',
      { plan: [secret('db', 'hunter2')], now: [secret('db', 'swordfish')], again: [secret('db', 'correct-horse')] },
      /differ: Secret ns\/db\./,
      /hunter2|swordfish|correct-horse/,
    ],
  ])('%s', async (_, fx, message, absent) => {
    const e = await staleRenderError({ plan: planOf(fx.plan, fx.commit), render: render(fx.now), renderAgain: () => Promise.resolve(render(fx.again)), settle: (r) => settle(r) });
    expect(e.code).toBe('plan-stale');
    expect(e.message).toMatch(message);
    if (absent) expect(`${e.message}\n${e.hint ?? ''}`).not.toMatch(absent);
  });

  it('leaves out the namespace createNamespace adds to the plan (it is never rendered)', async () => {
    const plan = planOf([cm('b', { v: '1' })]);
    const withNamespace = { ...plan, inputs: { ...plan.inputs, app: { ...plan.inputs.app, namespace: 'ns', createNamespace: true } }, changes: [...plan.changes, { key: { group: '', version: 'v1', kind: 'Namespace', name: 'ns' }, action: 'create', desiredHash: 'sha256:ns' }] } as unknown as Plan;
    const e = await staleRenderError({ plan: withNamespace, render: render([cm('b', { v: '2' })]), renderAgain: () => Promise.resolve(render([cm('b', { v: '2' })])), settle });
    expect(e.message).toMatch(/plan was made.*: ConfigMap ns\/b; plan again$/);
  });

  it('names at most eight objects, then how many more', async () => {
    const many = (token: string): DesiredObject[] => Array.from({ length: 11 }, (_, i) => cm(`c${i}`, { token }));
    const e = await staleRenderError({ plan: planOf(many('a')), render: render(many('b')), renderAgain: () => Promise.resolve(render(many('c'))), settle });
    expect(e.message).toMatch(/differ: ConfigMap ns\/c0, .*ConfigMap ns\/c7 and 3 more\./);
  });

  it('gives the hint to pin generated values', async () => {
    const e = await staleRenderError({ plan: planOf([cm('r', { t: 'a' })]), render: render([cm('r', { t: 'b' })]), renderAgain: () => Promise.resolve(render([cm('r', { t: 'c' })])), settle });
    expect(e.hint).toMatch(/set each generated value in values/);
    expect(e.message).toMatch(/Pin the generated values \(set them in values, or read an existing Secret with lookup\) and plan again$/);
  });
});
