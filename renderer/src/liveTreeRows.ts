/**
 * The live tree as the rows of a list: each node under its owner, indented by depth; a node's
 * children fold away; the ReplicaSets of earlier rollouts (`old`) are folded behind one row ("2 old
 * ReplicaSets") until it is opened; a child kind that could not be read for a node (`unread`) is a
 * row of its own saying why, in place. Pure, so the list component only renders rows.
 */
import type { LiveTreeNode, LiveTreeResult } from '../../core/api/contract.js';
import { pluralKind } from './kindWords.js';

export type LiveRow =
  | { readonly type: 'node'; readonly id: string; readonly depth: number; readonly node: LiveTreeNode; readonly expandable: boolean; readonly collapsed: boolean }
  | { readonly type: 'old'; readonly id: string; readonly depth: number; readonly label: string; readonly count: number; readonly collapsed: boolean }
  | { readonly type: 'unread'; readonly id: string; readonly depth: number; readonly kind: string; readonly text: string };

export interface RowOptions {
  /** Nodes whose children are folded away. */
  readonly collapsed: ReadonlySet<string>;
  /** Old-rollout folds that are open (their id: oldFoldId of the parent). */
  readonly openOld: ReadonlySet<string>;
  /** The tree's gaps: the reason a child kind could not be read. */
  readonly gaps: LiveTreeResult['gaps'];
}

export const oldFoldId = (parentId: string): string => `old:${parentId}`;

/** "cannot list Pods here: pods is forbidden: …" for a child kind a node could not read. */
export function unreadText(kind: string, namespace: string | undefined, gaps: LiveTreeResult['gaps']): string {
  const gap = gaps.find((g) => g.of === 'children' && g.kind === kind && (g.namespace === undefined || g.namespace === namespace));
  return `cannot list ${pluralKind(kind)} here${gap ? `: ${gap.message}` : ''}`;
}

/** "2 old ReplicaSets", or "3 old objects" when their kinds differ. */
function oldLabel(old: readonly LiveTreeNode[]): string {
  const kinds = new Set(old.map((n) => n.key.kind));
  const kind = kinds.size === 1 ? old[0]!.key.kind : 'object';
  return `${old.length} old ${old.length === 1 ? kind : pluralKind(kind)}`;
}

export function liveRows(roots: readonly LiveTreeNode[], opts: RowOptions): LiveRow[] {
  const rows: LiveRow[] = [];
  const walk = (node: LiveTreeNode, depth: number): void => {
    const unread = node.unread ?? [];
    const expandable = node.children.length > 0 || unread.length > 0;
    const collapsed = expandable && opts.collapsed.has(node.id);
    rows.push({ type: 'node', id: node.id, depth, node, expandable, collapsed });
    if (collapsed) return;
    for (const kind of unread) rows.push({ type: 'unread', id: `unread:${node.id}:${kind}`, depth: depth + 1, kind, text: unreadText(kind, node.key.namespace, opts.gaps) });
    const current = node.children.filter((c) => !c.old);
    const old = node.children.filter((c) => c.old);
    for (const c of current) walk(c, depth + 1);
    if (old.length === 0) return;
    const id = oldFoldId(node.id);
    const foldCollapsed = !opts.openOld.has(id);
    rows.push({ type: 'old', id, depth: depth + 1, label: oldLabel(old), count: old.length, collapsed: foldCollapsed });
    if (!foldCollapsed) for (const c of old) walk(c, depth + 2);
  };
  for (const r of roots) walk(r, 0);
  return rows;
}

/** Every node of the tree by id (a selection is kept while its node lives). */
export function nodesById(roots: readonly LiveTreeNode[]): Map<string, LiveTreeNode> {
  const all = new Map<string, LiveTreeNode>();
  const walk = (n: LiveTreeNode): void => {
    all.set(n.id, n);
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  return all;
}
