import { describe, expect, it } from 'vitest';
import { RESEALED, SEALED, isSealedSecret, keyedValuePath, maskSealedPair, sealedKeyChanges } from './sealed-secrets.js';

const sealed = (encryptedData: Record<string, string>): Record<string, unknown> => ({ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'db' }, spec: { encryptedData, template: { metadata: { name: 'db' } } } });

describe('isSealedSecret', () => {
  it.each([
    ['bitnami.com/v1alpha1 SealedSecret', sealed({}), true],
    ['a SealedSecret of another group', { apiVersion: 'example.com/v1', kind: 'SealedSecret' }, false],
    ['a Secret', { apiVersion: 'v1', kind: 'Secret' }, false],
  ])('%s', (_, obj, expected) => expect(isSealedSecret(obj)).toBe(expected));
});

describe('sealedKeyChanges', () => {
  it.each([
    ['re-sealed, added, removed, unchanged', sealed({ a: 'AgB1', b: 'AgB2', c: 'AgB3' }), sealed({ a: 'AgB9', b: 'AgB2', d: 'AgB4' }), { a: 're-sealed', b: 'unchanged', c: 'removed', d: 'added' }],
    ['create', undefined, sealed({ a: 'AgB1' }), { a: 'added' }],
    ['delete', sealed({ a: 'AgB1' }), undefined, { a: 'removed' }],
  ])('%s', (_, before, after, expected) => expect(sealedKeyChanges(before, after)).toEqual(expected));
});

describe('maskSealedPair', () => {
  it('shows markers, not ciphertext; a re-sealed key differs on the after side', () => {
    const out = maskSealedPair({ before: sealed({ a: 'AgB1', b: 'AgB2' }), after: sealed({ a: 'AgB9', b: 'AgB2' }) });
    expect(JSON.stringify(out)).not.toMatch(/AgB/);
    expect((out.before!.spec as { encryptedData: unknown }).encryptedData).toEqual({ a: SEALED, b: SEALED });
    expect((out.after!.spec as { encryptedData: unknown }).encryptedData).toEqual({ a: RESEALED, b: SEALED });
  });
});

describe('keyedValuePath', () => {
  it.each([
    ['Secret', ['data']],
    ['SealedSecret', ['spec', 'encryptedData']],
  ])('%s', (kind, path) => expect(keyedValuePath(kind)).toEqual(path));
});
