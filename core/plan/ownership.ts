/**
 * Which ApplySets hold an app's objects, and which of their members the app may delete.
 *
 * The app's own parent is named after its identity (core/model/applyset.ts), so two apps never
 * share one by name; its recorded origin still has to be this app (a repository copied from the
 * same template shares first commit and app names). Slipway 0.1 named parents after the app
 * alone (`slipway-<app>`), shared by every app of that name: such a set is taken over only when
 * its members are this app's, when it was taken over before, or with an explicit --adopt.
 * Nothing is ever pruned from a set another app owns.
 */
import type { KubeClient } from '../kube/client.js';
import { mapConcurrent } from '../kube/concurrency.js';
import { preferredFor } from '../kube/discovery.js';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';
import {
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_NAMESPACES_ANNOTATION,
  APPLYSET_PART_OF_LABEL,
  applySetId,
  describeOrigin,
  earlierParentForApp,
  judgeOwner,
  parentForApp,
  parentRef,
  parseGroupKinds,
  readOrigin,
  type AppIdentity,
  type ApplySetParent,
  type RecordedOrigin,
} from '../model/applyset.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { formatKey, identityOf, keyOfObject, type ResourceKey } from '../model/resource.js';
import { listInScope } from './list.js';
import type { AdoptionReason, PlanApplySet } from './types.js';

/** How a set's members relate to this app: its own set, or one it takes over. */
export type SetRole = 'own' | AdoptionReason;

export interface MemberSet {
  readonly parent: ApplySetParent;
  readonly id: string;
  /** Undefined: another app's set, whose members are never pruned by this one. */
  readonly role: SetRole | undefined;
  readonly origin: RecordedOrigin;
  readonly members: readonly KubeObject[];
}

export interface Ownership {
  readonly parent: ApplySetParent;
  readonly id: string;
  /** Every set read, the app's own first. */
  readonly sets: readonly MemberSet[];
  /** Ids of sets taken over: a desired object labelled with one of them is not "another ApplySet's". */
  readonly adoptedIds: ReadonlySet<string>;
  readonly adopts: NonNullable<PlanApplySet['adopts']>;
  readonly diagnostics: readonly Diagnostic[];
}

export interface OwnershipInput {
  readonly client: KubeClient;
  readonly discovery: Discovery;
  readonly app: string;
  /** The app's namespace: where its parent lives. */
  readonly namespace: string;
  readonly identity: AppIdentity;
  /** The user confirmed taking over a set another app (or an earlier version) recorded. */
  readonly adopt: boolean;
  /** Whether this repository has a commit (the one a set was last applied from). */
  readonly knowsCommit: (oid: string) => Promise<boolean>;
  /** Resources of the desired objects, and the namespaces they go to: every set is read there too. */
  readonly desiredKinds: readonly ApiResource[];
  readonly desiredNamespaces: readonly string[];
  /** identityOf keys of the desired objects. */
  readonly wanted: ReadonlySet<string>;
  /** identityOf keys this app's earlier applies left on this cluster (from history). */
  readonly applied: ReadonlySet<string>;
  readonly concurrency: number;
}

export async function resolveOwnership(input: OwnershipInput): Promise<Ownership> {
  const parent = parentForApp({ name: input.app, namespace: input.namespace, identity: input.identity });
  // The app's own set and Slipway 0.1's parents are read together: one round trip more than before, not three.
  const [own, earlier] = await Promise.all([
    readSet(input, parent),
    Promise.all(earlierParents(input).map(async (p) => ({ parent: p, obj: await readParent(input.client, p) }))).then((found) => found.filter((e) => e.obj)),
  ]);
  const earlierSets = await Promise.all(earlier.map((e) => readSet(input, e.parent, e.obj!)));
  const diagnostics: Diagnostic[] = [];
  const adopts: { parent: string; id: string; why: AdoptionReason }[] = [];

  let ownRole: SetRole | undefined = 'own';
  if (own.exists) {
    // A working-copy apply records no commit of its own to look for.
    const commit = own.origin.lastCommit && /^[0-9a-f]{40,64}$/.test(own.origin.lastCommit) ? own.origin.lastCommit : undefined;
    const verdict = judgeOwner(input.identity, own.origin, commit ? await input.knowsCommit(commit) : undefined);
    if (verdict.owner === 'other') {
      const whose = `${describeOrigin(own.origin)}`;
      if (input.adopt) {
        ownRole = 'confirmed';
        adopts.push({ parent: parentRef(parent), id: own.id, why: 'confirmed' });
        diagnostics.push({ severity: 'warning', code: 'applyset-adopted', message: `this plan takes over the ApplySet ${parentRef(parent)} (--adopt): ${verdict.why}; recorded owner: ${whose}` });
      } else {
        ownRole = undefined;
        diagnostics.push({
          severity: 'error',
          code: 'applyset-owned-elsewhere',
          message: `the ApplySet ${parentRef(parent)} is not this app's: ${verdict.why}; recorded owner: ${whose}. Nothing of it is deleted. If this app should own it, plan again with --adopt (its objects no longer in the revision would then be pruned)`,
        });
      }
    }
  }

  const sets: MemberSet[] = [{ parent, id: own.id, role: ownRole, origin: own.origin, members: own.members }];
  for (const set of earlierSets) {
    const ref = parentRef(set.parent);
    const notOurs = set.members.filter((m) => !input.wanted.has(identityOf(keyOfObject(m))) && !input.applied.has(identityOf(keyOfObject(m))));
    // Taken over quietly only when nothing in it is someone else's: every member is desired now or was applied by this app.
    const role: SetRole | undefined = set.origin.adoptedBy === parentRef(parent) || notOurs.length === 0 ? 'earlier-version' : input.adopt ? 'confirmed' : undefined;
    if (role) adopts.push({ parent: ref, id: set.id, why: role === 'confirmed' ? 'confirmed' : 'earlier-version' });
    else {
      diagnostics.push({
        severity: 'warning',
        code: 'applyset-earlier-shared',
        message: `${notOurs.length} object${notOurs.length === 1 ? ' is' : 's are'} in ${ref}, the ApplySet an earlier Slipway version shared among all apps named ${input.app}, and this app did not apply ${notOurs.length === 1 ? 'it' : 'them'} as far as this machine's history knows: ${list(notOurs.map((m) => keyOfObject(m)))}. They are left alone; if they are this app's, plan again with --adopt`,
      });
    }
    sets.push({ ...set, role });
  }
  const adoptedIds = new Set(sets.filter((s) => s.role !== undefined && s.id !== own.id).map((s) => s.id));
  return { parent, id: own.id, sets, adoptedIds, adopts, diagnostics };
}

/** Slipway 0.1's parent for this app: in the app's namespace, or in `default` where 0.1 put apps without one. */
function earlierParents(input: OwnershipInput): ApplySetParent[] {
  const here = earlierParentForApp({ name: input.app, namespace: input.namespace });
  const fallback = earlierParentForApp({ name: input.app });
  return here.namespace === fallback.namespace ? [here] : [here, fallback];
}

async function readParent(client: KubeClient, parent: ApplySetParent): Promise<KubeObject | null> {
  return client.get({ group: '', version: 'v1', kind: 'Secret', namespace: parent.namespace, name: parent.name });
}

/** A set's parent (when given or found) and its members, listed by label where the set and the app say they may be. */
async function readSet(input: OwnershipInput, parent: ApplySetParent, known?: KubeObject): Promise<{ parent: ApplySetParent; id: string; exists: boolean; origin: RecordedOrigin; members: KubeObject[] }> {
  const obj = known ?? (await readParent(input.client, parent));
  const annotations = (obj?.metadata.annotations ?? {}) as Record<string, string>;
  const id = applySetId(parent);
  const kinds = new Map<string, ApiResource>();
  for (const gk of parseGroupKinds(annotations[APPLYSET_GROUP_KINDS_ANNOTATION])) {
    const r = preferredFor(input.discovery, gk.group, gk.kind);
    if (r) kinds.set(`${r.group}|${r.kind}`, r);
  }
  for (const r of input.desiredKinds) kinds.set(`${r.group}|${r.kind}`, r);
  const namespaces = new Set([parent.namespace, ...(annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',').filter(Boolean), ...input.desiredNamespaces]);
  const selector = `${APPLYSET_PART_OF_LABEL}=${id}`;
  const members = (await mapConcurrent([...kinds.values()], input.concurrency, (r) => listInScope(input.client, r, { labelSelector: selector, namespaces }))).flat();
  return { parent, id, exists: obj !== null, origin: readOrigin(annotations), members };
}

/** Where a pruned object's ownership comes from, for its delete change. */
export function pruneReason(set: MemberSet): string {
  const ref = parentRef(set.parent);
  switch (set.role) {
    case 'own':
      return `no longer in the revision: pruned from this app's ApplySet ${ref}${set.origin.lastCommit ? ` (${describeOrigin(set.origin)})` : ''}`;
    case 'earlier-version':
      return `no longer in the revision: pruned from ${ref}, the ApplySet an earlier Slipway version named after the app, which this app takes over (every member of it is this app's)`;
    case 'confirmed':
      return `no longer in the revision: pruned from ${ref}, adopted with --adopt from ${describeOrigin(set.origin)}`;
    default:
      return `member of ${ref}, which belongs to another app`;
  }
}

function list(keys: readonly ResourceKey[]): string {
  const shown = keys.slice(0, 10).map(formatKey).join(', ');
  return keys.length > 10 ? `${shown} and ${keys.length - 10} more` : shown;
}
