/**
 * Sealed Secrets (bitnami.com SealedSecret): every reseal changes each key's ciphertext, so a plan
 * of raw spec.encryptedData is a wall of base64. A Change says per key added / removed / re-sealed
 * (ciphertext changed; the value may be the same) / unchanged, and its YAML sides show a marker
 * instead of the ciphertext — which is not secret, only noise.
 */
import type { SecretKeyChange } from './types.js';
import { isPlainObject, type JsonObject } from './json.js';

/** Shown for every sealed value; the after side marks a re-sealed key so the diff still shows the line. */
export const SEALED = '(sealed)';
export const RESEALED = '(re-sealed)';

export function isSealedSecret(obj: unknown): boolean {
  return isPlainObject(obj) && obj.kind === 'SealedSecret' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('bitnami.com/');
}

function sealedValues(obj: unknown): Map<string, string> {
  const spec = isPlainObject(obj) ? obj.spec : undefined;
  const data = isPlainObject(spec) ? spec.encryptedData : undefined;
  return new Map(isPlainObject(data) ? Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']) : []);
}

/** Per key, sorted by key. Either side may be absent (create, delete). */
export function sealedKeyChanges(before: unknown, after: unknown): Record<string, SecretKeyChange> {
  const a = sealedValues(before);
  const b = sealedValues(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return Object.fromEntries(keys.map((k) => [k, !a.has(k) ? 'added' : !b.has(k) ? 'removed' : a.get(k) === b.get(k) ? 'unchanged' : 're-sealed']));
}

/** Both sides with each ciphertext replaced by SEALED, or RESEALED on the after side where it changed. */
export function maskSealedPair(pair: { readonly before?: JsonObject; readonly after?: JsonObject }): { before?: JsonObject; after?: JsonObject } {
  const changes = sealedKeyChanges(pair.before, pair.after);
  const mask = (obj: JsonObject, side: 'before' | 'after'): JsonObject => {
    const spec = obj.spec;
    if (!isPlainObject(spec) || !isPlainObject(spec.encryptedData)) return obj;
    const encryptedData = Object.fromEntries(Object.keys(spec.encryptedData).map((k) => [k, side === 'after' && changes[k] === 're-sealed' ? RESEALED : SEALED]));
    return { ...obj, spec: { ...spec, encryptedData } };
  };
  return {
    ...(pair.before && { before: mask(pair.before, 'before') }),
    ...(pair.after && { after: mask(pair.after, 'after') }),
  };
}

/** Where a kind's per-key values live, for views that name a key's field. A table: a new kind is a row. */
export const KEYED_VALUE_FIELDS: readonly { readonly kind: string; readonly path: readonly string[] }[] = [
  { kind: 'Secret', path: ['data'] },
  { kind: 'SealedSecret', path: ['spec', 'encryptedData'] },
];

export function keyedValuePath(kind: string): readonly string[] {
  return KEYED_VALUE_FIELDS.find((f) => f.kind === kind)?.path ?? ['data'];
}
