/**
 * Secrets in plans (DESIGN.md rule 7): a Change for a Secret names its keys and says whether each
 * was added, removed, changed or unchanged — never a value, in plain text or base64.
 *
 * `data` holds base64, `stringData` plain text; the API server folds stringData into data
 * (stringData wins), so `stringData: {k: v}` equals `data: {k: base64(v)}`. Live Secrets only
 * have data; a predicted Secret has stringData only when it could not be dry-run (approximate).
 */
import { Buffer } from 'node:buffer';
import type { SecretKeyChange } from './types.js';
import { MASK, isSecret, maskSecretValues } from '../model/secrets.js';
import { isPlainObject, type JsonObject } from './json.js';

export { isSecret, MASK };

/** Shown in the after side for a key whose value changed, so a side-by-side diff marks the line. */
export const MASK_CHANGED = '(hidden, changed)';

/** Values shorter than this are not scrubbed from messages (they would mangle ordinary words). */
const MIN_SCRUB_LENGTH = 4;

/** The Secret's values as bytes, by key: data decoded from base64, overlaid by stringData. */
export function secretValues(secret: unknown): Map<string, Buffer> {
  const values = new Map<string, Buffer>();
  if (!isPlainObject(secret)) return values;
  const { data, stringData } = secret;
  if (isPlainObject(data)) for (const [k, v] of Object.entries(data)) values.set(k, Buffer.from(typeof v === 'string' ? v : '', 'base64'));
  if (isPlainObject(stringData)) for (const [k, v] of Object.entries(stringData)) values.set(k, Buffer.from(typeof v === 'string' ? v : '', 'utf8'));
  return values;
}

/** Per key, sorted by key: added / removed / changed / unchanged. Either side may be absent (create, delete). */
export function secretKeyChanges(before: unknown, after: unknown): Record<string, SecretKeyChange> {
  const a = secretValues(before);
  const b = secretValues(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return Object.fromEntries(keys.map((k) => [k, keyChange(a.get(k), b.get(k))]));
}

function keyChange(a: Buffer | undefined, b: Buffer | undefined): SecretKeyChange {
  if (!a) return 'added';
  if (!b) return 'removed';
  return a.equals(b) ? 'unchanged' : 'changed';
}

/** A copy with stringData folded into data (as base64), the way the API server stores it. */
export function foldStringData(secret: JsonObject): JsonObject {
  if (!isPlainObject(secret.stringData)) return secret;
  const { stringData, ...rest } = secret;
  const data: JsonObject = isPlainObject(rest.data) ? { ...rest.data } : {};
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(typeof v === 'string' ? v : '', 'utf8').toString('base64');
  return { ...rest, data };
}

/**
 * The two sides of a Secret change as they may leave the engine: stringData folded into data,
 * every value replaced by MASK, and on the after side MASK_CHANGED for keys whose value changed.
 */
export function maskSecretPair(pair: { readonly before?: JsonObject; readonly after?: JsonObject }): { before?: JsonObject; after?: JsonObject } {
  const changes = secretKeyChanges(pair.before, pair.after);
  const mask = (secret: JsonObject, side: 'before' | 'after'): JsonObject => {
    // maskSecretValues also hides the last-applied annotation, which embeds every value.
    const folded = maskSecretValues(foldStringData(secret));
    if (!isPlainObject(folded.data)) return folded;
    const data = Object.fromEntries(Object.keys(folded.data).map((k) => [k, side === 'after' && changes[k] === 'changed' ? MASK_CHANGED : MASK]));
    return { ...folded, data };
  };
  return {
    ...(pair.before && { before: mask(pair.before, 'before') }),
    ...(pair.after && { after: mask(pair.after, 'after') }),
  };
}

/**
 * Replaces every value of the given Secrets (plain text and base64) found in `text` by MASK:
 * for messages that come from elsewhere (the API server's answer to a dry-run).
 */
export function scrubSecretValues(text: string, secrets: readonly unknown[]): string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    // Every value written, also a data value that stringData overrides under the same key: the manifest (and so a message quoting it) still holds it.
    const written = isPlainObject(secret) ? [...secretValues({ data: secret.data }).values(), ...secretValues({ stringData: secret.stringData }).values()] : [];
    for (const value of written) {
      const plain = value.toString('utf8');
      needles.add(plain);
      needles.add(value.toString('base64'));
      // As it appears inside JSON an error message quotes ("a\"b", "line\nbreak").
      needles.add(JSON.stringify(plain).slice(1, -1));
    }
  }
  let out = text;
  for (const needle of [...needles].filter((n) => n.length >= MIN_SCRUB_LENGTH).sort((x, y) => y.length - x.length)) out = out.split(needle).join(MASK);
  return out;
}
