/**
 * The live tree's rows (liveTreeRows.ts), virtualized so an app of thousands of objects scrolls
 * smoothly: each object's kind and name, health, message, reason and age; gone and deleting
 * objects marked; the old rollouts behind one fold; a child kind that could not be read said in
 * place. Clicking a row (or ↑/↓, j/k) selects its object; ←/→ fold and unfold, Enter opens a fold.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { LiveTreeNode, LiveTreeResult } from '../../../core/api/contract.js';
import { ageOf } from '../age.js';
import { keyLabel } from '../format.js';
import { liveRows, type LiveRow } from '../liveTreeRows.js';
import { matchShortcut } from '../shortcuts.js';

const ROW_HEIGHT = 28;
const INDENT = 18;

/** A health as a pill, in the colours of the apply's states. */
export function HealthPill(props: { health: LiveTreeNode['health'] }): React.JSX.Element {
  return (
    <span className={`pill health-pill health-${props.health}`} data-testid="health-pill">
      {props.health}
    </span>
  );
}

const flip = (set: ReadonlySet<string>, id: string, on?: boolean): ReadonlySet<string> => {
  const next = new Set(set);
  if (on ?? !next.has(id)) next.add(id);
  else next.delete(id);
  return next;
};

export function LiveTree(props: {
  roots: readonly LiveTreeNode[];
  gaps: LiveTreeResult['gaps'];
  /** The engine's time now, for ages. */
  now: number;
  selectedId: string | null;
  onSelect: (node: LiveTreeNode) => void;
}): React.JSX.Element {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [openOld, setOpenOld] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => liveRows(props.roots, { collapsed, openOld, gaps: props.gaps }), [props.roots, props.gaps, collapsed, openOld]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const selectedIndex = rows.findIndex((r) => r.id === props.selectedId);

  const toggle = (row: LiveRow, open?: boolean): void => {
    if (row.type === 'old') setOpenOld((s) => flip(s, row.id, open));
    else if (row.type === 'node' && row.expandable) setCollapsed((s) => flip(s, row.id, open === undefined ? undefined : !open));
  };
  const selectAt = (i: number): void => {
    const row = rows[i];
    if (row?.type !== 'node') return;
    props.onSelect(row.node);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  const nextNode = (from: number, direction: 1 | -1): number => {
    for (let i = from + direction; i >= 0 && i < rows.length; i += direction) if (rows[i]!.type === 'node') return i;
    return from;
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const at = selectedIndex;
    const row = rows[at];
    switch (matchShortcut(e, 'tree')) {
      case 'next-change':
        selectAt(nextNode(at, 1));
        break;
      case 'previous-change':
        selectAt(nextNode(Math.max(at, 0), -1));
        break;
      case 'tree-first':
        selectAt(nextNode(-1, 1));
        break;
      case 'tree-last':
        selectAt(nextNode(rows.length, -1));
        break;
      case 'tree-fold':
        if (row) toggle(row, false);
        break;
      case 'tree-unfold':
        if (row) toggle(row, true);
        break;
      case 'tree-open':
        if (row) toggle(row);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="tree live-tree" ref={scroller} role="tree" aria-label="The app's objects, live" tabIndex={0} data-testid="live-tree" data-rows={rows.length} onKeyDown={onKeyDown}>
      {rows.length === 0 ? (
        <p className="tree-empty">No objects of the app are on the cluster.</p>
      ) : (
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index]!;
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)`, paddingLeft: 12 + row.depth * INDENT };
            if (row.type === 'unread') {
              return (
                <div key={row.id} role="treeitem" aria-level={row.depth + 1} className="tree-row live-row live-unread" style={style} data-testid="live-unread" data-kind={row.kind} title={row.text}>
                  <span className="twisty" aria-hidden="true">
                    !
                  </span>
                  <span className="ellipsis">{row.text}</span>
                </div>
              );
            }
            if (row.type === 'old') {
              return (
                <div key={row.id} role="treeitem" aria-level={row.depth + 1} aria-expanded={!row.collapsed} className="tree-row live-row live-old" style={style} data-testid="live-old" onClick={() => toggle(row)}>
                  <span className="twisty" aria-hidden="true">
                    {row.collapsed ? '▸' : '▾'}
                  </span>
                  <span className="ellipsis muted">{row.label} of earlier rollouts</span>
                </div>
              );
            }
            const n = row.node;
            const selected = row.id === props.selectedId;
            return (
              <div
                key={row.id}
                role="treeitem"
                aria-level={row.depth + 1}
                aria-selected={selected}
                {...(row.expandable && { 'aria-expanded': !row.collapsed })}
                className={`tree-row live-row${selected ? ' selected' : ''}${n.gone ? ' live-gone' : ''}${n.deleting ? ' live-deleting' : ''}${n.old ? ' live-old-node' : ''}`}
                style={style}
                data-testid="live-node"
                data-key={keyLabel(n.key)}
                data-kind={n.key.kind}
                data-health={n.health}
                data-depth={row.depth}
                title={[keyLabel(n.key), n.message, n.reason].filter(Boolean).join('\n')}
                onClick={() => props.onSelect(n)}
              >
                <span
                  className="twisty"
                  aria-hidden="true"
                  onClick={(e) => {
                    if (!row.expandable) return;
                    e.stopPropagation();
                    toggle(row);
                  }}
                >
                  {row.expandable ? (row.collapsed ? '▸' : '▾') : ''}
                </span>
                <span className="live-kind">{n.key.kind}</span>
                <span className="live-name mono">{n.key.name}</span>
                <HealthPill health={n.health} />
                {n.gone && <span className="pill live-mark">gone</span>}
                {n.deleting && <span className="pill live-mark">deleting</span>}
                <span className="live-message ellipsis">
                  {n.message && <span className="muted">{n.message}</span>}
                  {n.reason && <span className={`live-reason${n.health === 'degraded' ? ' text-error' : ''}`}> {n.reason}</span>}
                </span>
                <span className="live-age muted small">{ageOf(n.createdAt, props.now)}</span>
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
