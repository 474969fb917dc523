/**
 * The live tree kept current by the shared watches (watcher.ts): start from one read
 * (read.ts readLiveSnapshot, which also finds the set's member kinds and namespaces), then
 * subscribe a WatchHub to each kind the tree shows in each of those namespaces — the member kinds,
 * the kinds CHILD_RULES reaches from them, and Events — feed every change through
 * applyWatchEvents, and hand a rebuilt tree to `onTree` at most every `debounceMs`.
 *
 * Secrets are not watched: the first read has them as metadata only (a Secret's node says only
 * that it exists), and a watch would bring their data into the engine for nothing. A kind the
 * context may not watch becomes a gap of the tree while its watch says `forbidden`; `states()`
 * tells which watches are reconnecting, for the view to say so.
 */
import { preferredFor } from '../kube/discovery.js';
import type { Discovery } from '../kube/types.js';
import { groupKindString } from '../model/applyset.js';
import { parseApiVersion } from '../model/resource.js';
import { applyWatchEvents, buildLiveTree, childKindsOf, gkOf, isMember, objectId, uniqueKinds, type BuildOptions, type GroupKind, type LiveSnapshot, type LiveTree, type ReadGap, type TreeRules, type WatchEvent } from './tree.js';
import type { WatchHub, WatchState, WatchSubscription } from './watcher.js';

/** Kinds the tree shows but never watches (their first read is all it keeps). */
const NOT_WATCHED: ReadonlySet<string> = new Set(['Secret']);
const EVENT: GroupKind = { group: '', kind: 'Event' };

export interface LiveTreeWatchInput {
  readonly hub: Pick<WatchHub, 'subscribe'>;
  readonly discovery: Discovery;
  /** The first read (readLiveSnapshot). */
  readonly initial: LiveSnapshot;
  readonly rules: TreeRules;
  /** Called with the tree after each batch of changes (and once at the start). */
  readonly onTree: (tree: LiveTree) => void;
  /** Changes this close together make one rebuild (default 100 ms). */
  readonly debounceMs?: number;
  readonly build?: BuildOptions;
  /** ISO now, for readAt (tests). */
  readonly now?: () => string;
}

export interface LiveTreeWatch {
  /** The tree as it is now. */
  tree(): LiveTree;
  /** Each watch the tree uses, with its state ("apps/v1/deployments@shop": synced, reconnecting…). */
  states(): readonly { readonly key: string; readonly state: WatchState }[];
  close(): void;
}

export function watchLiveTree(input: LiveTreeWatchInput): LiveTreeWatch {
  const now = input.now ?? (() => new Date().toISOString());
  let snapshot = input.initial;
  const objects = [...snapshot.objects.values()];
  const members = objects.filter((o) => isMember(o, snapshot.applySet.id));
  const memberKinds = uniqueKinds([...members.map(gkOf), ...snapshot.expected, ...snapshot.gaps.filter((g) => g.of === 'members')]);
  const namespaces = [...new Set([...members.flatMap((m) => m.metadata.namespace ?? []), ...snapshot.expected.flatMap((k) => k.namespace ?? [])])].sort();
  const watched: { gk: GroupKind; of: ReadGap['of'] }[] = [
    ...memberKinds.filter((gk) => !NOT_WATCHED.has(gk.kind)).map((gk) => ({ gk, of: 'members' as const })),
    ...childKindsOf(memberKinds).map((gk) => ({ gk, of: 'children' as const })),
    { gk: EVENT, of: 'events' as const },
  ];

  // Gaps the watches find replace the first read's for the kinds they cover.
  const watchedIds = new Set(watched.map((w) => groupKindString(w.gk)));
  const baseGaps = snapshot.gaps.filter((g) => !watchedIds.has(groupKindString(g)));
  const gaps = new Map<string, ReadGap>(snapshot.gaps.filter((g) => watchedIds.has(groupKindString(g))).map((g) => [`${groupKindString(g)}@${g.namespace ?? ''}`, g]));

  let pending: WatchEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let current = buildLiveTree(snapshot, input.rules, input.build);

  const flush = (): void => {
    timer = undefined;
    if (closed) return;
    const batch = pending;
    pending = [];
    snapshot = { ...applyWatchEvents(snapshot, batch, { at: now() }), gaps: [...baseGaps, ...gaps.values()] };
    current = buildLiveTree(snapshot, input.rules, input.build);
    input.onTree(current);
  };
  const schedule = (): void => {
    if (!timer && !closed) timer = setTimeout(flush, input.debounceMs ?? 100);
  };

  const subs: WatchSubscription[] = [];
  for (const w of watched) {
    const resource = preferredFor(input.discovery, w.gk.group, w.gk.kind);
    if (!resource) continue;
    for (const namespace of resource.namespaced ? namespaces : [undefined]) {
      const gapKey = `${groupKindString(w.gk)}@${namespace ?? ''}`;
      let synced = false;
      const sub: WatchSubscription = input.hub.subscribe(
        { resource, ...(namespace !== undefined && { namespace }) },
        {
          onChange: (change) => {
            pending.push(change);
            schedule();
          },
          onState: (state) => {
            if (state.phase === 'forbidden') gaps.set(gapKey, { group: w.gk.group, kind: w.gk.kind, ...(namespace !== undefined && { namespace }), of: w.of, message: state.reason });
            else if (state.phase === 'synced') {
              gaps.delete(gapKey);
              // What the first read held of this kind here and the watch does not: deleted in between.
              if (!synced) {
                const held = new Set(sub.objects().map(objectId));
                for (const o of snapshot.objects.values()) {
                  if (o.kind === w.gk.kind && parseApiVersion(o.apiVersion).group === w.gk.group && (namespace === undefined || o.metadata.namespace === namespace) && !held.has(objectId(o))) pending.push({ type: 'DELETED', object: o });
                }
              }
              synced = true;
            }
            schedule();
          },
        },
      );
      subs.push(sub);
    }
  }
  input.onTree(current);

  return {
    tree: () => current,
    states: () => subs.map((s) => ({ key: s.key, state: s.state() })),
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const s of subs) s.close();
    },
  };
}
