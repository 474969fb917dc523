/**
 * Canonical JSON is stored (plan fingerprints, history snapshot hashes, the re-plan fast path's
 * desired hashes), so its bytes must never change: it is held here to the definition it always
 * had, JSON.stringify with a replacer that sorts every object's keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyTimeout } from '../../test/support/timeouts.js';
import { canonicalJson, contentHash } from './canonical.js';

/** The definition: what canonicalJson has always written. */
function specification(value: unknown): string | undefined {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

describe('canonicalJson', () => {
  it('writes what the sorting replacer writes, for any JSON value and the oddities manifests can hold', () => {
    const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', '10', '9', '09', '0', '-1', '4294967294', '4294967295', '1e3', '', 'a', 'B', 'é', '😀', '\ud800'), fc.nat().map(String));
    const leaf = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constantFrom(-0, Number.NaN, Infinity, -Infinity, 1e21, 5e-7, Number.MAX_SAFE_INTEGER + 2),
      fc.date({ noInvalidDate: true }),
      fc.uint8Array({ maxLength: 12 }),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 6 })),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(specification(v));
      }),
      { numRuns: 3000 },
    );
  }, propertyTimeout(3000));

  it.each<[string, unknown, string]>([
    ['keys sorted at every level, arrays kept in order', { b: 1, a: [{ d: 1, c: 2 }, 3] }, '{"a":[{"c":2,"d":1},3],"b":1}'],
    ['array-index keys first, by number; then code-unit order, upper case before lower', { b: 1, B: 2, 9: 3, 10: 4, '09': 5, '-1': 6 }, '{"9":3,"10":4,"-1":6,"09":5,"B":2,"b":1}'],
    ['undefined dropped from objects, null in arrays', { a: undefined, b: [undefined, -0] }, '{"b":[null,0]}'],
  ])('%s', (_, value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });

  it('hashes equal values alike, whatever their key order', () => {
    expect(contentHash({ a: 1, b: { c: 2, d: 3 } })).toBe(contentHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(contentHash({ a: 1 })).toBe('sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('refuses a value that contains itself, as JSON.stringify does', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(TypeError);
  });
});
