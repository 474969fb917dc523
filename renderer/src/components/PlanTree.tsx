/**
 * The plan's resources as a tree (namespace → kind → resource), virtualized so a plan of
 * thousands of objects scrolls smoothly. Keyboard (the table of shortcuts.ts): ↓/↑ or j/k go to
 * the next or previous resource and open it, Enter opens a resource or folds a group, ←/→ fold and
 * unfold, / filters. A new plan takes the focus, so its review starts at the keyboard.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Action, Change } from '../../../core/api/contract.js';
import { ACTION_LABEL, ACTION_SYMBOL, ACTIONS, changeId, keyLabel } from '../format.js';
import { findingsOf, worstSeverity, type Finding } from '../findings.js';
import { buildRows, countByAction, filterChanges, step, type TreeRow } from '../planTree.js';
import { matchShortcut } from '../shortcuts.js';
import { useShortcuts } from '../workspace/useShortcuts.js';

const ROW_HEIGHT = 28;
const DEFAULT_ACTIONS: ReadonlySet<Action> = new Set(ACTIONS.filter((a) => a !== 'noop'));
const isChange = (r: TreeRow): boolean => r.type === 'change';

export function ActionBadge(props: { action: Action }): React.JSX.Element {
  return (
    <span className={`badge action-${props.action}`} title={ACTION_LABEL[props.action]} aria-label={ACTION_LABEL[props.action]}>
      {ACTION_SYMBOL[props.action]}
    </span>
  );
}

/** Marks: danger "!!", warning "!", info "i"; with the count when there are several. */
const BADGE_MARK: Readonly<Record<Finding['severity'], string>> = { danger: '!!', warning: '!', info: 'i' };

/** The findings about one resource, on its row: the most severe one's colour, every sentence in the tooltip. */
export function FindingBadge(props: { findings: readonly Finding[] }): React.JSX.Element | null {
  const worst = worstSeverity(props.findings);
  if (!worst) return null;
  const n = props.findings.length;
  return (
    <span
      className={`finding-badge severity-${worst}`}
      data-testid="finding-badge"
      data-severity={worst}
      aria-label={`${n} finding${n === 1 ? '' : 's'}, the most severe: ${worst}`}
      title={props.findings.map((f) => `${f.severity}: ${f.message}`).join('\n')}
    >
      {BADGE_MARK[worst]}
      {n > 1 && <span className="finding-count"> {n}</span>}
    </span>
  );
}

export function PlanTree(props: {
  changes: readonly Change[];
  selectedId: string | null;
  /** False while something else (a hook) is open instead: no resource is marked selected. */
  selectionShown?: boolean;
  /** The plan's findings by object (findingsByObject): a badge on each row that has some. */
  findings?: ReadonlyMap<string, readonly Finding[]>;
  onOpen: (c: Change | null) => void;
}): React.JSX.Element {
  const [text, setText] = useState('');
  const counts = useMemo(() => countByAction(props.changes), [props.changes]);
  const [actions, setActions] = useState<ReadonlySet<Action>>(DEFAULT_ACTIONS);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const visible = useMemo(() => filterChanges(props.changes, { text, actions }), [props.changes, text, actions]);
  // Lookups by id, made once per plan or filter: opening a resource (j) must not scan a 20,000-change plan.
  const byId = useMemo(() => new Map(props.changes.map((c) => [changeId(c), c])), [props.changes]);
  const visibleIds = useMemo(() => new Set(visible.map(changeId)), [visible]);
  const rows = useMemo(() => buildRows(visible, collapsed), [visible, collapsed]);
  const [cursor, setCursor] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const filterBox = useRef<HTMLInputElement>(null);

  const marked = props.selectionShown === false ? null : props.selectedId;

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

  // When the rows change (filtering, folding, a new plan), keep the cursor on its row while it is
  // listed (a folded group keeps it), else on the opened resource, else where it was.
  const cursorRowId = useRef<string | null>(null);
  cursorRowId.current = rows[cursor]?.id ?? null;
  const rowsSeen = useRef(rows);
  useEffect(() => {
    const rowsChanged = rowsSeen.current !== rows;
    rowsSeen.current = rows;
    const kept = rowsChanged && cursorRowId.current !== null ? rows.findIndex((r) => r.id === cursorRowId.current) : -1;
    const i = kept >= 0 ? kept : rows.findIndex((r) => r.id === props.selectedId);
    if (i >= 0) setCursor(i);
    else setCursor((c) => Math.min(c, Math.max(0, rows.length - 1)));
  }, [rows, props.selectedId]);

  // The open resource is always one the tree shows: keep it while it is listed (also across
  // plans), else open the first one listed, else none.
  const { onOpen, selectedId } = props;
  // A resource opened from elsewhere (a finding about an unchanged Deployment) is shown: its action's chip goes on.
  const openedBefore = useRef(selectedId);
  const revealing = useRef<string | null>(null);
  useEffect(() => {
    const openedNow = openedBefore.current !== selectedId;
    openedBefore.current = selectedId;
    const opened = openedNow && selectedId ? byId.get(selectedId) : undefined;
    if (!opened || actions.has(opened.action)) return;
    revealing.current = selectedId;
    setActions((s) => new Set([...s, opened.action]));
  }, [selectedId, byId, actions]);
  useEffect(() => {
    if (selectedId && visibleIds.has(selectedId)) {
      revealing.current = null;
      return;
    }
    if (selectedId && revealing.current === selectedId) return; // shown once its chip is on
    const first = rows.find((r): r is Extract<TreeRow, { type: 'change' }> => r.type === 'change');
    if (first) onOpen(first.change);
    else if (visible.length === 0 && selectedId) onOpen(null);
  }, [rows, visible, visibleIds, selectedId, onOpen]);

  // A new plan takes the keyboard (never from a dialog): j/k and the arrows review it at once.
  useEffect(() => {
    if (document.activeElement?.closest('[aria-modal="true"]')) return;
    scroller.current?.focus({ preventScroll: true });
  }, [props.changes]);

  const toggle = (id: string, fold?: boolean): void =>
    setCollapsed((s) => {
      const next = new Set(s);
      if (fold ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  const activate = (i: number): void => {
    const row = rows[i];
    if (!row) return;
    setCursor(i);
    if (row.type === 'change') props.onOpen(row.change);
    else toggle(row.id);
  };

  const move = (to: number): void => {
    setCursor(to);
    virtualizer.scrollToIndex(to, { align: 'auto' });
  };

  /** The cursor to row `to`, opening it when it is a resource: the list and the diff show one and the same. */
  const openAt = (to: number): void => {
    const row = rows[to];
    if (!row) return;
    move(to);
    if (row.type === 'change') props.onOpen(row.change);
  };

  /** ←: from a resource to its kind; an open group folds; a folded kind goes to its namespace. */
  const foldOrUp = (i: number): void => {
    const row = rows[i];
    if (!row) return;
    if (row.type === 'change') move(step(rows, i, -1, (r) => r.type === 'kind'));
    else if (!row.collapsed) toggle(row.id, true);
    else if (row.type === 'kind') move(step(rows, i, -1, (r) => r.type === 'namespace'));
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const row = rows[cursor];
    switch (matchShortcut(e, 'tree')) {
      case 'next-change':
        openAt(step(rows, cursor, 1, isChange));
        break;
      case 'previous-change':
        openAt(step(rows, cursor, -1, isChange));
        break;
      case 'tree-first':
        openAt(step(rows, -1, 1, isChange));
        break;
      case 'tree-last':
        openAt(step(rows, rows.length, -1, isChange));
        break;
      case 'tree-open':
        activate(cursor);
        break;
      case 'tree-fold':
        foldOrUp(cursor);
        break;
      case 'tree-unfold':
        if (row && row.type !== 'change') toggle(row.id, false);
        break;
      default:
        return; // the page's keys (/, ?, n, p, Ctrl+Enter) go on to their handlers
    }
    e.preventDefault();
  };

  // The same keys from anywhere on the page (the diff, a button): they bring the focus back here.
  useShortcuts({
    'next-change': () => {
      openAt(step(rows, cursor, 1, isChange));
      scroller.current?.focus({ preventScroll: true });
    },
    'previous-change': () => {
      openAt(step(rows, cursor, -1, isChange));
      scroller.current?.focus({ preventScroll: true });
    },
    filter: () => {
      filterBox.current?.focus();
      filterBox.current?.select();
    },
  });

  const flip = (a: Action): void =>
    setActions((s) => {
      const next = new Set(s);
      if (next.has(a)) next.delete(a);
      else next.add(a);
      return next;
    });

  return (
    <div className="tree-pane">
      <div className="tree-filter">
        <input
          ref={filterBox}
          type="search"
          className="input"
          placeholder="Filter by name, kind or namespace  ( / )"
          aria-label="Filter resources"
          aria-keyshortcuts="/"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            const action = matchShortcut(e, 'filter');
            if (action === 'filter-clear') setText('');
            else if (action !== 'filter-accept') return;
            e.preventDefault();
            scroller.current?.focus({ preventScroll: true });
          }}
          data-testid="tree-filter"
        />
        <div className="chips" role="group" aria-label="Show actions">
          {ACTIONS.filter((a) => counts[a] > 0 || a !== 'error').map((a) => (
            <button
              key={a}
              type="button"
              className={`chip action-${a}${actions.has(a) ? ' on' : ''}`}
              aria-pressed={actions.has(a)}
              title={`${actions.has(a) ? 'Hide' : 'Show'} ${ACTION_LABEL[a]}`}
              data-testid={`chip-${a}`}
              onClick={() => flip(a)}
            >
              <span className="chip-symbol">{ACTION_SYMBOL[a]}</span> {counts[a]}
            </button>
          ))}
        </div>
      </div>
      <div
        className="tree"
        ref={scroller}
        role="tree"
        aria-label="Resources in the plan"
        tabIndex={0}
        data-testid="plan-tree"
        aria-activedescendant={rows[cursor] ? `row-${cursor}` : undefined}
        onKeyDown={onKeyDown}
      >
        {rows.length === 0 ? (
          <p className="tree-empty">{props.changes.length === 0 ? 'The plan has no resources.' : counts.noop === props.changes.length && !actions.has('noop') ? 'No changes. Show unchanged resources with =.' : 'No resource matches the filter.'}</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index]!;
              const common = {
                id: `row-${v.index}`,
                role: 'treeitem',
                className: `tree-row row-${row.type}${v.index === cursor ? ' cursor' : ''}${row.type === 'change' && row.id === marked ? ' selected' : ''}`,
                style: { position: 'absolute' as const, top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` },
                onClick: () => activate(v.index),
              };
              if (row.type === 'change') {
                const c = row.change;
                return (
                  <div {...common} key={row.id} aria-level={3} aria-selected={row.id === marked} data-key={keyLabel(c.key)} data-action={c.action} title={keyLabel(c.key)}>
                    <ActionBadge action={c.action} />
                    <span className="ellipsis">{c.key.name}</span>
                    {props.findings && <FindingBadge findings={findingsOf(props.findings, c)} />}
                    {c.flags.includes('dangerous') && (
                      <span className="warn-dot" title="dangerous">
                        ⚠
                      </span>
                    )}
                  </div>
                );
              }
              return (
                <div {...common} key={row.id} aria-level={row.type === 'namespace' ? 1 : 2} aria-expanded={!row.collapsed}>
                  <span className="twisty" aria-hidden="true">
                    {row.collapsed ? '▸' : '▾'}
                  </span>
                  <span className="ellipsis">{row.type === 'namespace' ? (row.namespace ?? 'Cluster-scoped') : row.kind}</span>
                  <span className="count">{row.count}</span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
