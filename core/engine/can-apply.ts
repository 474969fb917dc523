/**
 * Whether the user may make the writes a plan's apply makes, asked before Apply is offered: one
 * SelfSubjectAccessReview per verb, resource and namespace (kubectl auth can-i). What an apply
 * writes is a table: the verbs of each action, and the run's own objects (its Lease and the
 * ApplySet parent Secret, in the parent's namespace) and hooks.
 */
import { KubeClient } from '../kube/client.js';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import { mapConcurrent } from '../kube/concurrency.js';
import { KubeError } from '../kube/errors.js';
import { parseParentRef } from '../model/applyset.js';
import type { Action, Plan } from '../plan/types.js';
import { whoAmI } from '../apply/service.js';

/** One write an apply makes: a verb on a kind, in a namespace (absent: cluster-scoped). */
export interface AccessNeed {
  readonly verb: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace?: string;
}

/** A need the cluster refused, named as RBAC names it (resource plural with its group). */
export interface MissingAccess {
  readonly verb: string;
  /** "deployments.apps", "configmaps". */
  readonly resource: string;
  readonly namespace?: string;
}

export interface ApplyAccess {
  /** Who asked, as the cluster knows them. */
  readonly user: string;
  readonly missing: readonly MissingAccess[];
  /** Kinds the cluster does not serve yet (a CRD this plan creates): not checked. */
  readonly unchecked: readonly string[];
}

/** The verbs of each action: server-side apply is a PATCH, and one that creates the object needs create too. */
export const ACTION_VERBS: Readonly<Record<Action, readonly string[]>> = {
  create: ['create', 'patch'],
  update: ['patch'],
  replace: ['delete', 'create', 'patch'],
  delete: ['delete'],
  noop: [],
  error: [],
};

/** Replace=true sends the whole object (PUT) instead of a patch. */
const REPLACE_VERBS: Readonly<Partial<Record<Action, readonly string[]>>> = { create: ['create'], update: ['update'] };

/** What every apply writes besides the plan's objects, in the ApplySet parent's namespace. */
const RUN_OBJECTS: ReadonlyArray<{ readonly group: string; readonly version: string; readonly kind: string; readonly verbs: readonly string[] }> = [
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', verbs: ['create', 'update'] },
  { group: '', version: 'v1', kind: 'Secret', verbs: ['create', 'patch'] },
];

/** A hook is created (applied) each time, and deleted by its policy or before its next run. */
const HOOK_VERBS: readonly string[] = ['create', 'patch', 'delete'];

const needKey = (n: AccessNeed): string => `${n.verb} ${n.group}/${n.kind} ${n.namespace ?? ''}`;

/** Every write the apply of `plan` makes, once each, in a stable order. Pure: table-tested. */
export function accessNeeded(plan: Plan): AccessNeed[] {
  const needs = new Map<string, AccessNeed>();
  const add = (n: AccessNeed): void => void needs.set(needKey(n), n);
  const of = (key: { group: string; version: string; kind: string; namespace?: string | undefined }, verb: string): AccessNeed => ({ verb, group: key.group, version: key.version, kind: key.kind, ...(key.namespace !== undefined && { namespace: key.namespace }) });
  const changes = plan.changes.filter((c) => ACTION_VERBS[c.action].length > 0);
  if (changes.length === 0) return [];
  const { namespace } = parseParentRef(plan.inputs.applySet.parent);
  for (const o of RUN_OBJECTS) for (const verb of o.verbs) add(of({ ...o, namespace }, verb));
  for (const c of changes) {
    const replaced = c.syncOptions?.includes('Replace=true') ? REPLACE_VERBS[c.action] : undefined;
    for (const verb of replaced ?? ACTION_VERBS[c.action]) add(of(c.key, verb));
  }
  for (const h of plan.hooks) if (h.skipped === undefined && h.phases.length > 0) for (const verb of HOOK_VERBS) add(of(h.key, verb));
  return [...needs.values()].sort((a, b) => needKey(a).localeCompare(needKey(b)));
}

/** "may not patch deployments.apps in namespace shop". */
export function describeMissing(m: MissingAccess): string {
  return `${m.verb} ${m.resource}${m.namespace ? ` in namespace ${m.namespace}` : ' at cluster scope'}`;
}

/** Asks the cluster about each need (SelfSubjectAccessReview); `client` is the plan's context. */
export async function reviewApplyAccess(client: KubeClient, plan: Plan, opts: { readonly concurrency?: number } = {}): Promise<ApplyAccess> {
  const unchecked = new Set<string>();
  const answers = await mapConcurrent(accessNeeded(plan), opts.concurrency ?? 8, async (need): Promise<MissingAccess | undefined> => {
    let plural: string;
    try {
      plural = (await client.resourceFor(need)).plural;
    } catch (e) {
      if (e instanceof KubeError && e.code === 'unknown-kind') {
        unchecked.add(need.group ? `${need.kind}.${need.group}` : need.kind);
        return undefined;
      }
      throw e;
    }
    const review = (await client.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: need.verb, group: need.group, resource: plural, ...(need.namespace !== undefined && { namespace: need.namespace }) } } },
      info: { verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io' },
    })) as { status?: { allowed?: boolean } };
    if (review.status?.allowed === true) return undefined;
    return { verb: need.verb, resource: need.group ? `${plural}.${need.group}` : plural, ...(need.namespace !== undefined && { namespace: need.namespace }) };
  });
  return { user: await whoAmI(client), missing: answers.filter((a): a is MissingAccess => a !== undefined), unchecked: [...unchecked].sort() };
}

/** reviewApplyAccess on the plan's context, with a client of its own. */
export async function canApply(req: { readonly plan: Plan; readonly kubeconfig: LoadedKubeconfig; readonly context: string; readonly requestTimeoutMs?: number }): Promise<ApplyAccess> {
  const client = new KubeClient(req.kubeconfig, req.context, { ...(req.requestTimeoutMs !== undefined && { timeoutMs: req.requestTimeoutMs }) });
  try {
    return await reviewApplyAccess(client, req.plan);
  } finally {
    await client.close();
  }
}
