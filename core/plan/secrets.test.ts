import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildChange, buildErrorChange, changeFromObjects, finalizePlan } from './assemble.js';
import { parsePlan } from './plan-file.js';
import type { JsonObject } from './json.js';
import { foldStringData, MASK, MASK_CHANGED, maskSecretPair, scrubSecretValues, secretKeyChanges } from './secrets.js';
import type { Change, PlanInputs } from './types.js';
import { renderPlanJson } from './view-json.js';
import { renderPlanText } from './view-text.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const secret = (fields: { data?: Record<string, string>; stringData?: Record<string, string> }): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'ns' },
  type: 'Opaque',
  ...fields,
});

describe('secretKeyChanges', () => {
  it.each<[string, JsonObject | undefined, JsonObject | undefined, Record<string, string>]>([
    ['same data', secret({ data: { a: b64('x') } }), secret({ data: { a: b64('x') } }), { a: 'unchanged' }],
    ['stringData k=v equals data k=base64(v)', secret({ data: { a: b64('pässword') } }), secret({ stringData: { a: 'pässword' } }), { a: 'unchanged' }],
    ['stringData wins over data for the same key', secret({ data: { a: b64('new') } }), secret({ data: { a: b64('old') }, stringData: { a: 'new' } }), { a: 'unchanged' }],
    ['a value changed', secret({ data: { a: b64('x') } }), secret({ stringData: { a: 'y' } }), { a: 'changed' }],
    ['keys added and removed, sorted', secret({ data: { z: b64('1'), b: b64('2') } }), secret({ data: { b: b64('2'), a: b64('3') } }), { a: 'added', b: 'unchanged', z: 'removed' }],
    ['create', undefined, secret({ data: { a: b64('x') } }), { a: 'added' }],
    ['delete', secret({ data: { a: b64('x') } }), undefined, { a: 'removed' }],
    ['no data at all', secret({}), secret({}), {}],
  ])('%s', (_what, before, after, expected) => {
    expect(secretKeyChanges(before, after)).toEqual(expected);
  });
});

describe('foldStringData and maskSecretPair', () => {
  it('folds stringData into data as the API server does, leaving the input alone', () => {
    const input = secret({ data: { a: b64('1'), b: b64('2') }, stringData: { b: 'two', c: 'three' } });
    expect(foldStringData(input)).toEqual(secret({ data: { a: b64('1'), b: b64('two'), c: b64('three') } }));
    expect(input.stringData).toEqual({ b: 'two', c: 'three' });
  });

  it('masks every value and marks changed keys on the after side only', () => {
    const masked = maskSecretPair({ before: secret({ data: { a: b64('1'), b: b64('2') } }), after: secret({ stringData: { a: '1', b: 'changed', c: 'new' } }) });
    expect(masked.before?.data).toEqual({ a: MASK, b: MASK });
    expect(masked.after?.data).toEqual({ a: MASK, b: MASK_CHANGED, c: MASK });
    expect(masked.after?.stringData).toBeUndefined();
  });

  it('scrubs plain and base64 values of at least 4 characters from a message', () => {
    const s = secret({ data: { password: b64('hunter22') }, stringData: { pin: '123' } });
    expect(scrubSecretValues(`bad value "hunter22" (${b64('hunter22')}), pin 123`, [s, undefined])).toBe(`bad value "${MASK}" (${MASK}), pin 123`);
  });
});

// ---- No output of the plan ever holds a Secret value ---------------------------------------------

const dir = new URL('./testdata/changes/', import.meta.url);
const fixture = (name: string, file: string) => parse(readFileSync(new URL(`${name}/${file}`, dir), 'utf8')) as JsonObject;
const key = (name: string) => ({ group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name });

const OLD = 'correct-horse-battery-staple';
const NEW = 'Tr0ub4dor&3-rotated';
const FRESH = 'brand-new-api-token-4f9a';
const GONE = 'old-webhook-secret-77c1';
const values = [OLD, NEW, FRESH, GONE, `postgres://shop:${OLD}@db:5432/shop`, `postgres://shop:${NEW}@db:5432/shop`];
// Each value in plain text and in base64 (unpadded, so a substring of any encoding is caught).
const needles = values.flatMap((v) => [v, b64(v).replace(/=+$/, '')]);

function secretChanges(): Change[] {
  const created = secret({ stringData: { token: FRESH } });
  const deleted = secret({ data: { webhook: b64(GONE) } });
  const rejected = secret({ stringData: { token: FRESH } });
  return [
    changeFromObjects({ key: key('db-credentials'), live: fixture('secret-value-changed', 'live.yaml'), predicted: fixture('secret-value-changed', 'predicted.yaml') }),
    changeFromObjects({ key: key('db-credentials-approx'), live: fixture('secret-stringdata-same', 'live.yaml'), predicted: fixture('secret-stringdata-same', 'predicted.yaml'), flags: ['approximate'] }),
    buildChange({ key: key('api-token'), after: created, desired: created }),
    buildChange({ key: key('webhook'), before: deleted }),
    buildErrorChange({ key: key('rejected'), desired: rejected, message: `Secret "rejected" is invalid: stringData[token]: Invalid value: "${FRESH}": must be shorter` }),
  ];
}

const inputs: PlanInputs = {
  app: { name: 'shop', path: 'apps/shop', sourceType: 'directory' },
  repo: '/src/shop',
  commit: '3f9c2a7e1b4d5c6a8e9f0b1c2d3e4f5a6b7c8d9e',
  treeOid: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  renderedHash: 'sha256:00',
  cluster: { context: 'dev', server: 'https://127.0.0.1:6443', uid: 'k', version: 'v1.31.2' },
  mode: { kind: 'normal' },
  applySet: { parent: 'Secret/shop/applyset-shop', id: 'applyset-x-v1' },
};

describe('Secret values in plan outputs', () => {
  it('the fixtures really hold the values (so the search below can fail)', () => {
    const raw = ['live.yaml', 'predicted.yaml'].map((f) => readFileSync(new URL(`secret-value-changed/${f}`, dir), 'utf8')).join('');
    for (const needle of [OLD, NEW].map((v) => b64(v).replace(/=+$/, ''))) expect(raw).toContain(needle);
  });

  it('appear in no output: text view (plain and colour), JSON view, plan JSON, a reloaded plan', () => {
    const changes = secretChanges();
    expect(changes.map((c) => [c.action, c.secretKeys])).toEqual([
      ['update', { password: 'changed', url: 'changed', username: 'unchanged' }],
      ['noop', { password: 'unchanged', url: 'unchanged', username: 'unchanged' }],
      ['create', { token: 'added' }],
      ['delete', { webhook: 'removed' }],
      ['error', undefined],
    ]);
    const plan = finalizePlan({ inputs, changes, diagnostics: [], createdAt: '2025-03-20T16:12:30Z' });
    const json = JSON.stringify(plan);
    const outputs = {
      text: renderPlanText(plan),
      color: renderPlanText(plan, { color: true }),
      jsonView: renderPlanJson(plan),
      planJson: json,
      reloaded: JSON.stringify(parsePlan(json, { file: 'plan.json' })),
    };
    for (const [name, text] of Object.entries(outputs)) {
      for (const needle of needles) expect(text.includes(needle), `${name} contains ${needle}`).toBe(false);
    }
    // What the reviewer does see: the keys and what happened to them.
    expect(outputs.text).toContain('      data.password: (changed)\n      data.url: (changed)\n');
    expect(outputs.text).toContain(`Invalid value: "${MASK}"`);
  });

  it('changed paths name the key, never the value', () => {
    const [updated] = secretChanges();
    expect(updated?.changedPaths).toEqual(['data.password', 'data.url']);
  });
});
