/**
 * Keeps watching after an apply ends `progressing`: while the apply view stays open, the objects
 * the run stopped waiting for (a LoadBalancer Service without an address…) are read again every
 * few seconds through the contract's `objectHealth`, and their rows follow what the cluster says
 * (Argo CD keeps showing an app's health after its sync). An object is dropped from the watch once
 * it is healthy or degraded; closing the view stops it.
 */
import { useEffect, useState } from 'react';
import type { HostApi, ObjectHealthResult, ObjectState, ResourceKey } from '../../core/api/contract.js';
import type { ApplyProgress } from './applyProgress.js';
import { keyLabel } from './format.js';

export type WatchedHealth = ObjectHealthResult['objects'][number];

export const WATCH_INTERVAL_MS = 5000;

/** The row state of a health read: healthy, failed when degraded, else still progressing. */
export function stateOfHealth(h: Pick<WatchedHealth, 'status'>): ObjectState {
  return h.status === 'healthy' ? 'healthy' : h.status === 'degraded' ? 'failed' : 'progressing';
}

/** The objects a finished run left progressing. */
export function progressingKeys(p: ApplyProgress): ResourceKey[] {
  return p.status === 'progressing' ? p.steps.flatMap((s) => s.objects).filter((o) => o.state === 'progressing').map((o) => o.key) : [];
}

/** The progress with each watched object's row brought up to date. */
export function withWatched(p: ApplyProgress, watched: ReadonlyMap<string, WatchedHealth>): ApplyProgress {
  if (watched.size === 0) return p;
  return {
    ...p,
    steps: p.steps.map((s) => ({
      ...s,
      objects: s.objects.map((o) => {
        const h = o.state === 'progressing' ? watched.get(o.label) : undefined;
        return h ? { ...o, state: stateOfHealth(h), message: h.message } : o;
      }),
    })),
  };
}

export interface HealthWatch {
  /** The latest read of each watched object, by keyLabel. */
  readonly watched: ReadonlyMap<string, WatchedHealth>;
  /** Objects still watched. */
  readonly watching: number;
  /** Why the watch stopped early (the engine no longer has the plan, the cluster went away). */
  readonly error?: unknown;
}

/** Watches `keys` of plan `planId` every `intervalMs` until each is healthy or degraded, or the caller unmounts. */
export function useHealthWatch(host: Pick<HostApi, 'objectHealth'>, planId: string, keys: readonly ResourceKey[], intervalMs = WATCH_INTERVAL_MS): HealthWatch {
  const [state, setState] = useState<HealthWatch>({ watched: new Map(), watching: keys.length });
  const id = keys.map(keyLabel).join('\n');
  useEffect(() => {
    if (keys.length === 0) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending = keys;
    const watched = new Map<string, WatchedHealth>();
    const round = (): void => {
      host.objectHealth({ planId, keys: [...pending] }).then(
        ({ objects }) => {
          if (!live) return;
          for (const o of objects) watched.set(keyLabel(o.key), o);
          const settled = new Set(objects.filter((o) => o.status === 'healthy' || o.status === 'degraded').map((o) => keyLabel(o.key)));
          pending = pending.filter((k) => !settled.has(keyLabel(k)));
          setState({ watched: new Map(watched), watching: pending.length });
          if (pending.length > 0) timer = setTimeout(round, intervalMs);
        },
        (error: unknown) => live && setState({ watched: new Map(watched), watching: 0, error }),
      );
    };
    setState({ watched: new Map(), watching: keys.length });
    timer = setTimeout(round, intervalMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `id` stands for `keys`: the same objects are the same watch.
  }, [host, planId, id, intervalMs]);
  return state;
}
