/**
 * Which revision to plan: the working copy, a branch, a tag, or any commit of HEAD's history
 * (searchable by subject, author, id or ref name, a page at a time).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CommitSummary, RefSummary, RevisionList } from '../../../core/api/contract.js';
import { absoluteTime, relativeTime } from '../format.js';
import { errorInfo, useHost } from '../host.js';
import { Dropdown, useListKeys, useScrollActiveIntoView } from './Dropdown.js';
import { ErrorMessage } from './Errors.js';

export type RevisionKind = 'working-copy' | 'branch' | 'remote-branch' | 'tag' | 'commit';

export interface PickedRevision {
  /** What the engine resolves: ":working", "refs/heads/main", or a full commit id. */
  readonly rev: string;
  readonly kind: RevisionKind;
  /** "main", "v1.2.0", "a1b2c3d fix probes", "Working copy". */
  readonly label: string;
  /** The commit it points at (absent for the working copy of an empty repository). */
  readonly oid?: string;
}

export function pickRef(r: RefSummary): PickedRevision {
  return { rev: r.fullName, kind: r.kind, label: r.name, oid: r.oid };
}

export function pickCommit(c: CommitSummary): PickedRevision {
  return { rev: c.oid, kind: 'commit', label: `${c.shortOid} ${c.subject}`, oid: c.oid };
}

/** The revision a freshly opened repository starts on: its current branch, else HEAD's commit, else the working copy. */
export function defaultRevision(list: RevisionList): PickedRevision | null {
  const current = list.branches.find((b) => b.current);
  if (current) return pickRef(current);
  const head = list.commits[0];
  if (head) return pickCommit(head);
  return list.workingCopy ? { rev: list.workingCopy.rev, kind: 'working-copy', label: 'Working copy' } : null;
}

const KIND_ICON: Readonly<Record<RevisionKind, string>> = { 'working-copy': '✎', branch: '⎇', 'remote-branch': '⎇', tag: '◆', commit: '●' };

interface Item {
  readonly key: string;
  readonly section: string;
  readonly pick: PickedRevision;
  readonly title: string;
  readonly detail?: string;
  readonly refs?: readonly string[];
  readonly current?: boolean;
  readonly date?: string;
}

function itemsOf(list: RevisionList, commits: readonly CommitSummary[]): Item[] {
  const items: Item[] = [];
  if (list.workingCopy) {
    const head = list.workingCopy.head;
    items.push({
      key: 'wc',
      section: 'Working copy',
      pick: { rev: list.workingCopy.rev, kind: 'working-copy', label: 'Working copy', ...(head && { oid: head }) },
      title: 'Working copy',
      detail: head ? `uncommitted files on top of ${head.slice(0, 7)}` : 'uncommitted files',
    });
  }
  for (const [section, refs] of [
    ['Branches', list.branches],
    ['Remote branches', list.remoteBranches],
    ['Tags', list.tags],
  ] as const) {
    for (const r of refs) items.push({ key: `${r.kind}:${r.fullName}`, section, pick: pickRef(r), title: r.name, detail: r.oid.slice(0, 7), ...(r.current && { current: true }) });
  }
  for (const c of commits) {
    items.push({ key: `c:${c.oid}`, section: 'Commits', pick: pickCommit(c), title: c.subject || '(no subject)', detail: `${c.shortOid} · ${c.author.name}`, refs: c.refs, date: c.date });
  }
  return items;
}

export function RevisionPicker(props: { repoId: string; initial: RevisionList; value: PickedRevision | null; onChange: (r: PickedRevision) => void }): React.JSX.Element {
  const label = props.value ? (
    <>
      <span className="kind-icon" aria-hidden="true">
        {KIND_ICON[props.value.kind]}
      </span>
      <span className="ellipsis">{props.value.label}</span>
    </>
  ) : (
    'Pick a revision'
  );
  return (
    <Dropdown label={label} title={props.value ? `${props.value.label}${props.value.oid ? ` (${props.value.oid})` : ''}` : undefined} testId="revision-picker" width={460}>
      {(close) => (
        <RevisionMenu
          repoId={props.repoId}
          initial={props.initial}
          selected={props.value?.rev}
          onPick={(r) => {
            props.onChange(r);
            close();
          }}
        />
      )}
    </Dropdown>
  );
}

function RevisionMenu(props: { repoId: string; initial: RevisionList; selected: string | undefined; onPick: (r: PickedRevision) => void }): React.JSX.Element {
  const host = useHost();
  const [query, setQuery] = useState('');
  // The list the menu opens with: read again as it opens, so commits and tags made since show without searching.
  const [base, setBase] = useState<RevisionList>(props.initial);
  useEffect(() => setBase(props.initial), [props.initial]);
  useEffect(() => {
    let live = true;
    host.listRevisions({ repoId: props.repoId }).then(
      (fresh) => live && setBase(fresh),
      () => undefined, // the list it had stays
    );
    return () => {
      live = false;
    };
  }, [host, props.repoId]);
  const [list, setList] = useState<RevisionList>(props.initial);
  const [commits, setCommits] = useState<readonly CommitSummary[]>(props.initial.commits);
  const [next, setNext] = useState<string | undefined>(props.initial.next);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const listRef = useRef<HTMLUListElement>(null);

  // Search (debounced): refs are filtered by the engine too, so one answer fills every section.
  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      generation.current++;
      setList(base);
      setCommits(base.commits);
      setNext(base.next);
      setError(null);
      setLoading(false);
      return;
    }
    const mine = ++generation.current;
    setLoading(true);
    const timer = setTimeout(() => {
      host.listRevisions({ repoId: props.repoId, query: q }).then(
        (r) => {
          if (mine !== generation.current) return;
          setList(r);
          setCommits(r.commits);
          setNext(r.next);
          setError(null);
          setLoading(false);
        },
        (e: unknown) => {
          if (mine !== generation.current) return;
          setError(e);
          setLoading(false);
        },
      );
    }, 180);
    return () => clearTimeout(timer);
  }, [query, host, props.repoId, base]);

  const loadMore = (): void => {
    if (!next) return;
    const mine = ++generation.current;
    setLoading(true);
    const q = query.trim();
    host.listRevisions({ repoId: props.repoId, after: next, ...(q && { query: q }) }).then(
      (r) => {
        if (mine !== generation.current) return;
        setCommits((c) => [...c, ...r.commits]);
        setNext(r.next);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== generation.current) return;
        setError(e);
        setLoading(false);
      },
    );
  };

  const items = useMemo(() => {
    const all = itemsOf(list, commits);
    const q = query.trim().toLowerCase();
    // The working copy has no name the engine searches; keep it when the words match it.
    return q ? all.filter((i) => i.pick.kind !== 'working-copy' || 'working copy'.includes(q)) : all;
  }, [list, commits, query]);
  const keys = useListKeys(items.length, (i) => items[i] && props.onPick(items[i].pick), { letters: false });
  useScrollActiveIntoView(listRef, keys.active);
  const { setActive } = keys;
  useEffect(() => setActive(0), [query, setActive]);

  let lastSection = '';
  return (
    <div className="menu" data-testid="revision-menu">
      <input
        className="menu-search"
        data-testid="revision-search"
        placeholder="Filter branches, tags and commits (subject, author, id)…"
        aria-label="Filter revisions"
        value={query}
        autoFocus
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={keys.onKeyDown}
      />
      {error !== null && <ErrorMessage compact error={errorInfo(error)} />}
      <ul className="menu-list" role="listbox" aria-label="Revisions" ref={listRef}>
        {items.map((item, index) => {
          const header = item.section !== lastSection ? item.section : null;
          lastSection = item.section;
          return (
            <li key={item.key} role="presentation">
              {header && <div className="menu-section">{header}</div>}
              <div
                role="option"
                data-index={index}
                data-rev={item.pick.rev}
                aria-selected={index === keys.active}
                className={`menu-item${index === keys.active ? ' active' : ''}${item.pick.rev === props.selected ? ' selected' : ''}`}
                onMouseMove={() => keys.active !== index && setActive(index)}
                onClick={() => props.onPick(item.pick)}
              >
                <span className="kind-icon" aria-hidden="true">
                  {KIND_ICON[item.pick.kind]}
                </span>
                <span className="menu-item-main">
                  <span className="menu-item-title">
                    {item.title}
                    {item.current && <span className="pill">current</span>}
                    {item.refs?.map((r) => (
                      <span key={r} className="pill ref">
                        {r}
                      </span>
                    ))}
                  </span>
                  <span className="menu-item-detail">
                    {item.detail}
                    {item.date && (
                      <>
                        {' · '}
                        <time dateTime={item.date} title={absoluteTime(item.date)}>
                          {relativeTime(item.date)}
                        </time>
                      </>
                    )}
                  </span>
                </span>
              </div>
            </li>
          );
        })}
        {items.length === 0 && !loading && <li className="menu-empty">No revision matches “{query}”.</li>}
      </ul>
      <div className="menu-foot">
        {loading ? (
          <span className="muted" aria-busy="true">
            Loading…
          </span>
        ) : next ? (
          <button type="button" className="btn small" onClick={loadMore}>
            Load more commits
          </button>
        ) : (
          <span className="muted">{commits.length} commit{commits.length === 1 ? '' : 's'}</span>
        )}
      </div>
    </div>
  );
}
