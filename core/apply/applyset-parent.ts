/**
 * The ApplySet parent of an apply run (KEP-3659, kept the way kubectl keeps it): before anything is
 * written it lists every group-kind and namespace the set spans, old and new, so a crash mid-apply
 * leaves nothing the next prune cannot find; once pruning is done it lists exactly the desired set,
 * and the sets the plan took over are retired.
 */
import { KubeError } from '../kube/errors.js';
import { withRetry } from '../kube/retry.js';
import {
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_NAMESPACES_ANNOTATION,
  APPLYSET_TOOLING_ANNOTATION,
  originAnnotations,
  parentAnnotations,
  parseGroupKinds,
  parseParentRef,
  type ApplySetParent,
} from '../model/applyset.js';
import type { ResourceKey } from '../model/resource.js';
import { FIELD_MANAGER } from '../plan/prepare.js';
import type { Plan } from '../plan/types.js';
import { retireAdopted } from './adopted.js';
import type { ClusterPort } from './cluster-port.js';

const APPLYSET_PARENT_FIELD_MANAGER = 'kubectl-applyset';

interface ParentUpsert {
  readonly members: readonly ResourceKey[];
  /** Keep the group-kinds and namespaces the parent lists now (before prune has run). */
  readonly keepCurrent: boolean;
  /** The app's origin annotations. */
  readonly record: Record<string, string> | undefined;
}

export class ApplySetParentWriter {
  private readonly parent: ApplySetParent;
  private readonly record: Record<string, string> | undefined;
  private readonly members: readonly ResourceKey[];
  /** The parent has not been widened yet (its namespace may not exist before the plan creates it). */
  private pending = true;

  constructor(
    private readonly cluster: ClusterPort,
    private readonly plan: Plan,
    private readonly opts: { readonly appliedBy: string | undefined; readonly createsNamespace: boolean },
  ) {
    this.parent = parseParentRef(plan.inputs.applySet.parent);
    this.record = parentRecord(plan, opts.appliedBy);
    this.members = plan.changes.filter((c) => c.action !== 'delete' && c.action !== 'error').map((c) => c.key);
  }

  /** Before the first step; when the plan creates the parent's namespace, the parent follows right after that step instead. */
  async begin(): Promise<void> {
    if (!this.opts.createsNamespace) await this.widen();
  }

  /** Lists old and new group-kinds and namespaces; tried again after each step until the parent's namespace exists. */
  async widen(): Promise<void> {
    if (this.pending) this.pending = !(await this.tryUpsert({ members: this.members, keepCurrent: true, record: this.record }));
  }

  /** Pruned objects are gone: the parent now lists exactly the desired set; sets this plan took over are retired. */
  async narrow(): Promise<void> {
    await upsertParent(this.cluster, this.parent, this.plan.inputs.applySet.id, { members: this.members, keepCurrent: false, record: undefined });
    // Sets this plan took over: gone when nothing is left in them, else marked as taken over by this app's.
    for (const adopted of this.plan.inputs.applySet.adopts ?? []) {
      if (adopted.parent !== this.plan.inputs.applySet.parent) await retireAdopted(this.cluster, parseParentRef(adopted.parent), adopted.id, this.plan.inputs.applySet.parent);
    }
  }

  /** False when the parent's namespace does not exist yet. */
  private async tryUpsert(opts: ParentUpsert): Promise<boolean> {
    try {
      await upsertParent(this.cluster, this.parent, this.plan.inputs.applySet.id, opts);
      return true;
    } catch (e) {
      if (e instanceof KubeError && e.code === 'not-found') return false;
      throw e;
    }
  }
}

/** What the parent records about the app and this apply (absent for plans of Slipway 0.1, which carry no identity). */
function parentRecord(plan: Plan, appliedBy: string | undefined): Record<string, string> | undefined {
  const identity = plan.inputs.applySet.identity;
  if (!identity) return undefined;
  return originAnnotations(identity, { repository: plan.inputs.repo, commit: plan.inputs.commit, user: appliedBy ?? 'unknown', at: new Date().toISOString() });
}

/** Creates or updates the ApplySet parent Secret the way kubectl maintains it. */
async function upsertParent(cluster: ClusterPort, parent: ApplySetParent, id: string, opts: ParentUpsert): Promise<void> {
  const key = { group: '', version: 'v1', kind: 'Secret', namespace: parent.namespace, name: parent.name };
  const current = await cluster.get(key);
  const annotations = (current?.metadata.annotations ?? {}) as Record<string, string>;
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  // kubectl refuses parents whose tooling is not "kubectl"; Slipway keeps that name so both can take turns.
  const ours = parentAnnotations(parent, opts.members, tooling?.startsWith('kubectl/') ? tooling : 'kubectl/v1.35');
  if (opts.keepCurrent) {
    const gks = new Set([...(ours[APPLYSET_GROUP_KINDS_ANNOTATION] ?? '').split(','), ...parseGroupKinds(annotations[APPLYSET_GROUP_KINDS_ANNOTATION]).map((g) => (g.group ? `${g.kind}.${g.group}` : g.kind))].filter(Boolean));
    ours[APPLYSET_GROUP_KINDS_ANNOTATION] = [...gks].sort().join(',');
    const nss = new Set([...(ours[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(','), ...(annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',')].filter(Boolean));
    if (nss.size > 0) ours[APPLYSET_NAMESPACES_ANNOTATION] = [...nss].sort().join(',');
  }
  const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: parent.name, namespace: parent.namespace, labels: { [APPLYSET_ID_LABEL]: id }, annotations: ours }, type: 'Opaque' };
  // kubectl writes the parent's ApplySet metadata as field manager "kubectl-applyset": use the same, so turns are quiet.
  await withRetry(() => cluster.apply(body, { fieldManager: APPLYSET_PARENT_FIELD_MANAGER, force: true }));
  // The app's origin under Slipway's own manager, so a kubectl turn (which re-applies only its own fields) keeps it.
  const record = opts.record;
  if (record) await withRetry(() => cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: parent.name, namespace: parent.namespace, annotations: record } }, { fieldManager: FIELD_MANAGER, force: true }));
}
