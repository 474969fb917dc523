/**
 * What the live view says above its tree, in words: the counts of the tree's nodes by health, the
 * watches that reconnect or may not watch, and the parts of the app that could not be read (its
 * members of a kind, its Events). Pure.
 */
import type { LiveTreeResult, LiveTreeWatchState } from '../../core/api/contract.js';
import { countOf, pluralKind } from './kindWords.js';

type Health = keyof LiveTreeResult['counts'];

/** Best to worst, as the counts are read out. */
export const HEALTH_ORDER: readonly Health[] = ['healthy', 'progressing', 'degraded', 'missing', 'unknown'];

/** "7 objects: 5 healthy · 1 progressing · 1 degraded" (the healths with none left out). */
export function countsText(counts: LiveTreeResult['counts']): string {
  const total = HEALTH_ORDER.reduce((n, h) => n + counts[h], 0);
  if (total === 0) return 'no objects';
  return `${countOf(total, 'object')}: ${HEALTH_ORDER.filter((h) => counts[h] > 0)
    .map((h) => `${counts[h].toLocaleString('en-US')} ${h}`)
    .join(' · ')}`;
}

/** "deployments.apps in shop", "namespaces" for a watch key "apps/v1/deployments@shop", "v1/namespaces@*" ("*": every namespace, or cluster-scoped). */
export function watchLabel(key: string): string {
  const at = key.lastIndexOf('@');
  const path = at >= 0 ? key.slice(0, at) : key;
  const namespace = at >= 0 ? key.slice(at + 1) : '';
  const parts = path.split('/');
  const resource = parts[parts.length - 1] ?? path;
  const group = parts.length === 3 ? parts[0] : '';
  const name = group ? `${resource}.${group}` : resource;
  return namespace && namespace !== '*' ? `${name} in ${namespace}` : name;
}

export interface WatchSummary {
  /** Watches that lost the API server and are trying again (the view says "reconnecting"). */
  readonly reconnecting: readonly LiveTreeWatchState[];
  /** Watches the context may not make: that part of the tree is not kept current. */
  readonly forbidden: readonly LiveTreeWatchState[];
  /** Every watch has listed what it watches. */
  readonly synced: boolean;
}

export function watchSummary(watches: readonly LiveTreeWatchState[]): WatchSummary {
  return {
    reconnecting: watches.filter((w) => w.phase === 'reconnecting'),
    forbidden: watches.filter((w) => w.phase === 'forbidden'),
    synced: watches.length > 0 && watches.every((w) => w.phase === 'synced' || w.phase === 'forbidden'),
  };
}

/** The sentences for what the app could not be read of, except a node's children (those are said in place). */
export function gapTexts(gaps: LiveTreeResult['gaps']): { readonly members: string[]; readonly events: string[] } {
  const where = (g: LiveTreeResult['gaps'][number]): string => (g.namespace ? ` in ${g.namespace}` : '');
  return {
    members: gaps.filter((g) => g.of === 'members').map((g) => `cannot list the app's ${pluralKind(g.kind)}${where(g)}: ${g.message}`),
    events: gaps.filter((g) => g.of === 'events').map((g) => `cannot list ${pluralKind(g.kind)}${where(g)}: ${g.message}`),
  };
}
