/**
 * Properties of normalization and diffing (fast-check) on arbitrary JSON-like objects shaped like
 * Kubernetes objects (metadata with server fields, status, annotations, named lists):
 * normalizing is idempotent and pure; changedPaths(a, a) is empty; changedPaths(a, b) is empty
 * exactly when a and b are equal after normalization.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyTimeout } from '../../test/support/timeouts.js';
import type { IgnoreDifferencesRule } from '../source/apps.js';
import { changedPaths } from './diff.js';
import { deepEqual, type JsonObject } from './json.js';
import { LAST_APPLIED_ANNOTATION, normalize } from './normalize.js';

const key = fc.constantFrom('a', 'b', 'name', 'image', 'replicas', 'x.y', 'app.kubernetes.io/name', '0', '');
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant(null));
/** Values with lists of named objects (matched by name) as well as plain lists and maps. */
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.uniqueArray(fc.record({ name: fc.constantFrom('web', 'sidecar', 'init', 'db') }).chain((n) => fc.dictionary(key, tie('value'), { maxKeys: 2 }).map((rest) => ({ ...rest, ...n }))), { selector: (o) => o.name, maxLength: 3 }),
  ),
}));

const kubeObject: fc.Arbitrary<JsonObject> = fc
  .record(
    {
      apiVersion: fc.constantFrom('v1', 'apps/v1', 'example.com/v1'),
      kind: fc.constantFrom('ConfigMap', 'Deployment', 'Widget'),
      metadata: fc.record(
        {
          name: fc.constantFrom('web', 'db'),
          namespace: fc.constantFrom('shop', 'default'),
          resourceVersion: fc.string(),
          uid: fc.uuid(),
          generation: fc.nat(),
          creationTimestamp: fc.constant('2026-01-01T00:00:00Z'),
          managedFields: fc.constant([{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }]),
          labels: fc.oneof(fc.constant(null), fc.dictionary(key, fc.string({ maxLength: 4 }), { maxKeys: 3 })),
          annotations: fc.dictionary(fc.oneof(key, fc.constant(LAST_APPLIED_ANNOTATION)), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
        },
        { requiredKeys: ['name'] },
      ),
      spec: fc.dictionary(key, value, { maxKeys: 4 }),
      data: fc.dictionary(key, fc.string({ maxLength: 4 }), { maxKeys: 3 }),
      status: value,
    },
    { requiredKeys: ['apiVersion', 'kind', 'metadata'] },
  )
  .map((o) => o as JsonObject);

/**
 * ignoreDifferences rules as a user might write them, pointers that exist or not, and manager rules.
 * Pointers into lists by index (/spec/args/0) are left out on purpose: like Argo CD's JSON-patch
 * "remove", each pass removes whatever sits at that index then, so they are not idempotent (a plan
 * normalizes each side once, so both sides still lose the same element). See docs/reliability.md.
 */
const ignoreRules: fc.Arbitrary<IgnoreDifferencesRule[]> = fc.array(
  fc.record(
    {
      group: fc.constantFrom('', 'apps', '*'),
      kind: fc.constantFrom('ConfigMap', 'Deployment', '*'),
      jsonPointers: fc.array(fc.constantFrom('/spec/a', '/spec/replicas', '/metadata/labels/a', '/data/b', '/spec/x.y', '/spec/name/a', '/nope'), { maxLength: 3 }),
      managedFieldsManagers: fc.constantFrom(['kubectl'], []),
    },
    { requiredKeys: ['kind'] },
  ),
  { maxLength: 2 },
);

describe('normalize (properties)', () => {
  it('normalizing twice equals normalizing once', () => {
    fc.assert(
      fc.property(kubeObject, ignoreRules, (obj, ignore) => {
        const once = normalize(obj, { ignore });
        expect(normalize(once, { ignore })).toEqual(once);
      }),
      { numRuns: 500 },
    );
  }, propertyTimeout(500));

  it('never changes its input', () => {
    fc.assert(
      fc.property(kubeObject, ignoreRules, (obj, ignore) => {
        const before = structuredClone(obj);
        normalize(obj, { ignore, managedFieldsFrom: obj });
        expect(obj).toEqual(before);
      }),
      { numRuns: 300 },
    );
  }, propertyTimeout(300));

  it('removes every field the server writes by itself', () => {
    fc.assert(
      fc.property(kubeObject, (obj) => {
        const n = normalize(obj);
        const meta = n.metadata as JsonObject;
        expect(Object.keys(meta).filter((k) => ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp'].includes(k))).toEqual([]);
        expect(n).not.toHaveProperty('status');
        expect(JSON.stringify(n)).not.toContain(LAST_APPLIED_ANNOTATION);
      }),
      { numRuns: 300 },
    );
  }, propertyTimeout(300));
});

describe('changedPaths (properties)', () => {
  it('of an object with itself (or a copy) is empty', () => {
    fc.assert(
      fc.property(kubeObject, (a) => {
        expect(changedPaths(a, a)).toEqual([]);
        expect(changedPaths(a, structuredClone(a))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  }, propertyTimeout(500));

  it('is empty exactly when the two objects are equal after normalization', () => {
    fc.assert(
      fc.property(kubeObject, kubeObject, (a, b) => {
        const [na, nb] = [normalize(a), normalize(b)];
        expect(changedPaths(na, nb).length === 0).toBe(deepEqual(na, nb));
      }),
      { numRuns: 500 },
    );
  }, propertyTimeout(500));

  it('is empty exactly when equal, also for objects that differ by one small edit', () => {
    const edited = kubeObject.chain((a) => fc.tuple(fc.constant(a), fc.constantFrom('spec', 'data', 'metadata'), key, value).map(([x, field, k, v]) => {
      const b = structuredClone(x);
      const parent = (b[field] ?? {}) as JsonObject;
      b[field] = { ...parent, [k]: v };
      return [x, b] as const;
    }));
    fc.assert(
      fc.property(edited, ([a, b]) => {
        const [na, nb] = [normalize(a), normalize(b)];
        const paths = changedPaths(na, nb);
        expect(paths.length === 0).toBe(deepEqual(na, nb));
        expect(new Set(paths).size).toBe(paths.length);
      }),
      { numRuns: 500 },
    );
  }, propertyTimeout(500));
});
