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
  if (!isSecret(obj)) return obj;
  const copy = structuredClone(obj) as Record<string, unknown>;
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    if (isPlainObject(values)) copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
  }
  const meta = copy.metadata;
  if (isPlainObject(meta) && isPlainObject(meta.annotations) && 'kubectl.kubernetes.io/last-applied-configuration' in meta.annotations) {
    meta.annotations = { ...meta.annotations, 'kubectl.kubernetes.io/last-applied-configuration': MASK };
  }
  return copy as T;
}
