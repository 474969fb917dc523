/**
 * Properties of Secret masking (fast-check): whatever a Secret holds, no value of 4 characters or
 * more (plain, or base64 as data holds it) survives maskSecretValues, maskSecretPair or
 * scrubSecretValues; keys stay visible.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { propertyTimeout } from '../../test/support/timeouts.js';
import { maskSecretValues } from '../model/secrets.js';
import { MASK, MASK_CHANGED, maskSecretPair, scrubSecretValues } from './secrets.js';
import type { JsonObject } from './json.js';

const secretKey = fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/);
const value = fc.string({ minLength: 4, maxLength: 40, unit: 'grapheme' });

const secret = fc
  .record({
    data: fc.dictionary(secretKey, value, { maxKeys: 4 }),
    stringData: fc.dictionary(secretKey, value, { maxKeys: 4 }),
    lastApplied: fc.boolean(),
  })
  .map(({ data, stringData, lastApplied }) => {
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
    const annotations = lastApplied ? { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: encoded, stringData }) } : {};
    const obj: JsonObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop', annotations }, type: 'Opaque', data: encoded, stringData };
    return { obj, values: [...Object.values(data), ...Object.values(stringData)] };
  });

/** The Secret with no values at all: what may legitimately show (keys, annotation names such as last-applied-configuration, names, the mask). */
function skeleton(obj: JsonObject): string {
  const blank = (m: unknown): unknown => Object.fromEntries(Object.keys(m as object).map((k) => [k, MASK_CHANGED]));
  const { annotations } = obj.metadata as { annotations: unknown };
  return JSON.stringify({ ...obj, metadata: { name: 'db', namespace: 'shop', annotations: blank(annotations) }, data: blank(obj.data), stringData: blank(obj.stringData) }) + MASK;
}

/** Forms a value may take in an output: plain, base64, JSON-escaped. */
function forms(v: string): string[] {
  const b64 = Buffer.from(v, 'utf8').toString('base64');
  return [v, JSON.stringify(v).slice(1, -1), b64];
}

function leaked(text: string, values: readonly string[], allowed: string): string[] {
  return values.flatMap(forms).filter((f) => f.length >= 4 && text.includes(f) && !allowed.includes(f));
}

/** PROPERTY_RUNS searches longer by hand; the timeout grows with it. */
const PAIR_RUNS = Number(process.env.PROPERTY_RUNS ?? 500);

describe('Secret masking (properties)', () => {
  it('maskSecretValues leaves no value in the object, its JSON or its YAML, and keeps every key', () => {
    fc.assert(
      fc.property(secret, ({ obj, values }) => {
        const masked = maskSecretValues(obj);
        for (const text of [JSON.stringify(masked), stringify(masked)]) expect(leaked(text, values, skeleton(obj))).toEqual([]);
        expect(Object.keys(masked.data as object)).toEqual(Object.keys(obj.data as object));
        expect(Object.keys(masked.stringData as object)).toEqual(Object.keys(obj.stringData as object));
      }),
      { numRuns: 500 },
    );
  }, propertyTimeout(500));

  it('maskSecretPair leaves no value of either side', () => {
    fc.assert(
      fc.property(secret, secret, (a, b) => {
        const pair = maskSecretPair({ before: a.obj, after: b.obj });
        const text = JSON.stringify(pair);
        expect(leaked(text, [...a.values, ...b.values], skeleton(a.obj) + skeleton(b.obj))).toEqual([]);
      }),
      { numRuns: PAIR_RUNS },
    );
  }, propertyTimeout(PAIR_RUNS));

  it('scrubSecretValues removes every value of 4 characters or more from a message', () => {
    fc.assert(
      fc.property(secret, fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }), ({ obj, values }, noise) => {
        const message = [...noise, ...values.flatMap(forms), ...noise].join(' | ');
        const scrubbed = scrubSecretValues(message, [obj]);
        expect(leaked(scrubbed, values, noise.join(' | ') + MASK)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  }, propertyTimeout(500));
});
