/**
 * Apply order as data (DESIGN.md rule 3): waves from annotations, the kind table (kind-order.ts),
 * and `planSteps`, which turns a plan's changes into the steps the executor runs one at a time.
 *
 * Models: gitops-engine `pkg/sync/sync_tasks.go` (phase, wave, kind order, then name; Namespaces
 * and CRDs pulled before their dependents) and kapp's change groups (CRDs and Namespaces first;
 * on delete, custom resources first and CRDs after them).
 *
 * Pure: no I/O. The input is the Plan's changes; the wave annotations, what a CRD defines and
 * what a workload names are read from the change's YAML (`after` for upserts, `before` for
 * deletions) unless the caller supplies them: the executor passes the manifests it is about to
 * send for upserts, which it has read already and checked against the plan's hashes (rule 1).
 */
import { load } from 'js-yaml';
import type { Diagnostic } from '../model/diagnostics.js';
import { isPlainObject } from '../model/desired.js';
import type { ResourceKey } from '../model/resource.js';
import { compareKeys, formatKey } from '../model/resource.js';
import type { Action, Change } from '../plan/types.js';
import { BUILTIN_API_GROUPS, KIND_ORDER, WORKLOADS_NEED, type GroupKind, type KindGroupName } from './kind-order.js';
import { bindingGrants, podNeeds, roleRefOf, serviceAccountSecrets } from './needs.js';
import type { SyncPhase } from '../model/hooks.js';
import { readWave } from '../model/waves.js';

export { ARGO_WAVE_ANNOTATION, readWave, WAVE_ANNOTATION, WAVE_ANNOTATIONS } from '../model/waves.js';

export type StepPhase = 'upsert' | 'delete';
export type WaitFor = 'healthy' | 'gone';

/** Which phase each action runs in; undefined = not a step (noop does nothing, error blocks the plan elsewhere). */
export const PHASE_OF_ACTION: Readonly<Record<Action, StepPhase | undefined>> = {
  create: 'upsert',
  update: 'upsert',
  replace: 'upsert',
  delete: 'delete',
  noop: undefined,
  error: undefined,
};

/** What the executor waits for after a step of each phase. */
export const WAIT_FOR_PHASE: Readonly<Record<StepPhase, WaitFor>> = { upsert: 'healthy', delete: 'gone' };

export interface Step {
  /** Position in the step list, from 0. */
  readonly index: number;
  readonly wave: number;
  readonly phase: StepPhase;
  /** The kind-order group every change of this step belongs to. */
  readonly group: KindGroupName;
  /** Sorted by kind order within the group, then by key. */
  readonly changes: readonly Change[];
  readonly waitFor: WaitFor;
  /**
   * Workloads sent ahead of their kind group: every object of the wave they need (see
   * `WORKLOADS_NEED`) is in an earlier step, so they go before the unrelated objects that kind
   * order would otherwise send first, and their rollout overlaps the rest of the wave.
   */
  readonly early?: true;
  /** The apply phase the step belongs to (core/model/hooks.ts): planSteps makes Sync steps; phases.ts adds the hooks' steps. */
  readonly syncPhase: SyncPhase;
  /** Its changes are hooks: created, waited for until they finish, then deleted by their policy (hook-step.ts). */
  readonly hooks?: true;
}

export interface StepPlan {
  readonly steps: readonly Step[];
  /** Bad wave annotations (errors: the author's intended order is unknown) and wave adjustments (info). */
  readonly diagnostics: readonly Diagnostic[];
}

/** What ordering needs to know about one change's object. */
export interface OrderFacts {
  /** metadata.annotations of the object: the desired one for upserts, the live one for deletions. */
  readonly annotations: Readonly<Record<string, string>>;
  /** For a CustomResourceDefinition: the group and kind it serves (spec.group, spec.names.kind). */
  readonly defines?: GroupKind;
  /** The object itself (as read from the change's YAML), for what a workload names; absent when unreadable. */
  readonly object?: Readonly<Record<string, unknown>>;
}

export interface PlanStepsOptions {
  /** Where wave annotations and CRD definitions come from. Default: `factsFromChange` (parses the change's YAML). */
  readonly factsOf?: (change: Change) => OrderFacts;
}

const isCrd = (k: GroupKind): boolean => k.group === 'apiextensions.k8s.io' && k.kind === 'CustomResourceDefinition';
const isNamespace = (k: GroupKind): boolean => k.group === '' && k.kind === 'Namespace';
const gkId = (k: GroupKind): string => `${k.group}/${k.kind}`;

const RANKS: ReadonlyMap<string, { group: KindGroupName; groupIndex: number; rank: number }> = new Map(
  KIND_ORDER.flatMap((g, groupIndex) => g.kinds.map((k, rank) => [gkId(k), { group: g.name, groupIndex, rank }] as const)),
);
const GROUP_INDEX: ReadonlyMap<KindGroupName, number> = new Map(KIND_ORDER.map((g, i) => [g.name, i]));

/** The kind-order group of a group/kind: listed kinds by the table, then "other" for built-in groups, else "custom". */
export function kindGroupOf(k: GroupKind): KindGroupName {
  return RANKS.get(gkId(k))?.group ?? (BUILTIN_API_GROUPS.includes(k.group) ? 'other' : 'custom');
}

function groupIndexOf(name: KindGroupName): number {
  return GROUP_INDEX.get(name) ?? KIND_ORDER.length;
}

/** Position within its group (listed kinds first, in table order; unlisted kinds after them). */
function rankInGroup(k: GroupKind): number {
  return RANKS.get(gkId(k))?.rank ?? Number.MAX_SAFE_INTEGER;
}

/**
 * A change's YAML (written by the plan with the `yaml` library) as a value, read with js-yaml,
 * which reads it several times faster — an apply orders every change before its first write.
 * Undefined if it cannot be read (then the change has no wave annotation and no object).
 */
function readChangeYaml(text: string): unknown {
  try {
    return load(text);
  } catch {
    return undefined;
  }
}

/** Reads annotations and (for a CRD) spec.group/spec.names.kind from the change's YAML: `after`, or `before` for a deletion. */
export function factsFromChange(change: Change): OrderFacts {
  const text = PHASE_OF_ACTION[change.action] === 'delete' ? change.before : (change.after ?? change.before);
  return factsFromObject(change.key, text === undefined ? undefined : readChangeYaml(text));
}

/** The same facts from an object already read (the manifest an apply sends, for instance). */
export function factsFromObject(key: ResourceKey, doc: unknown): OrderFacts {
  const metadata = isPlainObject(doc) && isPlainObject(doc.metadata) ? doc.metadata : {};
  const annotations = isPlainObject(metadata.annotations)
    ? Object.fromEntries(Object.entries(metadata.annotations).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : typeof v === 'number' ? [[k, String(v)]] : [])))
    : {};
  const facts = isPlainObject(doc) ? { annotations, object: doc } : { annotations };
  if (!isCrd(key) || !isPlainObject(doc) || !isPlainObject(doc.spec)) return facts;
  const { group, names } = doc.spec;
  const kind = isPlainObject(names) ? names.kind : undefined;
  return typeof group === 'string' && typeof kind === 'string' ? { ...facts, defines: { group, kind } } : facts;
}

interface Entry {
  readonly change: Change;
  readonly phase: StepPhase;
  readonly group: KindGroupName;
  readonly facts: OrderFacts;
  wave: number;
}

/**
 * Orders a plan's changes into steps:
 * 1. upserts (create, update, replace) grouped by (wave, kind group), ascending;
 * 2. then deletions grouped the same way, in reverse (highest wave first, last kind group first).
 * A Namespace or CRD that this plan upserts (or deletes) is pulled into the wave of its earliest
 * dependent (objects in the Namespace; custom resources of the CRD's group/kind), as gitops-engine
 * does, so it always runs in an earlier step on upsert and a later step on delete. Noop and error
 * changes are not steps.
 */
export function planSteps(changes: readonly Change[], opts: PlanStepsOptions = {}): StepPlan {
  const factsOf = opts.factsOf ?? factsFromChange;
  const diagnostics: Diagnostic[] = [];
  const entries: Entry[] = [];
  // Sorted first, so diagnostics (and which dependent a wave move names) do not depend on input order.
  for (const change of [...changes].sort((a, b) => compareKeys(a.key, b.key))) {
    const phase = PHASE_OF_ACTION[change.action];
    if (!phase) continue;
    const facts = factsOf(change);
    const { wave, diagnostic } = readWave(facts.annotations, change.key);
    if (diagnostic) diagnostics.push(diagnostic);
    entries.push({ change, phase, facts, wave, group: kindGroupOf(change.key) });
  }
  for (const phase of ['upsert', 'delete'] as const) diagnostics.push(...pullDependenciesForward(entries.filter((e) => e.phase === phase)));
  const upserts = toSteps(sendWorkloadsEarly(groupIntoBuckets(entries.filter((e) => e.phase === 'upsert'), 1)));
  const deletes = toSteps(groupIntoBuckets(entries.filter((e) => e.phase === 'delete'), -1));
  const steps = [...upserts, ...deletes].map((s, index) => ({ ...s, index }));
  return { steps, diagnostics };
}

/** Which entries depend on `dep` (a Namespace or CRD): objects in the namespace, or resources of the kind the CRD defines. */
function dependentsOf(dep: Entry, all: readonly Entry[]): Entry[] {
  const { key } = dep.change;
  if (isNamespace(key)) return all.filter((e) => e !== dep && e.change.key.namespace === key.name);
  const defined = dep.facts.defines;
  if (isCrd(key) && defined) return all.filter((e) => e.change.key.group === defined.group && e.change.key.kind === defined.kind);
  return [];
}

/** Lowers the wave of each Namespace/CRD to its earliest dependent's; one info diagnostic per move. Dependents are never dependencies, so one pass suffices. */
function pullDependenciesForward(entries: readonly Entry[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const dep of entries) {
    const first = dependentsOf(dep, entries).reduce<Entry | undefined>((min, e) => (min === undefined || e.wave < min.wave ? e : min), undefined);
    if (!first || first.wave >= dep.wave) continue;
    diagnostics.push({
      severity: 'info',
      code: 'wave-adjusted',
      message: `${formatKey(dep.change.key)} runs in wave ${first.wave} instead of ${dep.wave}: ${formatKey(first.change.key)} (wave ${first.wave}) needs it`,
      resource: dep.change.key,
    });
    dep.wave = first.wave;
  }
  return diagnostics;
}

interface Bucket {
  readonly wave: number;
  readonly phase: StepPhase;
  readonly group: KindGroupName;
  readonly entries: Entry[];
  early?: true;
}

/** direction 1: ascending wave and group (upserts); -1: descending (deletions). */
function groupIntoBuckets(entries: readonly Entry[], direction: 1 | -1): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const e of entries) {
    const id = `${e.wave}|${e.group}`;
    const bucket = buckets.get(id) ?? { wave: e.wave, phase: e.phase, group: e.group, entries: [] };
    bucket.entries.push(e);
    buckets.set(id, bucket);
  }
  return [...buckets.values()].sort((a, b) => direction * (a.wave - b.wave || groupIndexOf(a.group) - groupIndexOf(b.group)));
}

function toSteps(buckets: readonly Bucket[]): Omit<Step, 'index'>[] {
  return buckets.map(({ wave, phase, group, entries: members, early }) => ({
    wave,
    phase,
    group,
    changes: [...members].sort((a, b) => rankInGroup(a.change.key) - rankInGroup(b.change.key) || compareKeys(a.change.key, b.change.key)).map((e) => e.change),
    waitFor: WAIT_FOR_PHASE[phase],
    syncPhase: 'Sync' as const,
    ...(early && { early }),
  }));
}

/**
 * Upserts only. Within each wave, a workload whose needs (WORKLOADS_NEED) are all met by the steps
 * up to some earlier step goes into an `early` workloads step right after it, instead of waiting
 * for every ConfigMap, Secret and RBAC object of the wave; kapp orders by such rules too, and kind
 * order alone (Helm, Argo CD) would hold a Deployment back behind hundreds of unrelated ConfigMaps.
 * A workload whose object cannot be read stays where kind order puts it.
 */
function sendWorkloadsEarly(buckets: readonly Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  let start = 0;
  while (start < buckets.length) {
    let end = start;
    while (end < buckets.length && buckets[end]!.wave === buckets[start]!.wave) end++;
    out.push(...advanceInWave(buckets.slice(start, end)));
    start = end;
  }
  return out;
}

function advanceInWave(wave: readonly Bucket[]): Bucket[] {
  const at = wave.findIndex((b) => b.group === 'workloads');
  if (at <= 0) return [...wave];
  const earlier = wave.slice(0, at);
  const workloads = wave[at]!;
  const rbac = earlier.flatMap((b) => (b.group === 'rbac' ? b.entries : []));
  /** Early workloads by the index of the last earlier bucket they need something of (-1: none). */
  const moved = new Map<number, Entry[]>();
  const rest: Entry[] = [];
  for (const w of workloads.entries) {
    const i = lastNeeded(w, earlier, rbac);
    if (i >= at - 1) rest.push(w);
    else if (moved.has(i)) moved.get(i)!.push(w);
    else moved.set(i, [w]);
  }
  if (moved.size === 0) return [...wave];
  const out: Bucket[] = [];
  const early = (i: number): void => {
    const members = moved.get(i);
    if (members) out.push({ wave: workloads.wave, phase: workloads.phase, group: 'workloads', entries: members, early: true });
  };
  early(-1);
  for (const [i, b] of earlier.entries()) {
    out.push(b);
    early(i);
  }
  if (rest.length > 0) out.push({ ...workloads, entries: rest });
  out.push(...wave.slice(at + 1));
  return out;
}

const isRbac = (k: ResourceKey, ...kinds: string[]): boolean => k.group === 'rbac.authorization.k8s.io' && kinds.includes(k.kind);

/**
 * The index of the last bucket of `earlier` holding something the workload needs; all of them
 * when its Pod template cannot be read. `rbac`: the RBAC entries of those buckets.
 */
function lastNeeded(w: Entry, earlier: readonly Bucket[], rbac: readonly Entry[]): number {
  const needs = podNeeds(w.change.key, w.facts.object);
  if (!needs) return earlier.length - 1;
  const sa = { namespace: needs.namespace, name: needs.serviceAccount };
  const saObject = rbac.find((e) => e.change.key.kind === 'ServiceAccount' && e.change.key.group === '' && e.change.key.namespace === sa.namespace && e.change.key.name === sa.name);
  const saSecrets = new Set(saObject ? serviceAccountSecrets(saObject.facts.object) : []);
  const granting = new Set(rbac.filter((e) => isRbac(e.change.key, 'RoleBinding', 'ClusterRoleBinding') && bindingGrants(e.change.key, e.facts.object, sa)));
  const roles = new Set<string>();
  let anyRoleUnknown = false;
  for (const b of granting) {
    const ref = roleRefOf(b.facts.object);
    if (!ref) anyRoleUnknown = true;
    else roles.add(ref.kind === 'Role' ? `Role|${b.change.key.namespace ?? ''}|${ref.name}` : `ClusterRole||${ref.name}`);
  }
  // An aggregated ClusterRole gathers the rules of other ClusterRoles: then every ClusterRole counts.
  const aggregated = rbac.some((e) => isRbac(e.change.key, 'ClusterRole') && roles.has(`ClusterRole||${e.change.key.name}`) && e.facts.object?.aggregationRule != null);
  const usesClaims = needs.claims.size > 0 || needs.claimPrefixes.length > 0;
  const named = (e: Entry): boolean => {
    const k = e.change.key;
    const here = k.namespace === needs.namespace;
    if (k.group === '') {
      switch (k.kind) {
        case 'ServiceAccount':
          return e === saObject;
        case 'ConfigMap':
          return here && needs.configMaps.has(k.name);
        case 'Secret':
          return here && (needs.secrets.has(k.name) || saSecrets.has(k.name) || e.facts.annotations['kubernetes.io/service-account.name'] === sa.name);
        case 'PersistentVolumeClaim':
          return here && (needs.claims.has(k.name) || needs.claimPrefixes.some((p) => k.name.startsWith(p)));
        case 'PersistentVolume':
          return usesClaims;
        default:
          return true;
      }
    }
    if (isRbac(k, 'RoleBinding', 'ClusterRoleBinding')) return granting.has(e);
    if (isRbac(k, 'Role')) return anyRoleUnknown || roles.has(`Role|${k.namespace ?? ''}|${k.name}`);
    if (isRbac(k, 'ClusterRole')) return anyRoleUnknown || aggregated || roles.has(`ClusterRole||${k.name}`);
    return true;
  };
  let last = -1;
  for (const [i, b] of earlier.entries()) {
    const how = WORKLOADS_NEED[b.group] ?? 'all';
    if (b.entries.some((e) => how === 'all' || named(e))) last = i;
  }
  return last;
}

