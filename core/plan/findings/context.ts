/**
 * What the rules know of the cluster beyond the plan's own objects: a small live context read at
 * plan time (core/plan/findings-live.ts), absent in a comparison of revisions. Which reads are
 * needed is decided here, from the changes, so the reader asks only for those.
 */
import type { ResourceKey } from '../../model/resource.js';
import type { Change } from '../types.js';
import { at, plannedObject, str, type Obj } from './fields.js';
import { workloadKind } from './workloads.js';

export interface FindingsContext {
  /** PodDisruptionBudgets in the namespaces of the workloads the plan changes, as the API server returns them. */
  readonly podDisruptionBudgets?: readonly Obj[];
  /** What each Namespace the plan deletes holds now, by its name. */
  readonly namespaceContents?: Readonly<Record<string, NamespaceContents>>;
  /** How many objects of each CustomResourceDefinition the plan deletes exist now, by the CRD's name. */
  readonly customResources?: Readonly<Record<string, number>>;
}

export interface NamespaceContents {
  readonly total: number;
  /** Count per kind ("Pod": 12). */
  readonly byKind: Readonly<Record<string, number>>;
  /** Some kinds could not be listed (no permission): the counts are a lower bound. */
  readonly partial?: boolean;
}

/** A CustomResourceDefinition the plan deletes, with what a LIST of its objects needs. */
export interface DeletedCrd {
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  /** The version its objects are listed at (the storage version, else the first). */
  readonly version: string;
  readonly namespaced: boolean;
}

export interface ContextNeeds {
  readonly pdbNamespaces: readonly string[];
  readonly deletedNamespaces: readonly string[];
  readonly deletedCrds: readonly DeletedCrd[];
}

const sorted = (s: Iterable<string>): string[] => [...new Set(s)].sort();

/** The live reads the rules need for these changes (none when nothing asks for them). */
export function contextNeeds(changes: readonly Change[]): ContextNeeds {
  const pdbNamespaces = changes.filter((c) => workloadKind(c.key) && (c.action === 'update' || c.action === 'replace' || c.action === 'create') && c.key.namespace).map((c) => c.key.namespace!);
  const deletes = changes.filter((c) => c.action === 'delete');
  const deletedNamespaces = deletes.filter((c) => isKind(c.key, '', 'Namespace')).map((c) => c.key.name);
  const deletedCrds = deletes.filter((c) => isKind(c.key, 'apiextensions.k8s.io', 'CustomResourceDefinition')).flatMap((c) => {
    const crd = crdOf(c.key.name, plannedObject(c).before);
    return crd ? [crd] : [];
  });
  return { pdbNamespaces: sorted(pdbNamespaces), deletedNamespaces: sorted(deletedNamespaces), deletedCrds };
}

export const isKind = (key: Pick<ResourceKey, 'group' | 'kind'>, group: string, kind: string): boolean => key.group === group && key.kind === kind;

export function crdOf(name: string, crd: Obj | undefined): DeletedCrd | undefined {
  const group = str(crd, 'spec', 'group');
  const kind = str(crd, 'spec', 'names', 'kind');
  const plural = str(crd, 'spec', 'names', 'plural');
  const versions = at(crd, 'spec', 'versions');
  const list = Array.isArray(versions) ? (versions as Obj[]) : [];
  const version = str(list.find((v) => at(v, 'storage') === true), 'name') ?? str(list[0], 'name');
  if (!group || !kind || !plural || !version) return undefined;
  return { name, group, kind, plural, version, namespaced: str(crd, 'spec', 'scope') !== 'Cluster' };
}
