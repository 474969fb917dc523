/**
 * Drift as it happens (DESIGN.md "Drift"): for an app Slipway applied on a context, each of its
 * objects as the last apply left it (History.appliedState) is compared with the live object
 * whenever the object changes, through the shared watches of a WatchHub (one per kind and
 * namespace, core/watch/watcher.ts). Changes are judged together after `debounceMs` (100 ms), so
 * a drift is flagged well within 2 s of the write that made it. The comparison itself is
 * core/watch/drift-compare.ts: only fields Slipway's field manager owned count.
 *
 * Secrets: the history keeps their values masked. When the watch first sees a Secret still at the
 * resourceVersion the apply left, its values are taken then as keyed digests (core/secret-key.ts),
 * so a later change of a value is found by comparing digests; otherwise a value counts as drifted
 * when Slipway no longer owns it. Nothing this module hands out carries a value: drift is field
 * paths, and `onObject` (the live object, for health) stays in the engine.
 *
 * A member whose watch is not synced yet is not judged (a watch still listing is not proof that
 * an object is gone); one that cannot be watched (no list/watch right) stays unjudged and its
 * watch's state says why.
 */
import type { AppliedObjectState } from '../history/types.js';
import type { ApiResource, KubeObject } from '../kube/types.js';
import { formatKey, identityOf, keyOfObject, type ResourceKey } from '../model/resource.js';
import { isSecret } from '../model/secrets.js';
import { blindSecrets } from '../secret-key.js';
import type { IgnoreDifferencesRule } from '../source/apps.js';
import { compareDrift, type DriftStatus } from './drift-compare.js';
import type { WatchHub, WatchState, WatchSubscription } from './watcher.js';

export type { DriftStatus } from './drift-compare.js';

/** One object of the app, judged. */
export interface ObjectDrift {
  readonly key: ResourceKey;
  /** in-sync, drifted (see `paths`), deleted, or unknown (`reason`: nothing to compare with). */
  readonly status: DriftStatus;
  /** The drifted field paths, e.g. ["spec.replicas"]; never a value. */
  readonly paths: readonly string[];
  readonly reason?: string;
  /** The run that last applied the object, and when it finished with it. */
  readonly applied: { readonly runId: string; readonly at: string };
  /** When this state was found (ISO 8601). */
  readonly since: string;
}

/** One watch the drift check uses: a kind in a namespace. */
export interface DriftWatchState {
  /** The hub's key: "apps/v1/deployments@shop". */
  readonly key: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly state: WatchState;
}

export interface DriftReport {
  /** Every member compared so far, by key order. */
  readonly objects: readonly ObjectDrift[];
  /** Members drifted or deleted. */
  readonly drifted: number;
  /** Members not compared yet (their watch is connecting, reconnecting or forbidden). */
  readonly pending: number;
  readonly watches: readonly DriftWatchState[];
}

export interface DriftListener {
  /** A member's drift changed (first judgement included): it drifted, its drifted fields changed, it was deleted, or it is back as applied. */
  onDrift?(drift: ObjectDrift): void;
  /** A member's live object changed; undefined: it is gone. For health; keep it in the engine (Secrets hold values). */
  onObject?(key: ResourceKey, live: KubeObject | undefined): void;
  /** A watch changed state (reconnecting, forbidden, synced again). */
  onState?(watch: DriftWatchState): void;
}

export interface DriftWatchOptions {
  readonly hub: WatchHub;
  /** The resource serving a group/version/kind (KubeClient.resourceFor). */
  readonly resourceFor: (gvk: { readonly group: string; readonly version: string; readonly kind: string }) => Promise<ApiResource>;
  /** The app's objects as its last applies left them on this cluster (History.appliedState). */
  readonly applied: readonly AppliedObjectState[];
  /** The app's ignoreDifferences rules. */
  readonly ignore?: readonly IgnoreDifferencesRule[];
  /** Changes this close together are judged once. Default 100 ms. */
  readonly debounceMs?: number;
  /** How long to wait before asking again for a kind the cluster does not serve. Default 30 s. */
  readonly unservedRetryMs?: number;
  readonly listener?: DriftListener;
  /** Clock (tests). */
  readonly now?: () => number;
}

export interface DriftWatch {
  /** What is known now. */
  report(): DriftReport;
  /** Leaves the watches (they stop when nobody else uses them). Idempotent. */
  close(): void;
}

interface Member {
  readonly key: ResourceKey;
  readonly state: AppliedObjectState;
  /** What the live object is compared with: the history's snapshot, or the live Secret as applied with its values as digests. */
  baseline: unknown;
  /** The live object seen through the watch (undefined: not there). */
  live: KubeObject | undefined;
  drift: ObjectDrift | undefined;
  group: Group;
}

interface Group {
  readonly gvk: { readonly group: string; readonly version: string; readonly kind: string };
  readonly namespace: string | undefined;
  readonly members: Member[];
  sub: WatchSubscription | undefined;
  state: DriftWatchState;
}

export function watchDrift(opts: DriftWatchOptions): DriftWatch {
  const now = opts.now ?? Date.now;
  const debounceMs = opts.debounceMs ?? 100;
  const listener = opts.listener ?? {};
  const members = new Map<string, Member>();
  const groups = new Map<string, Group>();
  const pending = new Set<Member>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  for (const state of opts.applied) {
    const { key } = state;
    const gk = `${key.group}/${key.version}/${key.kind}@${key.namespace ?? ''}`;
    let group = groups.get(gk);
    if (!group) {
      group = { gvk: { group: key.group, version: key.version, kind: key.kind }, namespace: key.namespace, members: [], sub: undefined, state: { key: gk, group: key.group, kind: key.kind, ...(key.namespace !== undefined && { namespace: key.namespace }), state: { phase: 'connecting' } } };
      groups.set(gk, group);
    }
    const member: Member = { key, state, baseline: state.object, live: undefined, drift: undefined, group };
    group.members.push(member);
    members.set(identityOf(key), member);
  }

  const setState = (group: Group, state: WatchState, key = group.state.key): void => {
    group.state = { ...group.state, key, state };
    listener.onState?.(group.state);
  };

  const schedule = (m: Member): void => {
    pending.add(m);
    timer ??= setTimeout(flush, debounceMs);
  };

  const flush = (): void => {
    timer = undefined;
    if (closed) return;
    const batch = [...pending];
    pending.clear();
    for (const m of batch) judge(m);
  };

  const judge = (m: Member): void => {
    if (m.group.state.state.phase !== 'synced') return; // judged again when it is
    const live = m.live;
    if (live && isSecret(live) && m.state.resourceVersion === live.metadata.resourceVersion && !isBlinded(m.baseline)) m.baseline = { ...blindSecrets(live), [BLINDED]: true };
    if (live && m.baseline === undefined && m.state.resourceVersion === live.metadata.resourceVersion) m.baseline = live;
    const result =
      m.baseline === undefined && live
        ? { status: 'unknown' as const, paths: [] as string[], reason: 'the history kept no copy of the object as applied' }
        : compareDrift({ applied: m.baseline, live: live && isBlinded(m.baseline) ? blindSecrets(live) : live, ...(opts.ignore && { ignore: opts.ignore }) });
    const before = m.drift;
    if (before && before.status === result.status && before.paths.join('\n') === result.paths.join('\n')) return;
    m.drift = {
      key: m.key,
      status: result.status,
      paths: result.paths,
      ...(result.reason !== undefined && { reason: result.reason }),
      applied: { runId: m.state.runId, at: m.state.appliedAt },
      since: new Date(now()).toISOString(),
    };
    listener.onDrift?.(m.drift);
  };

  const subscribe = async (group: Group): Promise<void> => {
    let resource: ApiResource;
    try {
      resource = await opts.resourceFor(group.gvk);
    } catch (err) {
      if (closed) return;
      setState(group, { phase: 'reconnecting', reason: err instanceof Error ? err.message : String(err), attempt: 1 });
      retryTimer ??= setTimeout(retryUnserved, opts.unservedRetryMs ?? 30_000);
      return;
    }
    if (closed) return;
    group.sub = opts.hub.subscribe(
      { resource, ...(resource.namespaced && group.namespace !== undefined && { namespace: group.namespace }) },
      {
        onChange: (change) => {
          const m = members.get(identityOf(keyOfObject(change.object)));
          if (!m || m.group !== group) return;
          m.live = change.type === 'DELETED' ? undefined : change.object;
          listener.onObject?.(m.key, m.live);
          schedule(m);
        },
        onState: (state) => {
          setState(group, state, group.sub?.key ?? group.state.key);
          if (state.phase === 'synced') for (const m of group.members) schedule(m);
        },
      },
    );
  };

  const retryUnserved = (): void => {
    retryTimer = undefined;
    if (closed) return;
    for (const g of groups.values()) if (!g.sub) void subscribe(g);
  };

  for (const g of groups.values()) void subscribe(g);

  return {
    report(): DriftReport {
      const judged = [...members.values()].flatMap((m) => (m.drift ? [m.drift] : [])).sort((a, b) => formatKey(a.key).localeCompare(formatKey(b.key)));
      return {
        objects: judged,
        drifted: judged.filter((d) => d.status === 'drifted' || d.status === 'deleted').length,
        pending: members.size - judged.length,
        watches: [...groups.values()].map((g) => g.state),
      };
    },
    close(): void {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      if (retryTimer) clearTimeout(retryTimer);
      for (const g of groups.values()) g.sub?.close();
    },
  };
}

/** Marks a baseline taken from the live Secret (values as digests). */
const BLINDED = Symbol('blinded');

function isBlinded(baseline: unknown): boolean {
  return typeof baseline === 'object' && baseline !== null && (baseline as { [BLINDED]?: boolean })[BLINDED] === true;
}
