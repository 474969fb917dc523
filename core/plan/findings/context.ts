/**
 * What the rules know of the cluster beyond the plan's own objects: a small live context read at
 * plan time (core/plan/findings-live.ts), absent in a comparison of revisions. Which reads are
 * needed is decided here, from the changes, so the reader asks only for those.
 */
import { identityOf, type ResourceKey } from '../../model/resource.js';
import { at, str, type Obj, type PlannedObject } from './fields.js';

export interface FindingsContext {
  /** PodDisruptionBudgets in the namespaces of the workloads whose Pods the plan replaces, as the API server returns them. */
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

/**
 * The live reads the rules need for these objects (none when nothing asks for them): the
 * PodDisruptionBudgets only where the plan replaces a workload's Pods (`replacing`, identityOf the
 * workloads: pdb-blocks-eviction reads them for no other), and what deleted Namespaces and CRDs hold.
 */
export function contextNeeds(objects: readonly PlannedObject[], replacing: ReadonlySet<string>): ContextNeeds {
  const pdbNamespaces = objects.filter((o) => o.key.namespace && replacing.has(identityOf(o.key))).map((o) => o.key.namespace!);
  const deletes = objects.filter((o) => o.action === 'delete');
  const deletedNamespaces = deletes.filter((o) => isKind(o.key, '', 'Namespace')).map((o) => o.key.name);
  const deletedCrds = deletes.filter((o) => isKind(o.key, 'apiextensions.k8s.io', 'CustomResourceDefinition')).flatMap((o) => {
    const crd = crdOf(o.key.name, o.before);
    return crd ? [crd] : [];
  });
  return { pdbNamespaces: sorted(pdbNamespaces), deletedNamespaces: sorted(deletedNamespaces), deletedCrds };
}

const isKind = (key: Pick<ResourceKey, 'group' | 'kind'>, group: string, kind: string): boolean => key.group === group && key.kind === kind;

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
