/**
 * Rollout impact: for each workload the plan changes, whether its Pods are replaced, why (the
 * Pod template fields that change; a ConfigMap or Secret it names renamed by a kustomize or Helm
 * hash suffix) and how (its update strategy, as WORKLOAD_KINDS reads it). The "how" is a table:
 * one severity and one sentence per kind of update strategy.
 */
import { identityOf, type ResourceKey } from '../../model/resource.js';
import { changedPaths } from '../diff.js';
import { deepEqual, isPlainObject } from '../json.js';
import type { Finding, FindingSeverity } from '../types.js';
import { at, label, listed, objects, plural, str, type Obj, type PlannedObject } from './fields.js';
import { configUses, type ConfigKind } from './references.js';
import { podTemplate, replicasOf, templatePrefix, workloadKind, type UpdateStrategy, type WorkloadKind } from './workloads.js';

/** The rules of this file: why Pods are replaced, or that they are kept. */
export const ROLLOUT_RULES = ['pod-template-changed', 'config-renamed', 'pods-kept', 'workload-replaced'] as const;

/** What one workload's rollout comes to. */
export interface Rollout {
  readonly key: ResourceKey;
  /** This plan replaces (some of) its running Pods now: they start with the new template and configuration. */
  readonly replacesPods: boolean;
  readonly finding: Finding;
}

/** A reference in the template that moves to another object of the same name but for a hash suffix. */
export interface Rename {
  readonly kind: ConfigKind;
  readonly from: string;
  readonly to: string;
  /** "a kustomize hash suffix" or "a hash suffix". */
  readonly suffix: string;
}

/** The rollout of every workload the plan updates or replaces (a create or delete starts or stops Pods, as the diff says; noops and errors roll nothing). */
export function rollouts(objects: readonly PlannedObject[]): Rollout[] {
  return objects.flatMap((o) => {
    const w = workloadKind(o.key);
    if (!w || (o.action !== 'update' && o.action !== 'replace')) return [];
    const r = rolloutOf(o, w);
    return r ? [r] : [];
  });
}

function rolloutOf(o: PlannedObject, w: WorkloadKind): Rollout | undefined {
  const before = podTemplate(w, o.before);
  const after = podTemplate(w, o.after);
  if (!before || !after) return undefined;
  const why = templateChange(before, after, w.kind === 'Pod' ? 'its spec changes' : 'its Pod template changes');
  const L = label(o.key);
  const finding = (rule: (typeof ROLLOUT_RULES)[number], severity: FindingSeverity, message: string, extra: Partial<Finding> = {}): Finding => ({ kind: 'impact', rule, severity, subject: o.key, message, ...extra });
  const paths = why && why.paths.length > 0 ? { paths: why.paths.map((p) => templatePrefix(w) + p) } : {};
  const cause = why?.renames[0] && { cause: { group: '', version: 'v1', kind: why.renames[0].kind, name: why.renames[0].to, ...(o.key.namespace !== undefined && { namespace: o.key.namespace }) } };
  const rule = why && why.other.length === 0 && why.renames.length > 0 ? 'config-renamed' : 'pod-template-changed';
  const strategy = w.strategy(o.after ?? {});

  if (o.action === 'replace' && strategy.type !== 'rerun') {
    // An immutable field (a selector, a Pod's spec) changed: the object goes and comes back, and its Pods with it.
    const reason = o.change.message ? `: ${o.change.message.replace(/^must be deleted and created again: /, '')}` : '';
    const pods = strategy.type === 'pod' ? 'so its containers stop' : 'so all its Pods stop at once before new ones start';
    return { key: o.key, replacesPods: true, finding: finding('workload-replaced', 'warning', `${L} is deleted and created again, ${pods}${reason}${why ? `; ${why.text}` : ''}.`, { ...paths, ...cause }) };
  }
  if (!why) {
    const changed = o.change.changedPaths;
    return { key: o.key, replacesPods: false, finding: finding('pods-kept', 'info', `${L} keeps its running Pods: its Pod template does not change${changed.length > 0 ? ` (only ${listed(changed)})` : ''}.`) };
  }
  const how = HOW[strategy.type](strategy as never, { label: L, replicas: replicasOf(w, o.after), why });
  return { key: o.key, replacesPods: how.replaces, finding: finding(rule, how.severity, how.sentence, { ...paths, ...cause }) };
}

interface HowInput {
  readonly label: string;
  readonly replicas: number | undefined;
  readonly why: TemplateChange;
}
type How<S extends UpdateStrategy> = (s: S, i: HowInput) => { severity: FindingSeverity; replaces: boolean; sentence: string };
type Strategies = { [T in UpdateStrategy['type']]: How<UpdateStrategy & { readonly type: T }> };

/** How a template change reaches the Pods, per update strategy: severity, whether Pods are replaced now, the sentence. */
const HOW: Strategies = {
  rolling: (s, i) => {
    const n = i.replicas;
    if (s.partition !== undefined && n !== undefined) {
      if (s.partition >= n) return { severity: 'warning', replaces: false, sentence: `${i.label} will NOT roll: its partition ${s.partition} holds back all its ${plural(n, 'Pod')} (only ordinals ${s.partition} and above are updated), although ${i.why.text}.` };
      return { severity: 'info', replaces: true, sentence: `${i.label} replaces ${n - s.partition} of its ${n} Pods (ordinals ${s.partition} and above: partition ${s.partition}) one at a time, because ${i.why.text}; the others keep the old template.` };
    }
    if (s.maxSurge === undefined) {
      // StatefulSet: one at a time (maxUnavailable 1 unless set), highest ordinal first.
      const at = s.maxUnavailable === 1 ? 'one at a time' : `up to ${String(s.maxUnavailable)} at a time (maxUnavailable ${String(s.maxUnavailable)})`;
      return { severity: 'info', replaces: true, sentence: `${i.label} replaces its ${n === undefined ? 'Pods' : plural(n, 'Pod')} ${at}, highest ordinal first, each once the one before is Ready, because ${i.why.text}.` };
    }
    if (n === undefined) {
      // DaemonSet: node by node.
      const pace =
        resolve(s.maxSurge, 1, 'up') > 0
          ? `starting the new Pod before the old one stops (maxSurge ${String(s.maxSurge)}, maxUnavailable ${String(s.maxUnavailable)})`
          : `${String(s.maxUnavailable)} node${s.maxUnavailable === 1 ? '' : 's'} at a time (maxUnavailable ${String(s.maxUnavailable)})`;
      return { severity: 'info', replaces: true, sentence: `${i.label} replaces its Pod on every node, ${pace}, because ${i.why.text}.` };
    }
    let surge = resolve(s.maxSurge, n, 'up');
    let unavailable = resolve(s.maxUnavailable ?? 0, n, 'down');
    if (surge === 0 && unavailable === 0) unavailable = 1;
    if (n === 0) surge = unavailable = 0;
    const pace = `at most ${surge} extra and ${unavailable} unavailable at a time: maxSurge ${String(s.maxSurge)}, maxUnavailable ${String(s.maxUnavailable)}`;
    return { severity: unavailable >= n && n > 0 ? 'warning' : 'info', replaces: true, sentence: `${i.label} replaces its ${plural(n, 'Pod')} by a rolling update (${pace}), because ${i.why.text}.` };
  },
  recreate: (_s, i) => ({ severity: 'warning', replaces: true, sentence: `${i.label} stops all its ${i.replicas === undefined ? 'Pods' : plural(i.replicas, 'Pod')} before new ones start (strategy Recreate), so it serves nothing in between, because ${i.why.text}.` }),
  paused: (_s, i) => ({ severity: 'warning', replaces: false, sentence: `${i.label} will NOT roll while it is paused (spec.paused): its Pods are replaced when it is resumed, although ${i.why.text}.` }),
  'on-delete': (_s, i) => ({ severity: 'warning', replaces: false, sentence: `${i.label} will NOT roll (updateStrategy OnDelete): running Pods keep the old template until each is deleted, although ${i.why.text}.` }),
  never: (s, i) => ({ severity: 'warning', replaces: false, sentence: `${i.label} will NOT roll: ${s.written} never replaces running Pods, only the Pods it creates later get the new template, although ${i.why.text}.` }),
  rerun: (_s, i) => ({ severity: 'warning', replaces: true, sentence: `${i.label} is deleted and created again, so it runs again (a Job's Pod template cannot change in place), because ${i.why.text}.` }),
  'next-run': (_s, i) => ({ severity: 'info', replaces: false, sentence: `${i.label}'s next Jobs use the new template (a Job already running keeps the old one), because ${i.why.text}.` }),
  pod: (_s, i) => {
    const restarts = i.why.images;
    if (restarts.length === 0) return { severity: 'info', replaces: false, sentence: `${i.label} keeps running, although ${i.why.text}.` };
    return { severity: 'info', replaces: false, sentence: `${i.label} is not replaced, but ${restarts.length === 1 ? `its container ${restarts[0]!} restarts` : `its containers ${listed(restarts)} restart`} in place with the new image, because ${i.why.text}.` };
  },
};

/** Deployment arithmetic: a percentage of the replicas, rounded up (maxSurge) or down (maxUnavailable). */
function resolve(v: number | string, replicas: number, round: 'up' | 'down'): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number.parseInt(v, 10) || 0;
  const exact = (Number(m[1]) * replicas) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

// ---- why: what changes in the Pod template ------------------------------------------------------

interface TemplateChange {
  /** Paths in the template (relative to it) that change. */
  readonly paths: readonly string[];
  readonly renames: readonly Rename[];
  /** Changed paths the renames do not explain, described: "image of container web: a → b". */
  readonly other: readonly string[];
  /** Containers whose image changes. */
  readonly images: readonly string[];
  readonly text: string;
}

function templateChange(before: Obj, after: Obj, changes: string): TemplateChange | undefined {
  if (deepEqual(before, after)) return undefined;
  const renames = renamesIn(before, after);
  const paths = changedPaths(before, after);
  const rest = renames.length > 0 ? changedPaths(before, undoRenames(after, renames)) : paths;
  const other = rest.map((p) => describePath(p, before, after));
  const parts = [
    ...renames.map((r) => `${r.kind} ${r.from} is now ${r.to} (${r.suffix}: its content changed)`),
    ...(other.length > 0 ? [`${changes}: ${listed(other)}`] : []),
  ];
  const images = rest.flatMap((p) => {
    const m = IMAGE_PATH.exec(p);
    return m ? [m[2]!] : [];
  });
  return { paths, renames, other, images, text: parts.join('; ') };
}

/** A container's image in a template's changed paths. */
const IMAGE_PATH = /^spec\.(initContainers|containers)\[name=([^\]]+)\]\.image$/;

/** "image of container web: nginx:1.26 → nginx:1.27" for an image, the path otherwise. */
function describePath(path: string, before: Obj, after: Obj): string {
  const image = IMAGE_PATH.exec(path);
  if (image) {
    const find = (t: Obj): string | undefined => str(objects(t, 'spec', image[1]!).find((c) => c.name === image[2]), 'image');
    return `image of container ${image[2]!}: ${find(before) ?? '(none)'} → ${find(after) ?? '(none)'}`;
  }
  const checksum = CHECKSUM_PATH.exec(path);
  if (checksum) return `annotation ${checksum[1]!} (a Helm chart's checksum of the configuration it renders: that configuration changed)`;
  return path;
}

/** The checksum annotation Helm charts put on Pod templates to roll them when their configuration changes (checksum/config, checksum/secret). */
const CHECKSUM_PATH = /^metadata\.annotations\["?(checksum\/[^"\]]+)"?\]$/;

const KUSTOMIZE_SUFFIX = /^[245-9bcdfghkmt]{10}$/;

/** References that moved from one name to the same name with another hash suffix (kustomize configMapGenerator, Helm sha suffixes). */
export function renamesIn(before: Obj, after: Obj): Rename[] {
  const names = (t: Obj, kind: ConfigKind): Set<string> => new Set(configUses(at(t, 'spec') as Obj).filter((u) => u.kind === kind).map((u) => u.name));
  const out: Rename[] = [];
  for (const kind of ['ConfigMap', 'Secret'] as const) {
    const b = names(before, kind);
    const a = names(after, kind);
    const gone = [...b].filter((n) => !a.has(n));
    for (const to of [...a].filter((n) => !b.has(n))) {
      const from = gone.find((f) => sameBase(f, to));
      if (!from) continue;
      const both = [suffixOf(from), suffixOf(to)];
      out.push({ kind, from, to, suffix: both.every((s) => KUSTOMIZE_SUFFIX.test(s)) ? 'a kustomize hash suffix' : 'a hash suffix' });
    }
  }
  return out;
}

const suffixOf = (name: string): string => name.slice(name.lastIndexOf('-') + 1);

/** web-config-5f7h8g9k2t and web-config-hm2b7t6c5k: the same name but for a suffix of equal length (5 or more letters and digits). */
function sameBase(a: string, b: string): boolean {
  const i = a.lastIndexOf('-');
  const j = b.lastIndexOf('-');
  if (i <= 0 || j <= 0 || a.slice(0, i) !== b.slice(0, j)) return false;
  const [x, y] = [a.slice(i + 1), b.slice(j + 1)];
  return x.length === y.length && x.length >= 5 && /^[a-z0-9]+$/.test(x) && /^[a-z0-9]+$/.test(y);
}

/** The template with each renamed reference put back to its old name, so what else changes shows. */
function undoRenames(t: unknown, renames: readonly Rename[]): Obj {
  const back = new Map(renames.map((r) => [r.to, r.from]));
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return typeof v === 'string' && (key === 'name' || key === 'secretName') && back.has(v) ? back.get(v) : v;
  };
  return walk(t) as Obj;
}

/** identityOf the workloads whose Pods this plan replaces now. */
export function replacing(list: readonly Rollout[]): ReadonlySet<string> {
  return new Set(list.filter((r) => r.replacesPods).map((r) => identityOf(r.key)));
}

