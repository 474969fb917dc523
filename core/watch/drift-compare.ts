/**
 * Drift of one object (DESIGN.md "Drift"): the fields Slipway set when it last applied the object
 * that no longer hold the value it set. Pure: plain JSON in, field paths out, no I/O.
 *
 * What counts is exactly what Slipway's field manager owned in the applied object (its
 * managedFields entries, FieldsV1, core/plan/managed-fields.ts): fields other managers own (an
 * HPA's replicas when the manifest leaves them out, a controller's annotations), status and what
 * the server sets (resourceVersion, generation, timestamps, managedFields) are never drift. A field
 * Slipway owned that someone changed with kubectl (scale, patch, edit) is drift even though the
 * change moved its ownership to them: that move is how the API server records the change.
 *
 * Secret values: the applied object comes from the history, where every Secret value is masked
 * (core/model/secrets.ts). A value is compared when both sides carry comparable stand-ins (the
 * keyed digests core/watch/drift.ts takes of the live Secret as applied); against a masked value,
 * the key has drifted when Slipway no longer owns it on the live object or another manager owns it
 * that did not when it was applied (an update by anyone else takes ownership of what it changes;
 * a value Slipway set through stringData stays "Slipway's" but gains the other manager). Either
 * way only the path (`data.password`) comes out, never a value.
 *
 * Paths read like the plan's (core/plan/diff.ts): `spec.replicas`, `metadata.labels.app`,
 * `spec.template.spec.containers[name=web].image`; a list element keyed by other fields reads
 * `spec.ports[port=80,protocol=TCP].targetPort`, a set element (finalizers) names the list.
 */
import { MASK, isSecret } from '../model/secrets.js';
import { FIELD_MANAGER } from '../plan/prepare.js';
import { deepEqual, isPlainObject, type JsonObject, type PathSegment } from '../plan/json.js';
import { ownedPaths } from '../plan/managed-fields.js';
import { resolvePointer, ruleMatches } from '../plan/normalize.js';
import type { IgnoreDifferencesRule } from '../source/apps.js';

/**
 * - in-sync: every field Slipway owned still has the value it applied;
 * - drifted: `paths` no longer do (changed, or removed);
 * - deleted: the object is gone (or being deleted);
 * - unknown: the applied object records no field of Slipway's (`reason` says why), so nothing can be compared.
 */
export type DriftStatus = 'in-sync' | 'drifted' | 'deleted' | 'unknown';

export interface DriftComparison {
  readonly status: DriftStatus;
  /** The drifted field paths (drifted only), sorted. */
  readonly paths: readonly string[];
  readonly reason?: string;
}

export interface DriftInput {
  /** The object as Slipway's last apply left it (the history's after snapshot, or a stand-in with the same fields). */
  readonly applied: unknown;
  /** The object as the API server has it now; undefined when it does not exist. */
  readonly live: unknown;
  /** Whose fields count. Default: Slipway's field manager ("slipway"). */
  readonly fieldManager?: string;
  /** The app's ignoreDifferences: fields they name are not drift (jsonPointers and managedFieldsManagers; jq expressions are not evaluated). */
  readonly ignore?: readonly IgnoreDifferencesRule[];
}

const IN_SYNC: DriftComparison = Object.freeze({ status: 'in-sync', paths: Object.freeze([]) as readonly string[] });

export function compareDrift(input: DriftInput): DriftComparison {
  const { applied, live } = input;
  if (!isPlainObject(live)) return { status: 'deleted', paths: [] };
  if (!isPlainObject(applied)) return { status: 'unknown', paths: [], reason: 'no applied state was recorded' };
  const liveMeta = isPlainObject(live.metadata) ? live.metadata : {};
  if (liveMeta.deletionTimestamp !== undefined && liveMeta.deletionTimestamp !== null) return { status: 'deleted', paths: [], reason: 'being deleted' };
  const appliedMeta = isPlainObject(applied.metadata) ? applied.metadata : {};
  // The object has not been written since the apply: nothing can differ.
  if (typeof liveMeta.resourceVersion === 'string' && liveMeta.resourceVersion === appliedMeta.resourceVersion) return IN_SYNC;

  const manager = input.fieldManager ?? FIELD_MANAGER;
  const secret = isSecret(applied);
  const fields = fieldsOf(applied, manager, secret);
  if (!fields) return { status: 'unknown', paths: [], reason: `the applied object records no field owned by the field manager "${manager}"` };

  const found: Found[] = [];
  walk(fields, applied, live, { manager, applied, live, secret, liveFields: fieldsOf(live, manager, secret) ?? {} }, [], [], found);
  const skip = ignoredPaths(live, input.ignore ?? []);
  const paths = [...new Set(found.filter((f) => !skip.some((prefix) => startsWith(f.raw, prefix))).map((f) => formatSteps(f.steps)))].sort();
  return paths.length === 0 ? IN_SYNC : { status: 'drifted', paths };
}

// ── FieldsV1 of one manager ─────────────────────────────────────────────────────────────────

/** The union of the manager's FieldsV1 on the object's main resource (not its status subresource); undefined when it owns nothing. */
function fieldsOf(obj: JsonObject, manager: string, secret: boolean): JsonObject | undefined {
  const meta = obj.metadata;
  const entries = isPlainObject(meta) && Array.isArray(meta.managedFields) ? meta.managedFields : [];
  let merged: JsonObject | undefined;
  for (const e of entries) {
    if (!isPlainObject(e) || e.manager !== manager || !isPlainObject(e.fieldsV1)) continue;
    if (typeof e.subresource === 'string' && e.subresource !== '') continue;
    merged = mergeFields(merged ?? {}, e.fieldsV1);
  }
  // The API server stores a Secret's stringData as data: owning stringData.k means having set data.k.
  if (merged && secret && isPlainObject(merged['f:stringData'])) merged = mergeFields(merged, { 'f:data': merged['f:stringData'] });
  return merged;
}

function mergeFields(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeFields(out[k], v) : isPlainObject(v) ? { ...v } : v;
  return out;
}

// ── the walk ────────────────────────────────────────────────────────────────────────────────

type Step = { readonly key: string } | { readonly index: number } | { readonly match: JsonObject };

interface Found {
  readonly steps: readonly Step[];
  /** The path as keys and list indexes in the live object (in the applied one where live has no such element). */
  readonly raw: readonly PathSegment[];
}

interface WalkContext {
  readonly manager: string;
  readonly applied: JsonObject;
  readonly live: JsonObject;
  readonly secret: boolean;
  /** Slipway's fields on the live object: whether it still owns a Secret value. */
  readonly liveFields: JsonObject;
}

function walk(fields: JsonObject, applied: unknown, live: unknown, ctx: WalkContext, steps: readonly Step[], raw: readonly PathSegment[], out: Found[]): void {
  for (const [name, sub] of Object.entries(fields)) {
    if (name === '.') continue;
    const tag = name.slice(0, 2);
    const rest = name.slice(2);
    if (tag === 'v:') {
      // A set element (finalizers, a list of strings): gone from the live list → the list drifted.
      const value = parseJson(rest);
      if (Array.isArray(applied) && applied.some((v) => deepEqual(v, value)) && !(Array.isArray(live) && live.some((v) => deepEqual(v, value)))) out.push({ steps, raw });
      continue;
    }
    const a = resolve(applied, tag, rest);
    if (!a) continue; // named by the fields but not in the applied object: nothing to compare with
    const l = resolve(live, tag, rest);
    const nextSteps = [...steps, a.step];
    const nextRaw = [...raw, l ? l.segment : a.segment];
    if (!l) {
      out.push({ steps: nextSteps, raw: nextRaw });
      continue;
    }
    const children = isPlainObject(sub) ? Object.keys(sub).filter((k) => k !== '.') : [];
    if (children.length > 0) {
      walk(sub as JsonObject, a.value, l.value, ctx, nextSteps, nextRaw, out);
    } else if (ctx.secret && raw.length === 1 && raw[0] === 'data' && a.value === MASK) {
      // A masked Secret value: drifted when Slipway no longer owns it on the live object, or another
      // manager has taken it since (Slipway still "owns" a value it set through stringData).
      const path = ['f:data', name];
      const before = managersOwning(ctx.applied, path);
      const taken = [...managersOwning(ctx.live, path)].some((m) => m !== ctx.manager && !before.has(m));
      if (taken || !ownsField(ctx.liveFields, path)) out.push({ steps: nextSteps, raw: nextRaw });
    } else if (!deepEqual(a.value, l.value)) {
      out.push({ steps: nextSteps, raw: nextRaw });
    }
  }
}

interface Resolved {
  readonly step: Step;
  readonly segment: PathSegment;
  readonly value: unknown;
}

/** One FieldsV1 key (`f:`, `k:`, `i:`) resolved in a value; undefined when the value has no such field or element. */
function resolve(node: unknown, tag: string, rest: string): Resolved | undefined {
  if (tag === 'f:') return isPlainObject(node) && Object.hasOwn(node, rest) ? { step: { key: rest }, segment: rest, value: node[rest] } : undefined;
  if (!Array.isArray(node)) return undefined;
  if (tag === 'i:') {
    const i = Number(rest);
    return Number.isInteger(i) && i >= 0 && i < node.length ? { step: { index: i }, segment: i, value: node[i] } : undefined;
  }
  if (tag === 'k:') {
    const key = parseJson(rest);
    if (!isPlainObject(key)) return undefined;
    const i = node.findIndex((v) => isPlainObject(v) && Object.entries(key).every(([field, want]) => deepEqual(v[field], want)));
    return i < 0 ? undefined : { step: { match: key }, segment: i, value: node[i] };
  }
  return undefined;
}

function ownsField(fields: JsonObject, path: readonly string[]): boolean {
  let node: unknown = fields;
  for (const name of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, name)) return false;
    node = node[name];
  }
  return true;
}

/** The managers whose fields (main resource) name the path. */
function managersOwning(obj: JsonObject, path: readonly string[]): Set<string> {
  const meta = obj.metadata;
  const out = new Set<string>();
  for (const e of isPlainObject(meta) && Array.isArray(meta.managedFields) ? meta.managedFields : []) {
    if (!isPlainObject(e) || typeof e.manager !== 'string' || !isPlainObject(e.fieldsV1)) continue;
    if (typeof e.subresource === 'string' && e.subresource !== '') continue;
    if (ownsField(e.fieldsV1, path)) out.add(e.manager);
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ── ignoreDifferences ───────────────────────────────────────────────────────────────────────

/** Raw paths (in the live object) that the app's ignoreDifferences rules leave out. */
function ignoredPaths(live: JsonObject, rules: readonly IgnoreDifferencesRule[]): PathSegment[][] {
  const out: PathSegment[][] = [];
  for (const rule of rules) {
    if (!ruleMatches(rule, live)) continue;
    for (const pointer of rule.jsonPointers ?? []) {
      const path = resolvePointer(live, pointer) ?? pointerSegments(pointer);
      if (path) out.push(path);
    }
    const managers = new Set(rule.managedFieldsManagers ?? []);
    if (managers.size === 0) continue;
    const meta = live.metadata;
    for (const e of isPlainObject(meta) && Array.isArray(meta.managedFields) ? meta.managedFields : []) {
      if (isPlainObject(e) && typeof e.manager === 'string' && managers.has(e.manager) && isPlainObject(e.fieldsV1)) out.push(...ownedPaths(live, e.fieldsV1));
    }
  }
  return out;
}

/** A pointer to a field the live object no longer has (a removed field is drift only if not ignored). */
function pointerSegments(pointer: string): PathSegment[] | undefined {
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

// ── paths as text ───────────────────────────────────────────────────────────────────────────

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PLAIN_VALUE = /^[^\]"=,\s]+$/;

function formatSteps(steps: readonly Step[]): string {
  return steps
    .map((step, i) => {
      if ('index' in step) return `[${step.index}]`;
      if ('match' in step) return `[${Object.entries(step.match).map(([k, v]) => `${k}=${typeof v === 'string' && PLAIN_VALUE.test(v) ? v : JSON.stringify(v)}`).join(',')}]`;
      if (!IDENTIFIER.test(step.key)) return `[${JSON.stringify(step.key)}]`;
      return i === 0 ? step.key : `.${step.key}`;
    })
    .join('');
}
