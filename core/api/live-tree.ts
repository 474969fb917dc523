/** The engine's live tree (core/engine/live-tree.ts) as the contract's liveTree result: the same fields, in plain (mutable) arrays. */
import type { AppLiveTree, TreeNode } from '../engine/live-tree.js';
import type { LiveTreeNode, LiveTreeResult } from './contract.js';

function toNode(n: TreeNode): LiveTreeNode {
  const { unread, children, ...rest } = n;
  return { ...rest, key: { ...n.key }, ...(unread && { unread: [...unread] }), children: children.map(toNode) };
}

export function toLiveTreeResult(tree: AppLiveTree): LiveTreeResult {
  return {
    ...tree,
    applySet: { ...tree.applySet },
    counts: { ...tree.counts },
    roots: tree.roots.map(toNode),
    events: tree.events.map((e) => ({ ...e, object: { ...e.object } })),
    gaps: tree.gaps.map((g) => ({ ...g })),
  };
}
