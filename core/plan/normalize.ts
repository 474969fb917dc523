/**
 * Normalization (DESIGN.md rule 6): both sides of a comparison — the live object and the object
 * the server predicts after apply — lose what the server writes by itself (managedFields,
 * resourceVersion, uid, generation, timestamps, status, the last-applied annotation), so a
 * freshly applied app always re-plans to zero changes. Then the app's ignoreDifferences rules
 * (Argo CD syntax and matching) remove the fields the user asked to leave out.
 *
 * Pure: never mutates its input, no I/O.
 */
import type { Diagnostic } from '../model/diagnostics.js';
import { parseApiVersion } from '../model/resource.js';
import type { IgnoreDifferencesRule } from '../source/apps.js';
import { isPlainObject, removePath, type JsonObject, type PathSegment } from './json.js';
import { ownedPaths } from './managed-fields.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** metadata fields the API server sets on its own; never part of what a manifest asks for. */
const SERVER_METADATA_FIELDS = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  // Only present while an object is being deleted; the orchestrator flags that case, the diff does not.
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

export interface NormalizeOptions {
  readonly ignore?: readonly IgnoreDifferencesRule[];
  /**
   * Whose managedFields decide what `managedFieldsManagers` rules remove. Default: the object's
   * own. Pass the live object when normalizing the predicted one, so both sides lose the same
   * fields (a dry-run apply may already have moved ownership to Slipway).
   */
  readonly managedFieldsFrom?: unknown;
}

export function normalize(obj: JsonObject, opts: NormalizeOptions = {}): JsonObject {
  const copy = structuredClone(obj);
  const managedFields = managedFieldsOf(opts.managedFieldsFrom ?? obj);
  dropServerFields(copy);
  for (const rule of (opts.ignore ?? []).filter((r) => ruleMatches(r, obj))) applyRule(copy, rule, managedFields);
  return copy;
}

/** Normalizes a live object and its predicted twin with the same rules (managedFields from live). */
export function normalizePair(
  pair: { readonly live?: JsonObject; readonly predicted?: JsonObject },
  opts: { readonly ignore?: readonly IgnoreDifferencesRule[] } = {},
): { before?: JsonObject; after?: JsonObject } {
  const from = pair.live ?? pair.predicted;
  const before = pair.live && normalize(pair.live, { ...opts, managedFieldsFrom: from });
  // The re-plan fast path predicts the live object itself: normalize it once (results are never mutated).
  const after = pair.predicted && (pair.predicted === pair.live ? before : normalize(pair.predicted, { ...opts, managedFieldsFrom: from }));
  return { ...(before && { before }), ...(after && { after }) };
}

function dropServerFields(obj: JsonObject): void {
  delete obj.status;
  const meta = obj.metadata;
  if (!isPlainObject(meta)) return;
  for (const field of SERVER_METADATA_FIELDS) delete meta[field];
  if (isPlainObject(meta.annotations)) delete meta.annotations[LAST_APPLIED_ANNOTATION];
  for (const field of ['annotations', 'labels']) {
    const map = meta[field];
    if (map === null || (isPlainObject(map) && Object.keys(map).length === 0)) delete meta[field];
  }
}

// ---- ignoreDifferences ---------------------------------------------------------------------

/** Argo CD matching: group and kind are globs ("" is the core group), name and namespace exact when set. */
export function ruleMatches(rule: IgnoreDifferencesRule, obj: JsonObject): boolean {
  const { group } = parseApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  return (
    globMatch(rule.group ?? '', group) &&
    globMatch(rule.kind, typeof obj.kind === 'string' ? obj.kind : '') &&
    (!rule.name || rule.name === meta.name) &&
    (!rule.namespace || rule.namespace === meta.namespace)
  );
}

/** `*` any run of characters, `?` one character; everything else literal. */
export function globMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

function applyRule(obj: JsonObject, rule: IgnoreDifferencesRule, managedFields: readonly ManagedFieldsEntry[]): void {
  const managers = new Set(rule.managedFieldsManagers ?? []);
  const owned = managedFields.filter((m) => managers.has(m.manager)).flatMap((m) => ownedPaths(obj, m.fieldsV1));
  // Highest list indexes first, so removing one element never shifts a path still to be removed.
  for (const path of owned.sort(comparePathsDescending)) removePath(obj, path);
  // Like a JSON patch "remove": each pointer on the document as it is now; a missing path is skipped.
  for (const pointer of rule.jsonPointers ?? []) {
    const path = resolvePointer(obj, pointer);
    if (path) removePath(obj, path);
  }
  // jqPathExpressions are not evaluated: checkIgnoreRules reports them (see its comment).
}

interface ManagedFieldsEntry {
  readonly manager: string;
  readonly fieldsV1: JsonObject;
}

function managedFieldsOf(obj: unknown): ManagedFieldsEntry[] {
  const meta = isPlainObject(obj) ? obj.metadata : undefined;
  const entries = isPlainObject(meta) && Array.isArray(meta.managedFields) ? meta.managedFields : [];
  return entries.flatMap((e: unknown) =>
    isPlainObject(e) && typeof e.manager === 'string' && isPlainObject(e.fieldsV1) ? [{ manager: e.manager, fieldsV1: e.fieldsV1 }] : [],
  );
}

function comparePathsDescending(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y) < String(x) ? -1 : 1;
  }
  return b.length - a.length;
}

/**
 * RFC 6901 pointer to path segments, resolved against `obj` (a segment is a list index only
 * where the value is a list). Undefined when the pointer is malformed or does not exist.
 */
export function resolvePointer(obj: JsonObject, pointer: string): PathSegment[] | undefined {
  if (!pointer.startsWith('/')) return undefined;
  const path: PathSegment[] = [];
  let node: unknown = obj;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= node.length) return undefined;
      path.push(Number(token));
      node = node[Number(token)];
    } else if (isPlainObject(node) && Object.hasOwn(node, token)) {
      path.push(token);
      node = node[token];
    } else {
      return undefined;
    }
  }
  return path;
}

/** Problems with an app's ignoreDifferences rules, reported once per plan (not per object). */
export function checkIgnoreRules(rules: readonly IgnoreDifferencesRule[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const what = `ignoreDifferences rule for ${rule.group ? `${rule.kind}.${rule.group}` : rule.kind}${rule.name ? ` ${rule.name}` : ''}`;
    for (const pointer of rule.jsonPointers ?? []) {
      const problem = pointer === '' ? 'points at the whole object' : !pointer.startsWith('/') || /~[^01]|~$/.test(pointer) ? 'is not a JSON pointer (RFC 6901: "/spec/replicas", "~1" for "/", "~0" for "~")' : undefined;
      if (problem) diagnostics.push({ severity: 'warning', code: 'ignore-rule-invalid', message: `${what}: "${pointer}" ${problem}; it is skipped` });
    }
    // No jq evaluator that is both faithful and safe runs in-process without a native binary
    // (pure-JS ports get paths wrong; WASM builds of jq are async and cannot be interrupted, where
    // Argo CD stops an expression after 1s). Failing safe: the difference stays visible.
    for (const expression of rule.jqPathExpressions ?? []) {
      diagnostics.push({
        severity: 'warning',
        code: 'ignore-rule-unsupported',
        message: `${what}: jqPathExpressions are not supported yet, "${expression}" is not applied and its differences stay in the plan; use jsonPointers or managedFieldsManagers`,
      });
    }
  }
  return diagnostics;
}
