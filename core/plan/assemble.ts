/**
 * Plan assembly: Changes from normalized before/after objects, the Plan value around them
 * (sorted, summarized, with a deterministic id), and loading a saved plan.json back.
 *
 * YAML key order: an object keeps its own key order (what the API server returned: apiVersion,
 * kind, metadata, spec…; maps sorted by key); nothing inside a list is ever sorted. The after
 * side of a Change follows the before side's key order, so a side whose order differs (a
 * manifest compared client-side) shows only real changes, not moved lines.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { SourceLocation, Diagnostic } from '../model/diagnostics.js';
import type { ResourceKey } from '../model/resource.js';
import { canonicalJson, contentHash } from '../model/canonical.js';
import { blindSecrets } from '../secret-key.js';
import type { IgnoreDifferencesRule } from '../source/apps.js';
import { changedPaths } from './diff.js';
import { isPlainObject, type JsonObject } from './json.js';
import { normalizePair } from './normalize.js';
import { isSecret, maskSecretPair, scrubSecretValues, secretKeyChanges } from './secrets.js';
import { isSealedSecret, maskSealedPair, sealedKeyChanges } from './sealed-secrets.js';
import type { Action, Change, ChangeFlag, Finding, Plan, PlanInputs, PlanSummary, PlannedHook } from './types.js';
import { PLAN_FORMAT_VERSION } from './types.js';

// ---- YAML ---------------------------------------------------------------------------------------

/** kubectl-style YAML (list items not indented under their key), no line folding, no anchors. */
export function toYaml(obj: unknown): string {
  return stringify(obj, { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * A copy of `value` whose map keys come in `reference`'s order where both have them (new keys
 * after, in their own order). Lists are matched by element `name` when every element has one,
 * else by index; their order never changes.
 */
export function alignKeyOrder(value: unknown, reference: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(reference)) {
    const keys = [...Object.keys(reference).filter((k) => Object.hasOwn(value, k)), ...Object.keys(value).filter((k) => !Object.hasOwn(reference, k))];
    return Object.fromEntries(keys.map((k) => [k, alignKeyOrder(value[k], reference[k])]));
  }
  if (Array.isArray(value) && Array.isArray(reference)) {
    const byName = new Map(reference.map((r: unknown) => [isPlainObject(r) ? r.name : undefined, r]));
    return value.map((v: unknown, i) => {
      const name = isPlainObject(v) ? v.name : undefined;
      return alignKeyOrder(v, typeof name === 'string' && byName.has(name) ? byName.get(name) : reference[i]);
    });
  }
  return value;
}

// ---- Changes ------------------------------------------------------------------------------------

export interface ChangeInput {
  readonly key: ResourceKey;
  /** Normalized live object; absent when the object does not exist. */
  readonly before?: JsonObject;
  /** Normalized predicted object; absent when the object is to be deleted. */
  readonly after?: JsonObject;
  readonly liveResourceVersion?: string;
  /** The desired manifest as rendered; its hash becomes desiredHash. */
  readonly desired?: JsonObject;
  readonly source?: SourceLocation;
  readonly flags?: readonly ChangeFlag[];
  readonly message?: string;
  /** Sync options that change how apply sends or deletes the object (Change.syncOptions). */
  readonly syncOptions?: readonly string[];
}

/** Deleting these destroys data or availability: the change is flagged dangerous. A table, not ifs. */
export const DANGEROUS_DELETE_KINDS: readonly { readonly group: string; readonly kind: string }[] = [
  { group: '', kind: 'Namespace' },
  { group: '', kind: 'PersistentVolumeClaim' },
  { group: '', kind: 'PersistentVolume' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
];

/** create, update, delete or noop, from which sides exist and whether they differ. */
export function buildChange(input: ChangeInput): Change {
  if (!input.before && !input.after) throw new Error(`buildChange: ${input.key.kind} ${input.key.name} has neither a before nor an after side`);
  const action: Action = !input.before ? 'create' : !input.after ? 'delete' : 'update';
  return assembleChange(action, input);
}

/** The object must be deleted and created again (an immutable field changed): `message` says why. */
export function buildReplaceChange(input: ChangeInput & { readonly before: JsonObject; readonly after: JsonObject; readonly message: string }): Change {
  return assembleChange('replace', input);
}

/** The server refused the object (dry-run failed): `message` is its answer. Sides are optional. */
export function buildErrorChange(input: ChangeInput & { readonly message: string }): Change {
  return assembleChange('error', input);
}

function assembleChange(requested: Action, input: ChangeInput): Change {
  const secret = isSecret(input.before ?? input.after ?? input.desired);
  const sealed = !secret && isSealedSecret(input.before ?? input.after ?? input.desired);
  const sides = secret ? maskSecretPair(input) : sealed ? maskSealedPair(input) : { before: input.before, after: input.after };
  const paths = sides.before && sides.after ? changedPaths(sides.before, sides.after) : [];
  const action: Action = requested === 'update' && paths.length === 0 ? 'noop' : requested;
  const after = sides.after && sides.before && paths.length > 0 ? alignKeyOrder(sides.after, sides.before) : sides.after;
  const message = input.message === undefined ? undefined : secret ? scrubSecretValues(input.message, [input.before, input.after, input.desired]) : input.message;
  const beforeYaml = sides.before && toYaml(sides.before);
  // No changed path: after (in before's key order) is before, so its YAML is too — serialize once.
  const afterYaml = after === undefined ? undefined : beforeYaml !== undefined && paths.length === 0 ? beforeYaml : toYaml(after);
  const secretKeys = secret && (input.before || input.after) ? secretKeyChanges(input.before, input.after) : sealed && (input.before || input.after) ? sealedKeyChanges(input.before, input.after) : undefined;
  return changeRecord(action, input, { beforeYaml, afterYaml, paths, message, secretKeys });
}

/**
 * The noop change of an object whose normalized sides' YAML is known already (./noop-yaml.ts): the
 * change buildChange makes of a live object planned against itself, without normalizing or writing it.
 */
export function buildNoopChangeFromYaml(input: Omit<ChangeInput, 'before' | 'after'> & { readonly yaml: string }): Change {
  return changeRecord('noop', input, { beforeYaml: input.yaml, afterYaml: input.yaml, paths: [], message: input.message, secretKeys: undefined });
}

function changeRecord(
  action: Action,
  input: ChangeInput,
  parts: { beforeYaml: string | undefined; afterYaml: string | undefined; paths: Change['changedPaths']; message: string | undefined; secretKeys: Change['secretKeys'] },
): Change {
  const { beforeYaml, afterYaml, message, secretKeys } = parts;
  return {
    key: input.key,
    action,
    flags: flagsFor(action, input),
    ...(beforeYaml !== undefined && { before: beforeYaml }),
    ...(afterYaml !== undefined && { after: afterYaml }),
    changedPaths: action === 'noop' ? [] : parts.paths,
    ...(secretKeys !== undefined && { secretKeys }),
    ...(input.liveResourceVersion !== undefined && { liveResourceVersion: input.liveResourceVersion }),
    ...(input.desired && { desiredHash: manifestHash(input.desired) }),
    ...(input.source && { source: input.source }),
    ...(message !== undefined && { message }),
    ...(input.syncOptions !== undefined && input.syncOptions.length > 0 && { syncOptions: [...input.syncOptions] }),
  };
}

const FLAG_ORDER: readonly ChangeFlag[] = ['dangerous', 'confirm', 'kept', 'approximate', 'after-crd', 'after-namespace', 'adopt', 'other-applyset', 'other-manager'];

function flagsFor(action: Action, input: ChangeInput): ChangeFlag[] {
  const flags = new Set(input.flags ?? []);
  const dangerousDelete = action === 'delete' && DANGEROUS_DELETE_KINDS.some((d) => d.group === input.key.group && d.kind === input.key.kind);
  if (action === 'replace' || dangerousDelete) flags.add('dangerous');
  return FLAG_ORDER.filter((f) => flags.has(f));
}

/** sha256 of a manifest's canonical JSON, "sha256:<hex>". */
export function manifestHash(manifest: JsonObject): string {
  let hash = manifestHashes.get(manifest);
  if (hash === undefined) manifestHashes.set(manifest, (hash = contentHash(blindSecrets(manifest))));
  return hash;
}
/** Manifests are not changed once rendered and settled; a plan asks for each one's hash several times. */
const manifestHashes = new WeakMap<JsonObject, string>();

/** Everything about one object the orchestrator found, raw (not yet normalized). */
export interface ObjectsInput extends Omit<ChangeInput, 'before' | 'after' | 'liveResourceVersion'> {
  /** The object as the API server returned it; absent when it does not exist. */
  readonly live?: JsonObject;
  /** The server's dry-run answer (or the desired manifest when approximate); absent for delete. */
  readonly predicted?: JsonObject;
  readonly ignore?: readonly IgnoreDifferencesRule[];
}

/** Normalizes live and predicted with the same rules and builds their create/update/delete/noop Change. */
export function changeFromObjects(input: ObjectsInput): Change {
  const { live, predicted, ignore, ...rest } = input;
  const { before, after } = normalizePair({ ...(live && { live }), ...(predicted && { predicted }) }, { ...(ignore && { ignore }) });
  const meta = live && isPlainObject(live.metadata) ? live.metadata : undefined;
  const liveResourceVersion = typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : undefined;
  return buildChange({ ...rest, ...(before && { before }), ...(after && { after }), ...(liveResourceVersion !== undefined && { liveResourceVersion }) });
}

// ---- Plan ---------------------------------------------------------------------------------------

export interface FinalizePlanInput {
  readonly inputs: PlanInputs;
  readonly changes: readonly Change[];
  readonly diagnostics: readonly Diagnostic[];
  /** Default: none. */
  readonly hooks?: readonly PlannedHook[];
  /** Default: none (core/plan/findings computes them from the changes). */
  readonly findings?: readonly Finding[];
  /** ISO 8601; not part of the id. */
  readonly createdAt: string;
}

export function finalizePlan(input: FinalizePlanInput): Plan {
  const changes = [...input.changes].sort((a, b) => compareForReview(a.key, b.key));
  const body: Omit<Plan, 'id' | 'createdAt'> = { formatVersion: PLAN_FORMAT_VERSION, inputs: input.inputs, changes, summary: summarize(changes), diagnostics: [...input.diagnostics], hooks: input.hooks ?? [], findings: input.findings ?? [] };
  return { formatVersion: body.formatVersion, id: planId(body), createdAt: input.createdAt, inputs: body.inputs, changes, summary: body.summary, diagnostics: body.diagnostics, hooks: body.hooks, findings: body.findings };
}

/** The same plan in another mode (a plan that turns out to roll back to a run): a new id, since the mode is part of it. */
export function withMode(plan: Plan, mode: PlanInputs['mode']): Plan {
  return finalizePlan({ inputs: { ...plan.inputs, mode }, changes: plan.changes, diagnostics: plan.diagnostics, hooks: plan.hooks, findings: plan.findings, createdAt: plan.createdAt });
}

/** Review order: namespace (cluster-scoped first), kind, name; then group and version so it is total. */
export function compareForReview(a: ResourceKey, b: ResourceKey): number {
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return text(a.namespace ?? '', b.namespace ?? '') || text(a.kind, b.kind) || text(a.name, b.name) || text(a.group, b.group) || text(a.version, b.version);
}

export function summarize(changes: readonly Change[]): PlanSummary {
  const count = (action: Action) => changes.filter((c) => c.action === action).length;
  return { create: count('create'), update: count('update'), delete: count('delete'), replace: count('replace'), noop: count('noop'), error: count('error') };
}

/** "plan-" + 16 hex of sha256 over the canonical JSON of everything but createdAt (and the id). */
export function planId(plan: Omit<Plan, 'id' | 'createdAt'>): string {
  const { formatVersion, inputs, changes, summary, diagnostics, hooks, findings } = plan;
  const digest = createHash('sha256').update(canonicalJson({ formatVersion, inputs, changes, summary, diagnostics, hooks, findings })).digest('hex');
  return `plan-${digest.slice(0, 16)}`;
}
