/**
 * Reads what the live tree is built from, once (`slipway status`, the UI's liveTree): the app's
 * ApplySet parent, its members by the part-of label (one LIST per member kind and namespace), the
 * kinds CHILD_RULES reaches from them in the members' namespaces, and those namespaces' Events.
 * A LIST the user may not make (403), or of a kind the cluster does not serve, becomes a ReadGap:
 * that part of the view says so and the rest is read. Secrets (and the parent) are read as
 * metadata only (PartialObjectMetadata), so their data never even reaches the engine here.
 */
import { KubeError } from '../kube/errors.js';
import { resourceName, resourcePath, type KubeClient } from '../kube/client.js';
import { mapConcurrent } from '../kube/concurrency.js';
import { preferredFor } from '../kube/discovery.js';
import { withRetry } from '../kube/retry.js';
import type { ApiResource, Discovery, KubeObject } from '../kube/types.js';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_NAMESPACES_ANNOTATION, APPLYSET_PART_OF_LABEL, applySetId, groupKindString, parentRef, parseGroupKinds, type ApplySetParent } from '../model/applyset.js';
import { apiVersionOf, identityOf, keyOfObject, type ResourceKey } from '../model/resource.js';
import { stringMap } from '../model/fields.js';
import { childKindsOf, gkOf, snapshotOf, uniqueKinds, type GroupKind, type LiveSnapshot, type ReadGap } from './tree.js';

/** What the reader needs of a KubeClient (a fake in unit tests). */
export type LiveReadClient = Pick<KubeClient, 'context' | 'list' | 'request'>;

export interface ReadLiveInput {
  readonly client: LiveReadClient;
  readonly discovery: Discovery;
  readonly parent: ApplySetParent;
  /** Members the app's last apply left (the history): their kinds and namespaces are read too, and one not found is shown gone. */
  readonly expected?: readonly ResourceKey[];
  /** Parallel LISTs (default 8). */
  readonly concurrency?: number;
  /** Read the Events too (default true). */
  readonly events?: boolean;
  /** The time of the read (ISO); default now. */
  readonly now?: () => string;
}

const EVENT: GroupKind = { group: '', kind: 'Event' };
/** Read as metadata only: their data is never needed and never read. */
const METADATA_ONLY: ReadonlySet<string> = new Set(['Secret']);
const PAGE = 500;

/** One object kind in one namespace (or across the cluster), read for one purpose. */
interface Read {
  readonly gk: GroupKind;
  readonly namespace?: string;
  readonly of: ReadGap['of'];
  readonly labelSelector?: string;
}

export async function readLiveSnapshot(input: ReadLiveInput): Promise<LiveSnapshot> {
  const { client, discovery, parent } = input;
  const now = input.now ?? (() => new Date().toISOString());
  const id = applySetId(parent);
  const gaps: ReadGap[] = [];
  const expected = input.expected ?? [];

  const parentObj = await getParent(client, discovery, parent).catch((e: unknown) => {
    if (!(e instanceof KubeError && e.code === 'forbidden')) throw e;
    gaps.push({ group: '', kind: 'Secret', namespace: parent.namespace, of: 'members', message: `the ApplySet parent ${parentRef(parent)} could not be read: ${e.message}` });
    return null;
  });
  const annotations = parentObj ? stringMap(parentObj, 'metadata', 'annotations') : {};
  const kinds = uniqueKinds([...parseGroupKinds(annotations[APPLYSET_GROUP_KINDS_ANNOTATION]), ...expected]);
  const namespaces = [...new Set([parent.namespace, ...(annotations[APPLYSET_NAMESPACES_ANNOTATION] ?? '').split(',').filter(Boolean), ...expected.flatMap((k) => k.namespace ?? [])])].sort();

  const run = async (reads: readonly Read[]): Promise<KubeObject[]> =>
    (
      await mapConcurrent(reads, input.concurrency ?? 8, async (read) => {
        const r = preferredFor(discovery, read.gk.group, read.gk.kind);
        if (!r) {
          gaps.push({ ...gapBase(read), message: `${groupKindString(read.gk)} is not served by the cluster of context ${client.context}` });
          return [];
        }
        try {
          return await listRead(client, r, read);
        } catch (e) {
          const gap = gapOf(read, e);
          if (!gap) throw e;
          gaps.push(gap);
          return [];
        }
      })
    ).flat();

  const selector = `${APPLYSET_PART_OF_LABEL}=${id}`;
  const members = await run(kinds.flatMap((gk) => inNamespaces(discovery, gk, namespaces).map((namespace) => ({ gk, ...(namespace !== undefined && { namespace }), of: 'members' as const, labelSelector: selector }))));
  const stillThere = await notMembersAnyMore(client, discovery, expected, members, input.concurrency ?? 8);
  const where = [...new Set(members.flatMap((m) => m.metadata.namespace ?? []))].sort();
  const present = uniqueKinds(members.map(gkOf));
  const childReads = childKindsOf(present).flatMap((gk) => where.map((namespace) => ({ gk, namespace, of: 'children' as const })));
  const eventReads = input.events === false ? [] : where.map((namespace) => ({ gk: EVENT, namespace, of: 'events' as const }));
  const others = await run([...childReads, ...eventReads]);
  return snapshotOf({ applySet: { parent: parentRef(parent), id, found: parentObj !== null }, objects: [...members, ...others], expected: expected.filter((k) => !stillThere.has(identityOf(k))), gaps: gaps.sort(gapOrder), readAt: now() });
}

/**
 * Of the objects the last apply left that are not members now, those that still exist: a
 * Namespace the apply created (--create-namespace: never a member), an object another app took
 * over. Only the others are gone. One metadata GET each; one that cannot be read is not called gone.
 */
async function notMembersAnyMore(client: LiveReadClient, discovery: Discovery, expected: readonly ResourceKey[], members: readonly KubeObject[], concurrency: number): Promise<Set<string>> {
  const present = new Set(members.map((m) => identityOf(keyOfObject(m))));
  const absent = expected.filter((k) => !present.has(identityOf(k)));
  const found = await mapConcurrent(absent, concurrency, async (key) => {
    const r = preferredFor(discovery, key.group, key.kind);
    if (!r) return undefined;
    try {
      await withRetry(() => client.request('GET', resourcePath(r, { namespace: key.namespace, name: key.name }), { accept: METADATA_ACCEPT, info: { verb: 'get', key } }));
      return identityOf(key);
    } catch (e) {
      if (e instanceof KubeError && e.code === 'not-found') return undefined;
      if (e instanceof KubeError && e.code === 'forbidden') return identityOf(key);
      throw e;
    }
  });
  return new Set(found.filter((id): id is string => id !== undefined));
}

/** The namespaces to list a kind in: each of them, or once (undefined) for a cluster-scoped or unknown kind. */
function inNamespaces(discovery: Discovery, gk: GroupKind, namespaces: readonly string[]): (string | undefined)[] {
  const r = preferredFor(discovery, gk.group, gk.kind);
  return r?.namespaced ? [...namespaces] : [undefined];
}

const gapOrder = (a: ReadGap, b: ReadGap): number => a.of.localeCompare(b.of) || a.kind.localeCompare(b.kind) || (a.namespace ?? '').localeCompare(b.namespace ?? '');

const gapBase = (read: Read): Omit<ReadGap, 'message'> => ({ group: read.gk.group, kind: read.gk.kind, ...(read.namespace !== undefined && { namespace: read.namespace }), of: read.of });

/** A read that failed in a way the view can show and go on: no permission. Anything else (an unreachable server) fails the read. */
function gapOf(read: Read, e: unknown): ReadGap | undefined {
  return e instanceof KubeError && e.code === 'forbidden' ? { ...gapBase(read), message: e.message } : undefined;
}

async function getParent(client: LiveReadClient, discovery: Discovery, parent: ApplySetParent): Promise<KubeObject | null> {
  const r = preferredFor(discovery, '', 'Secret');
  if (!r) return null;
  try {
    const got = (await withRetry(() => client.request('GET', resourcePath(r, { namespace: parent.namespace, name: parent.name }), { accept: METADATA_ACCEPT, info: { verb: 'get', resource: 'secrets' } }))) as Partial<KubeObject>;
    // Only the metadata is kept, whatever the server sent.
    return got.metadata ? { apiVersion: 'v1', kind: 'Secret', metadata: got.metadata } : null;
  } catch (e) {
    if (e instanceof KubeError && e.code === 'not-found') return null;
    throw e;
  }
}

const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const METADATA_LIST_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

async function listRead(client: LiveReadClient, r: ApiResource, read: Read): Promise<KubeObject[]> {
  const opts = { ...(read.namespace !== undefined && { namespace: read.namespace }), ...(read.labelSelector !== undefined && { labelSelector: read.labelSelector }) };
  try {
    return METADATA_ONLY.has(r.kind) && r.group === '' ? await listMetadata(client, r, opts) : await withRetry(() => client.list(r, opts));
  } catch (e) {
    // A namespace named by the parent that is gone holds nothing.
    if (e instanceof KubeError && e.code === 'not-found') return [];
    throw e;
  }
}

/** A LIST as PartialObjectMetadataList, page by page: names, labels, annotations, owners; never data or spec. */
async function listMetadata(client: LiveReadClient, r: ApiResource, opts: { namespace?: string; labelSelector?: string }): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = (await withRetry(() =>
      client.request('GET', resourcePath(r, { namespace: opts.namespace }), {
        query: { labelSelector: opts.labelSelector, limit: PAGE, continue: token },
        accept: METADATA_LIST_ACCEPT,
        info: { verb: 'list', resource: resourceName(r) },
      }),
    )) as { items?: { metadata?: KubeObject['metadata'] }[]; metadata?: { continue?: string } };
    // Only the metadata is kept, whatever the server sent (a server that ignores the Accept header sends whole objects).
    for (const item of page.items ?? []) if (item.metadata) items.push({ apiVersion: apiVersionOf(r), kind: r.kind, metadata: item.metadata });
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}
