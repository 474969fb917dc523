/**
 * Secrets never leave the engine in clear text (DESIGN.md rule 7). Every view of an object
 * (render output, plans, logs, history) goes through maskSecretValues first.
 */
import { isPlainObject } from './desired.js';

export const MASK = '(hidden)';

/**
 * A Secret of the core group, at any version: also one whose apiVersion is mistyped (`V1`, `v2`,
 * missing), which the cluster refuses but which still holds the values someone wrote. A `Secret`
 * kind of a named group (a custom resource) is not one.
 */
export function isSecret(obj: unknown): boolean {
  return isPlainObject(obj) && obj.kind === 'Secret' && (typeof obj.apiVersion !== 'string' || !obj.apiVersion.includes('/'));
}

/**
 * Returns a copy of a Secret with every value of `data` and `stringData` replaced by MASK (keys
 * stay visible), and the last-applied-configuration annotation (which embeds the values) masked.
 * Other objects are returned as they are.
 */
export function maskSecretValues<T>(obj: T): T {
  return replaceSecretValues(obj, () => MASK);
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Returns a copy of a Secret with every value of `data` and `stringData` (and the last-applied
 * annotation, which embeds them) replaced by `replace(value)`; other objects as they are. With a
 * keyed digest as `replace`, two Secrets hash alike exactly when their values are alike, and the
 * hash tells nothing about the values to whoever lacks the key.
 */
export function replaceSecretValues<T>(obj: T, replace: (value: string) => string): T {
  if (!isSecret(obj)) return obj;
  const copy = structuredClone(obj) as Record<string, unknown>;
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    if (isPlainObject(values)) copy[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, replace(typeof v === 'string' ? v : JSON.stringify(v) ?? '')]));
  }
  const meta = copy.metadata;
  if (isPlainObject(meta) && isPlainObject(meta.annotations) && LAST_APPLIED in meta.annotations) {
    const text = meta.annotations[LAST_APPLIED];
    meta.annotations = { ...meta.annotations, [LAST_APPLIED]: replace(typeof text === 'string' ? text : JSON.stringify(text) ?? '') };
  }
  return copy as T;
}
