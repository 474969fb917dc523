/**
 * Commits named as a reviewer knows them ("v1.2.0 · storefront: scale up (3f2a9c1)", the engine's
 * describeRevisions): the provider asks once for the commits on screen, batched, in the repository
 * the workspace has open; a CommitLabel shows the short id until the name arrives, and keeps it for
 * a commit of another repository. New tags (another refs key) make it ask again. Where a label does
 * not fit (a button), useCommitName gives the commit's newest tag alone ("v1.2.0").
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { RevisionList } from '../../../core/api/contract.js';
import { useHost } from '../host.js';

const WORKING = ':working';
/** The engine takes at most this many commits per request. */
const BATCH = 200;
const isCommit = (c: string): boolean => /^[0-9a-f]{40}$/.test(c);

interface Source {
  readonly repoId: string;
  /** Changes when the repository's tags do. */
  readonly refs: string;
}

/** What the engine said of a commit: its label, and its tags (newest version first). */
interface Named {
  readonly label: string;
  readonly tags: readonly string[];
}

interface Labels {
  readonly labels: ReadonlyMap<string, Named>;
  readonly want: (commit: string) => void;
  readonly setSource: (source: Source | null) => void;
}

const LabelsContext = createContext<Labels | null>(null);

/** What names commits: one per window, around the workspace. */
export function RevisionLabelsProvider(props: { children: ReactNode }): React.JSX.Element {
  const host = useHost();
  const [labels, setLabels] = useState<ReadonlyMap<string, Named>>(() => new Map());
  const source = useRef<Source | null>(null);
  const shown = useRef(new Set<string>());
  const queued = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useCallback(() => {
    timer.current = null;
    const from = source.current;
    if (!from || queued.current.size === 0) return;
    const commits = [...queued.current];
    queued.current = new Set();
    for (let i = 0; i < commits.length; i += BATCH) {
      host.describeRevisions({ repoId: from.repoId, commits: commits.slice(i, i + BATCH) }).then(
        (r) => r.revisions.length > 0 && setLabels((m) => new Map([...m, ...r.revisions.map((d) => [d.commit, { label: d.label, tags: d.tags }] as const)])),
        () => undefined, // unnamed: the short id stays
      );
    }
  }, [host]);
  const ask = useCallback(
    (commits: Iterable<string>) => {
      for (const c of commits) queued.current.add(c);
      timer.current ??= setTimeout(flush, 0);
    },
    [flush],
  );
  const want = useCallback(
    (commit: string) => {
      if (!isCommit(commit) || shown.current.has(commit)) return;
      shown.current.add(commit);
      ask([commit]);
    },
    [ask],
  );
  const setSource = useCallback(
    (next: Source | null) => {
      const before = source.current;
      source.current = next;
      // Another repository or new tags: every commit on screen is asked for again.
      if (next && (before?.repoId !== next.repoId || before.refs !== next.refs)) ask(shown.current);
    },
    [ask],
  );
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const value = useMemo(() => ({ labels, want, setSource }), [labels, want, setSource]);
  return <LabelsContext.Provider value={value}>{props.children}</LabelsContext.Provider>;
}

/** The tags of a revision list, as a key: it changes when a tag is added, moved or deleted. */
export function tagsKey(list: RevisionList | null): string {
  return list ? list.tags.map((t) => `${t.fullName}@${t.oid}`).join(',') : '';
}

/** Names commits of this repository from now on (the workspace calls it with the open repository). */
export function useRevisionLabelSource(repoId: string | null, revisions: RevisionList | null): void {
  const setSource = useContext(LabelsContext)?.setSource;
  const refs = tagsKey(revisions);
  useEffect(() => setSource?.(repoId ? { repoId, refs } : null), [setSource, repoId, refs]);
}

function useNamed(commit: string): Named | undefined {
  const ctx = useContext(LabelsContext);
  const want = ctx?.want;
  useEffect(() => want?.(commit), [want, commit]);
  return ctx?.labels.get(commit);
}

/** "v1.2.0 · storefront: scale up (3f2a9c1)", the short id until the engine answers, "working copy" for the working copy. */
export function useCommitLabel(commit: string): string {
  const named = useNamed(commit);
  if (commit === WORKING) return 'working copy';
  return named?.label ?? commit.slice(0, 7);
}

/** The commit's newest tag ("v1.2.0") where a whole label does not fit; the short id when it has none (or until the engine answers). */
export function useCommitName(commit: string): string {
  const named = useNamed(commit);
  if (commit === WORKING) return 'working copy';
  return named?.tags[0] ?? commit.slice(0, 7);
}

export function CommitLabel(props: { commit: string }): React.JSX.Element {
  const label = useCommitLabel(props.commit);
  return (
    <span className="commit-label" data-testid="commit-label" data-commit={props.commit} title={props.commit === WORKING ? undefined : props.commit}>
      {label}
    </span>
  );
}
