/** Small helpers over plain JSON values (what the API server returns and YAML parses to). */
import { isPlainObject } from '../model/desired.js';

export { isPlainObject };

export type JsonObject = Record<string, unknown>;

/** A step into a JSON value: an object key or an array index. */
export type PathSegment = string | number;

/** Structural equality of JSON values; object key order does not matter, list order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The child of a map or list, undefined when the step does not exist. */
export function childOf(parent: unknown, segment: PathSegment): unknown {
  if (typeof segment === 'number') return Array.isArray(parent) ? parent[segment] : undefined;
  return isPlainObject(parent) && Object.hasOwn(parent, segment) ? parent[segment] : undefined;
}

/**
 * Removes the value at `path` (in place) and then every map or list that the removal left
 * empty on the way up, so ignoring the only annotation leaves no `annotations: {}` behind.
 * Returns false when the path does not exist.
 */
export function removePath(root: JsonObject, path: readonly PathSegment[]): boolean {
  if (path.length === 0) return false;
  const parents: unknown[] = [root];
  for (const segment of path.slice(0, -1)) {
    const next = childOf(parents[parents.length - 1], segment);
    if (next === undefined) return false;
    parents.push(next);
  }
  if (!removeChild(parents[parents.length - 1], path[path.length - 1]!)) return false;
  for (let i = parents.length - 1; i > 0; i--) {
    if (!isEmptyContainer(parents[i])) break;
    removeChild(parents[i - 1], path[i - 1]!);
  }
  return true;
}

function removeChild(parent: unknown, segment: PathSegment): boolean {
  if (typeof segment === 'number') {
    if (!Array.isArray(parent) || segment < 0 || segment >= parent.length) return false;
    parent.splice(segment, 1);
    return true;
  }
  if (!isPlainObject(parent) || !Object.hasOwn(parent, segment)) return false;
  delete parent[segment];
  return true;
}

function isEmptyContainer(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
}
