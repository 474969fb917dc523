/**
 * Server-side apply field ownership (managedFields, format FieldsV1) resolved to concrete paths
 * in an object. FieldsV1 is a tree whose keys are:
 *   f:<name>    a field of a map                  (f:replicas)
 *   k:<json>    a list element by its key fields  (k:{"name":"web"})
 *   v:<json>    a set element by its value        (v:"finalizer.example.com")
 *   i:<n>       a list element by index
 *   .           the node itself: the manager owns it as a whole
 * A leaf ({}) or a node with "." names a field the manager owns entirely; otherwise only the
 * listed children are owned (structured-merge-diff semantics).
 */
import { deepEqual, isPlainObject, type JsonObject, type PathSegment } from './json.js';

/** The paths in `obj` that a FieldsV1 set names; parts of the set that do not exist in `obj` are skipped. */
export function ownedPaths(obj: JsonObject, fieldsV1: JsonObject): PathSegment[][] {
  const out: PathSegment[][] = [];
  walk(obj, fieldsV1, [], out);
  return out;
}

function walk(node: unknown, fields: JsonObject, prefix: readonly PathSegment[], out: PathSegment[][]): void {
  for (const [key, sub] of Object.entries(fields)) {
    if (key === '.') continue;
    for (const [segment, child] of resolve(node, key)) {
      const path = [...prefix, segment];
      if (!isPlainObject(sub) || Object.keys(sub).length === 0 || Object.hasOwn(sub, '.')) out.push(path);
      else walk(child, sub, path, out);
    }
  }
}

function resolve(node: unknown, key: string): Array<[PathSegment, unknown]> {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  if (kind === 'f:') return isPlainObject(node) && Object.hasOwn(node, rest) ? [[rest, node[rest]]] : [];
  if (!Array.isArray(node)) return [];
  const items = node.map((v: unknown, i): [PathSegment, unknown] => [i, v]);
  if (kind === 'i:') return items.filter(([i]) => String(i) === rest);
  const value = parseJson(rest);
  if (value === undefined) return [];
  if (kind === 'v:') return items.filter(([, v]) => deepEqual(v, value));
  if (kind === 'k:' && isPlainObject(value)) {
    return items.filter(([, v]) => isPlainObject(v) && Object.entries(value).every(([field, want]) => deepEqual(v[field], want)));
  }
  return [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
