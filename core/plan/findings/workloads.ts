/**
 * Workload kinds as data (kapp's config/default.go style): where each keeps its Pod template,
 * its selector and replica count, and how it replaces its Pods when the template changes (its
 * update strategy with the API's defaults). The rollout and risk rules read only this table.
 */
import { isPlainObject } from '../json.js';
import type { ResourceKey } from '../../model/resource.js';
import { at, int, intOrPercent, str, type Obj } from './fields.js';

/**
 * How a template change reaches a workload's Pods.
 * - rolling: replaced a few at a time (Deployment, StatefulSet, DaemonSet RollingUpdate);
 * - recreate: all stopped, then new ones started (Deployment Recreate);
 * - paused: a paused Deployment rolls when it is resumed;
 * - on-delete: only Pods deleted by someone get the new template (OnDelete);
 * - never: running Pods are never replaced (ReplicaSet, ReplicationController);
 * - rerun: the template is immutable, the object is deleted and created again (Job);
 * - next-run: the next Jobs use it, running ones keep theirs (CronJob);
 * - pod: the object is the Pod itself.
 */
export type UpdateStrategy =
  | { readonly type: 'rolling'; readonly maxSurge?: number | string; readonly maxUnavailable?: number | string; readonly partition?: number; readonly written: string }
  | { readonly type: 'recreate' | 'paused' | 'on-delete' | 'never' | 'rerun' | 'next-run' | 'pod'; readonly written: string };

export interface WorkloadKind {
  readonly group: string;
  readonly kind: string;
  /** The Pod template (an object with metadata and spec); [] for a Pod, which is its own template. */
  readonly template: readonly string[];
  /** The label selector; absent when the kind has none, or the server generates it (Job without manualSelector). */
  readonly selector?: (obj: Obj) => unknown;
  /** spec.replicas and its default; absent when the kind has no replica count. */
  readonly replicas?: { readonly path: readonly string[]; readonly default: number };
  /** Template labels the server writes itself (a Job's controller-uid): never a change of the author's. */
  readonly generatedLabels?: readonly string[];
  readonly strategy: (obj: Obj) => UpdateStrategy;
}

const JOB_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name'];

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  {
    group: 'apps',
    kind: 'Deployment',
    template: ['spec', 'template'],
    selector: (o) => at(o, 'spec', 'selector'),
    replicas: { path: ['spec', 'replicas'], default: 1 },
    strategy: (o) => {
      if (at(o, 'spec', 'paused') === true) return { type: 'paused', written: 'spec.paused' };
      if (str(o, 'spec', 'strategy', 'type') === 'Recreate') return { type: 'recreate', written: 'strategy Recreate' };
      return {
        type: 'rolling',
        maxSurge: intOrPercent(o, 'spec', 'strategy', 'rollingUpdate', 'maxSurge') ?? '25%',
        maxUnavailable: intOrPercent(o, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable') ?? '25%',
        written: 'strategy RollingUpdate',
      };
    },
  },
  {
    group: 'apps',
    kind: 'StatefulSet',
    template: ['spec', 'template'],
    selector: (o) => at(o, 'spec', 'selector'),
    replicas: { path: ['spec', 'replicas'], default: 1 },
    strategy: (o) => {
      if (str(o, 'spec', 'updateStrategy', 'type') === 'OnDelete') return { type: 'on-delete', written: 'updateStrategy OnDelete' };
      const partition = int(o, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
      return { type: 'rolling', maxUnavailable: intOrPercent(o, 'spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable') ?? 1, ...(partition > 0 && { partition }), written: 'updateStrategy RollingUpdate' };
    },
  },
  {
    group: 'apps',
    kind: 'DaemonSet',
    template: ['spec', 'template'],
    selector: (o) => at(o, 'spec', 'selector'),
    strategy: (o) => {
      if (str(o, 'spec', 'updateStrategy', 'type') === 'OnDelete') return { type: 'on-delete', written: 'updateStrategy OnDelete' };
      return {
        type: 'rolling',
        maxSurge: intOrPercent(o, 'spec', 'updateStrategy', 'rollingUpdate', 'maxSurge') ?? 0,
        maxUnavailable: intOrPercent(o, 'spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable') ?? 1,
        written: 'updateStrategy RollingUpdate',
      };
    },
  },
  {
    group: 'apps',
    kind: 'ReplicaSet',
    template: ['spec', 'template'],
    selector: (o) => at(o, 'spec', 'selector'),
    replicas: { path: ['spec', 'replicas'], default: 1 },
    strategy: () => ({ type: 'never', written: 'a ReplicaSet' }),
  },
  {
    group: '',
    kind: 'ReplicationController',
    template: ['spec', 'template'],
    selector: (o) => at(o, 'spec', 'selector'),
    replicas: { path: ['spec', 'replicas'], default: 1 },
    strategy: () => ({ type: 'never', written: 'a ReplicationController' }),
  },
  {
    group: 'batch',
    kind: 'Job',
    template: ['spec', 'template'],
    // The server writes a Job's selector (controller-uid) unless the author asks to write it.
    selector: (o) => (at(o, 'spec', 'manualSelector') === true ? at(o, 'spec', 'selector') : undefined),
    generatedLabels: JOB_LABELS,
    strategy: () => ({ type: 'rerun', written: 'a Job' }),
  },
  {
    group: 'batch',
    kind: 'CronJob',
    template: ['spec', 'jobTemplate', 'spec', 'template'],
    generatedLabels: JOB_LABELS,
    strategy: () => ({ type: 'next-run', written: 'a CronJob' }),
  },
  { group: '', kind: 'Pod', template: [], strategy: () => ({ type: 'pod', written: 'a Pod' }) },
];

const BY_KIND = new Map(WORKLOAD_KINDS.map((w) => [`${w.group}/${w.kind}`, w]));

export function workloadKind(key: Pick<ResourceKey, 'group' | 'kind'>): WorkloadKind | undefined {
  return BY_KIND.get(`${key.group}/${key.kind}`);
}

/** The Pod template (metadata and spec) of a workload object, with the labels the server generates left out. */
export function podTemplate(w: WorkloadKind, obj: Obj | undefined): Obj | undefined {
  if (!obj) return undefined;
  const t = w.template.length === 0 ? { metadata: podMetadata(obj), spec: obj.spec } : at(obj, ...w.template);
  if (!isPlainObject(t)) return undefined;
  if (!w.generatedLabels) return t;
  const labels = at(t, 'metadata', 'labels');
  if (!isPlainObject(labels)) return t;
  const kept = Object.fromEntries(Object.entries(labels).filter(([k]) => !w.generatedLabels!.includes(k)));
  return { ...t, metadata: { ...(t.metadata as Obj), labels: kept } };
}

/** A Pod's own labels and annotations: the part of its metadata that is like a template's. */
function podMetadata(pod: Obj): Obj {
  const meta = isPlainObject(pod.metadata) ? pod.metadata : {};
  return { ...(meta.labels !== undefined && { labels: meta.labels }), ...(meta.annotations !== undefined && { annotations: meta.annotations }) };
}

/** The Pod spec of a workload object. */
export function podSpec(w: WorkloadKind, obj: Obj | undefined): Obj | undefined {
  const spec = at(podTemplate(w, obj), 'spec');
  return isPlainObject(spec) ? spec : undefined;
}

/** The path prefix of a workload's template in the plan's path syntax ("spec.template."), "" for a Pod. */
export function templatePrefix(w: WorkloadKind): string {
  return w.template.map((s) => `${s}.`).join('');
}

export function replicasOf(w: WorkloadKind, obj: Obj | undefined): number | undefined {
  if (!w.replicas || !obj) return undefined;
  return int(obj, ...w.replicas.path) ?? w.replicas.default;
}
