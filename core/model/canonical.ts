/** Canonical JSON and content hashes: equal values hash equally whatever their key order. */
import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const MAX_ARRAY_INDEX = 4294967294;

/** Keys JavaScript objects order first, by number: canonical array indices ("0", "7", "10", not "07"). */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

/**
 * The key order canonical JSON has always had (it was JSON.stringify of objects rebuilt with
 * sorted keys, and an object lists array-index keys first, by number): indices by number, then
 * every other key by UTF-16 code units.
 */
function compareKeys(a: string, b: string): number {
  const ai = isArrayIndex(a);
  const bi = isArrayIndex(b);
  if (ai && bi) return Number(a) - Number(b);
  if (ai !== bi) return ai ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * safe-stable-stringify writes the same bytes several times faster than JSON.stringify with a
 * sorting replacer; plans, history and the re-plan fast path store these hashes, so
 * canonical.test.ts holds it to the replacer's output byte for byte.
 */
const stringify = configure({ deterministic: compareKeys, circularValue: TypeError });

/** JSON with object keys sorted (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return stringify(value) as string;
}

/** "sha256:<hex>" of a text (for canonical JSON already made). */
export function textHash(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** "sha256:<hex>" of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return textHash(canonicalJson(value));
}
