/**
 * Reading an object as the API server returns it (plain JSON: any field may be absent or of the
 * wrong type) without `any`: each reader returns undefined (or an empty list, false) rather than
 * throwing. One definition for every floor above: the health rules (core/apply/health/fields.ts
 * adds conditions and wording to these) and the live tree and its Events (core/watch).
 */
import { isPlainObject } from './desired.js';

/** The value at a path of object keys, or undefined. */
export function at(obj: unknown, ...path: readonly string[]): unknown {
  let cur = obj;
  for (const seg of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

export function str(obj: unknown, ...path: readonly string[]): string | undefined {
  const v = at(obj, ...path);
  return typeof v === 'string' ? v : undefined;
}

export function int(obj: unknown, ...path: readonly string[]): number | undefined {
  const v = at(obj, ...path);
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function bool(obj: unknown, ...path: readonly string[]): boolean {
  return at(obj, ...path) === true;
}

export function list(obj: unknown, ...path: readonly string[]): readonly unknown[] {
  const v = at(obj, ...path);
  return Array.isArray(v) ? v : [];
}

export function strings(obj: unknown, ...path: readonly string[]): string[] {
  return list(obj, ...path).filter((v): v is string => typeof v === 'string');
}

/** A string map (labels, annotations); entries that are not strings are left out. */
export function stringMap(obj: unknown, ...path: readonly string[]): Readonly<Record<string, string>> {
  const v = at(obj, ...path);
  if (!isPlainObject(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
