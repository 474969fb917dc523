/**
 * Reading the plan's objects for the finding rules: each Change's before and after sides parsed
 * from their YAML once (only for the changes a rule asks about), and small readers that return
 * undefined instead of throwing on a field that is absent or of another type (core/model/fields.ts,
 * with an empty string read as absent and lists of objects).
 */
import { parse } from 'yaml';
import { at, int, list, strings } from '../../model/fields.js';
import { isPlainObject } from '../json.js';
import type { ResourceKey } from '../../model/resource.js';
import type { Action, Change } from '../types.js';

export { at, int, strings };

export type Obj = Record<string, unknown>;

/** A string field; an empty one reads as absent (a name, a tag, a type the author left blank). */
export function str(obj: unknown, ...path: readonly string[]): string | undefined {
  const v = at(obj, ...path);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The objects of a list field (entries of another type left out). */
export function objects(obj: unknown, ...path: readonly string[]): Obj[] {
  return list(obj, ...path).filter(isPlainObject);
}

/** An int-or-string field (maxSurge, maxUnavailable, minAvailable): 25% or 1, as written. */
export function intOrPercent(obj: unknown, ...path: readonly string[]): number | string | undefined {
  const v = at(obj, ...path);
  return typeof v === 'number' || (typeof v === 'string' && v !== '') ? v : undefined;
}

/** One change as the rules read it: its key, action and changed paths, and its sides parsed on first use. */
export interface PlannedObject {
  readonly key: ResourceKey;
  readonly action: Action;
  readonly change: Change;
  /** The live object (normalized; Secret values masked); undefined when it does not exist yet. */
  readonly before: Obj | undefined;
  /** The object after apply; undefined for a delete or an error without a prediction. */
  readonly after: Obj | undefined;
}

export function plannedObject(change: Change): PlannedObject {
  let before: Obj | undefined | null = null;
  let after: Obj | undefined | null = null;
  const sides = (): void => {
    before = parseSide(change.before);
    // A change without changed paths has the same YAML on both sides: parse it once.
    after = change.after === change.before ? before : parseSide(change.after);
  };
  return {
    key: change.key,
    action: change.action,
    change,
    get before() {
      if (before === null) sides();
      return before ?? undefined;
    },
    get after() {
      if (after === null) sides();
      return after ?? undefined;
    },
  };
}

function parseSide(yaml: string | undefined): Obj | undefined {
  if (yaml === undefined) return undefined;
  try {
    const doc: unknown = parse(yaml);
    return isPlainObject(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** Groups whose kinds every reader knows: their objects are named without the group ("Deployment shop/web"). */
const PLAIN_GROUPS = new Set(['', 'apps', 'batch', 'policy', 'autoscaling', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'apiextensions.k8s.io', 'storage.k8s.io']);

/** "Deployment shop/web", "ClusterRole admin", "Widget.example.com shop/w1": how a finding names an object. */
export function label(key: ResourceKey): string {
  const kind = PLAIN_GROUPS.has(key.group) ? key.kind : `${key.kind}.${key.group}`;
  return key.namespace ? `${kind} ${key.namespace}/${key.name}` : `${kind} ${key.name}`;
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** "a, b and 3 more" */
export function listed(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
