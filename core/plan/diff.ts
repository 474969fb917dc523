/**
 * Structural diff of two normalized objects: which field paths differ.
 *
 * Paths read like the fields they name: `spec.replicas`, `metadata.labels["app.kubernetes.io/name"]`
 * (keys that are not plain identifiers are quoted), lists of objects that all carry a unique
 * `name` (containers, env, ports, volumes…) by name: `spec.template.spec.containers[name=web].image`,
 * other lists by index: `spec.args[2]`. A path stops at the top-most difference: a new container
 * is `…containers[name=sidecar]`, not each of its fields. Reordering a named list (order matters
 * for initContainers and env) reports the list itself.
 *
 * Hand-written rather than a JSON diff library: the by-name matching, the reorder rule and the
 * path syntax are the whole job, and a library (microdiff, jsondiffpatch) would need a pass
 * before it (lists to keyed maps) and one after it (its paths to ours) that are the same walk.
 */
import { deepEqual, isPlainObject } from './json.js';

type Step = { readonly key: string } | { readonly index: number } | { readonly name: string };

export function changedPaths(before: unknown, after: unknown): string[] {
  const found: Step[][] = [];
  walk(before, after, [], found);
  const paths = found.sort(comparePaths).map(formatPath);
  return paths.filter((p, i) => p !== paths[i - 1]);
}

function walk(a: unknown, b: unknown, path: readonly Step[], out: Step[][]): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const step = { key };
      if (Object.hasOwn(a, key) && Object.hasOwn(b, key)) walk(a[key], b[key], [...path, step], out);
      else out.push([...path, step]);
    }
  } else if (Array.isArray(a) && Array.isArray(b)) {
    const aNames = namesOf(a);
    const bNames = namesOf(b);
    if (aNames && bNames) walkNamed(a, b, { aNames, bNames }, path, out);
    else walkIndexed(a, b, path, out);
  } else {
    out.push([...path]);
  }
}

function walkNamed(a: unknown[], b: unknown[], names: { aNames: string[]; bNames: string[] }, path: readonly Step[], out: Step[][]): void {
  const { aNames, bNames } = names;
  for (const name of new Set([...aNames, ...bNames])) {
    const i = aNames.indexOf(name);
    const j = bNames.indexOf(name);
    if (i >= 0 && j >= 0) walk(a[i], b[j], [...path, { name }], out);
    else out.push([...path, { name }]);
  }
  const common = (list: string[], other: string[]) => list.filter((n) => other.includes(n));
  if (common(aNames, bNames).join('\u0000') !== common(bNames, aNames).join('\u0000')) out.push([...path]);
}

function walkIndexed(a: unknown[], b: unknown[], path: readonly Step[], out: Step[][]): void {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    if (index < a.length && index < b.length) walk(a[index], b[index], [...path, { index }], out);
    else out.push([...path, { index }]);
  }
}

/** The names of a list whose elements are all objects with a unique string `name`; undefined otherwise. */
function namesOf(list: unknown[]): string[] | undefined {
  const names = list.map((item) => (isPlainObject(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((n) => n === undefined)) return undefined;
  const defined = names as string[];
  return new Set(defined).size === defined.length ? defined : undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PLAIN_NAME = /^[^\]"=\s]+$/;

/** A path of plain keys and list indexes in the same syntax: ["data", "tls.crt"] → `data["tls.crt"]`. */
export function formatFieldPath(segments: readonly (string | number)[]): string {
  return formatPath(segments.map((s) => (typeof s === 'number' ? { index: s } : { key: s })));
}

function formatPath(path: readonly Step[]): string {
  return path
    .map((step, i) => {
      if ('index' in step) return `[${step.index}]`;
      if ('name' in step) return `[name=${PLAIN_NAME.test(step.name) ? step.name : JSON.stringify(step.name)}]`;
      if (!IDENTIFIER.test(step.key)) return `[${JSON.stringify(step.key)}]`;
      return i === 0 ? step.key : `.${step.key}`;
    })
    .join('');
}

function comparePaths(a: readonly Step[], b: readonly Step[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareSteps(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareSteps(a: Step, b: Step): number {
  if ('index' in a && 'index' in b) return a.index - b.index;
  const text = (s: Step) => ('index' in s ? `1${s.index}` : 'name' in s ? `2${s.name}` : `0${s.key}`);
  const x = text(a);
  const y = text(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
