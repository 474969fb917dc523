/**
 * The small live context the finding rules read (core/plan/findings/context.ts), fetched at plan
 * time: the PodDisruptionBudgets in the namespaces of the workloads whose Pods the plan replaces,
 * what each Namespace the plan deletes holds, and how many objects of each CustomResourceDefinition
 * it deletes exist. Only what the rules ask for (planFindings(changes).needs); nothing at all for
 * most plans.
 *
 * Findings are advice: a read the user may not make (403) or a kind that went away (404) leaves
 * its part out (or counts it as partial); it never stops the plan.
 */
import { KubeError } from '../kube/errors.js';
import type { KubeClient } from '../kube/client.js';
import { mapConcurrent, DEFAULT_CONCURRENCY } from '../kube/concurrency.js';
import { resourceFor } from '../kube/discovery.js';
import { withRetry } from '../kube/retry.js';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';
import type { ContextNeeds, FindingsContext, NamespaceContents } from './findings/index.js';
import { listInScope } from './list.js';

const PDB = { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' };
/** Kinds that are records about objects rather than objects a Namespace holds. */
const NOT_CONTENTS = new Set(['|Event', 'events.k8s.io|Event', 'metrics.k8s.io|PodMetrics', 'coordination.k8s.io|Lease']);

const skippable = (e: unknown): boolean => e instanceof KubeError && (e.code === 'forbidden' || e.code === 'not-found');

export async function readFindingsContext(client: KubeClient, discovery: Discovery, needs: ContextNeeds, opts: { readonly concurrency?: number } = {}): Promise<FindingsContext> {
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const [podDisruptionBudgets, namespaceContents, customResources] = await Promise.all([
    pdbs(client, discovery, needs.pdbNamespaces),
    needs.deletedNamespaces.length === 0 ? undefined : contents(client, discovery, needs.deletedNamespaces, concurrency),
    needs.deletedCrds.length === 0
      ? undefined
      : mapConcurrent(needs.deletedCrds, concurrency, async (crd) => {
          const resource: ApiResource = { group: crd.group, version: crd.version, kind: crd.kind, plural: crd.plural, namespaced: crd.namespaced, verbs: ['list'], preferred: true };
          try {
            return [[crd.name, (await withRetry(() => client.list(resource))).length] as const];
          } catch (e) {
            if (skippable(e)) return [];
            throw e;
          }
        }).then((counts) => Object.fromEntries(counts.flat())),
  ]);
  return {
    ...(podDisruptionBudgets && { podDisruptionBudgets }),
    ...(namespaceContents && { namespaceContents }),
    ...(customResources && Object.keys(customResources).length > 0 && { customResources }),
  };
}

async function pdbs(client: KubeClient, discovery: Discovery, namespaces: readonly string[]): Promise<KubeObject[] | undefined> {
  const resource = resourceFor(discovery, PDB);
  if (!resource || namespaces.length === 0) return undefined;
  try {
    return await listInScope(client, resource, { namespaces: new Set(namespaces) });
  } catch (e) {
    if (skippable(e)) return undefined;
    throw e;
  }
}

/** One LIST per namespaced kind (its group's preferred version) and deleted Namespace. */
async function contents(client: KubeClient, discovery: Discovery, namespaces: readonly string[], concurrency: number): Promise<Record<string, NamespaceContents>> {
  const kinds = discovery.resources.filter((r) => r.namespaced && r.preferred && r.verbs.includes('list') && !NOT_CONTENTS.has(`${r.group}|${r.kind}`));
  const out: Record<string, NamespaceContents> = {};
  for (const namespace of namespaces) {
    const counts = await mapConcurrent(kinds, concurrency, async (resource) => {
      try {
        return { kind: resource.kind, count: (await withRetry(() => client.list(resource, { namespace }))).length };
      } catch (e) {
        if (skippable(e)) return { kind: resource.kind, count: 0, partial: true };
        throw e;
      }
    });
    const byKind: Record<string, number> = {};
    for (const c of counts) if (c.count > 0) byKind[c.kind] = (byKind[c.kind] ?? 0) + c.count;
    out[namespace] = { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind, ...(counts.some((c) => c.partial) && { partial: true }) };
  }
  return out;
}
