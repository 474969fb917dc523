/**
 * The plan's changes as the rows of a tree: namespace, then kind, then resource. Pure, so the
 * list component only renders rows and moves a cursor over them.
 */
import type { Action, Change } from '../../core/api/contract.js';
import { changeId } from './format.js';

export type TreeRow =
  | { readonly type: 'namespace'; readonly id: string; readonly namespace: string | null; readonly count: number; readonly collapsed: boolean }
  | { readonly type: 'kind'; readonly id: string; readonly namespace: string | null; readonly kind: string; readonly count: number; readonly collapsed: boolean }
  | { readonly type: 'change'; readonly id: string; readonly change: Change };

export interface TreeFilter {
  /** Matched against kind, namespace and name (case-insensitive, every word must match). */
  readonly text: string;
  readonly actions: ReadonlySet<Action>;
}

export function filterChanges(changes: readonly Change[], filter: TreeFilter): Change[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return changes.filter((c) => {
    if (!filter.actions.has(c.action)) return false;
    if (words.length === 0) return true;
    const hay = `${c.key.kind} ${c.key.namespace ?? ''} ${c.key.name} ${c.key.group}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function countByAction(changes: readonly Change[]): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, delete: 0, replace: 0, noop: 0, error: 0 };
  for (const c of changes) counts[c.action]++;
  return counts;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Cluster-scoped objects first, then namespaces, kinds and names in order. */
export function buildRows(changes: readonly Change[], collapsed: ReadonlySet<string>): TreeRow[] {
  const byNamespace = new Map<string | null, Map<string, Change[]>>();
  for (const c of changes) {
    const ns = c.key.namespace ?? null;
    let kinds = byNamespace.get(ns);
    if (!kinds) byNamespace.set(ns, (kinds = new Map()));
    const kind = c.key.kind;
    const list = kinds.get(kind);
    if (list) list.push(c);
    else kinds.set(kind, [c]);
  }
  const namespaces = [...byNamespace.keys()].sort((a, b) => (a === null ? -1 : b === null ? 1 : cmp(a, b)));
  const rows: TreeRow[] = [];
  for (const ns of namespaces) {
    const kinds = byNamespace.get(ns)!;
    const nsId = `ns:${ns ?? ''}`;
    const nsCollapsed = collapsed.has(nsId);
    let count = 0;
    for (const list of kinds.values()) count += list.length;
    rows.push({ type: 'namespace', id: nsId, namespace: ns, count, collapsed: nsCollapsed });
    if (nsCollapsed) continue;
    for (const kind of [...kinds.keys()].sort(cmp)) {
      const list = kinds.get(kind)!.sort((a, b) => cmp(a.key.name, b.key.name) || cmp(a.key.group, b.key.group));
      const kindId = `kind:${ns ?? ''}:${kind}`;
      const kindCollapsed = collapsed.has(kindId);
      rows.push({ type: 'kind', id: kindId, namespace: ns, kind, count: list.length, collapsed: kindCollapsed });
      if (kindCollapsed) continue;
      for (const change of list) rows.push({ type: 'change', id: changeId(change), change });
    }
  }
  return rows;
}

/** The index of the next (+1) or previous (−1) row from `from` that `ok` accepts; `from` when none. */
export function step(rows: readonly TreeRow[], from: number, direction: 1 | -1, ok: (r: TreeRow) => boolean = () => true): number {
  for (let i = from + direction; i >= 0 && i < rows.length; i += direction) {
    if (ok(rows[i]!)) return i;
  }
  return from;
}
