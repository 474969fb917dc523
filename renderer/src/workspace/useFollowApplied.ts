/**
 * After a rollback or revert applied (succeeded, or progressing), the Revision and App fields show
 * what the cluster now runs, so the next Plan — in this context or another — plans that, not the
 * release that was rolled back. Other runs, and runs that failed or were cancelled, leave them.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { HostApi, Plan } from '../../../core/api/contract.js';
import { appliedTarget, revisionAt, type AppliedTarget, type PreviewRun } from '../appliedRevision.js';
import { sameSelection } from '../selection.js';
import type { Selection } from './useSelection.js';

const APPLIED = new Set(['succeeded', 'progressing']);

/** Returns what the workspace calls when the engine accepted an apply: its run, plan, and the History run a preview came from. */
export function useFollowApplied(host: HostApi, selection: Selection): (runId: string, plan: Plan, run: PreviewRun | undefined) => void {
  const expected = useRef(new Map<string, AppliedTarget>());
  const current = useRef(selection);
  useEffect(() => {
    current.current = selection;
  });

  useEffect(
    () =>
      host.onEvent((e) => {
        if (e.type !== 'apply-finished') return;
        const target = expected.current.get(e.runId);
        expected.current.delete(e.runId);
        const repo = current.current.repo;
        if (!target || !APPLIED.has(e.status) || !repo) return;
        // The list now (a tag made meanwhile counts), and the engine's name for a commit it does not list.
        void Promise.all([host.listRevisions({ repoId: repo.id }), host.describeRevisions({ repoId: repo.id, commits: [target.commit] }).catch(() => null)]).then(
          ([list, described]) => {
            const s = current.current;
            if (s.repo?.id !== repo.id) return;
            if (s.folderMode) s.setFolderMode(false);
            if (!sameSelection(s.app, target.app)) s.setApp(target.app);
            s.setRev(revisionAt(list, target.commit, described?.revisions[0]?.label));
          },
          () => undefined, // the repository went away: the fields stay
        );
      }),
    [host],
  );

  return useCallback((runId, plan, run) => {
    const target = appliedTarget(plan, run);
    if (target) expected.current.set(runId, target);
  }, []);
}
