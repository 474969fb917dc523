/**
 * Which waited-for kinds run Pods, and how to find them: the label selector of the workload's
 * spec.selector, as `kubectl get pods -l` takes it (what `kubectl describe deployment` lists its
 * Pods by). A bare Pod is its own Pod. Pure: the waits list the Pods with the selector.
 */
import { groupKindString } from '../../model/applyset.js';
import { isPlainObject } from '../../model/desired.js';
import type { KubeObject } from '../../kube/types.js';
import type { GroupKind } from '../kind-order.js';
import { at, list, str, strings } from './fields.js';

/** How a kind's Pods are found: by its spec.selector, or it is a Pod itself. */
export type PodsBy = 'selector' | 'itself';

/** The kinds whose Pods can say why they are not ready, keyed like HEALTH_RULES ("Deployment.apps", "Pod"). */
export const POD_OWNERS: Readonly<Record<string, PodsBy>> = {
  'Deployment.apps': 'selector',
  'StatefulSet.apps': 'selector',
  'DaemonSet.apps': 'selector',
  'ReplicaSet.apps': 'selector',
  'Job.batch': 'selector',
  Pod: 'itself',
};

export function podsBy(gk: GroupKind): PodsBy | undefined {
  const id = groupKindString(gk);
  return Object.hasOwn(POD_OWNERS, id) ? POD_OWNERS[id] : undefined;
}

/** LabelSelectorOperator in the words of the selector string. */
const OPERATORS: Readonly<Record<string, (key: string, values: readonly string[]) => string>> = {
  In: (k, v) => `${k} in (${v.join(',')})`,
  NotIn: (k, v) => `${k} notin (${v.join(',')})`,
  Exists: (k) => k,
  DoesNotExist: (k) => `!${k}`,
};

/**
 * spec.selector as a label selector string ("app=web,tier in (a,b)"), or undefined when it has
 * none or one this cannot say (an empty selector would match every Pod of the namespace).
 */
export function selectorOf(workload: KubeObject): string | undefined {
  const selector = at(workload, 'spec', 'selector');
  if (!isPlainObject(selector)) return undefined;
  const labels = isPlainObject(selector.matchLabels) ? Object.entries(selector.matchLabels) : [];
  const parts = labels.filter((e): e is [string, string] => typeof e[1] === 'string').sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  for (const e of list(selector, 'matchExpressions')) {
    const key = str(e, 'key');
    const say = OPERATORS[str(e, 'operator') ?? ''];
    if (key === undefined || !say) return undefined;
    parts.push(say(key, strings(e, 'values')));
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
