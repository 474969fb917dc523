/**
 * What to do after a failed (or cancelled) apply, as Argo CD's "Rollback" and Helm's `rollback`
 * offer it: roll the app back to its last good run on this context, or revert exactly what this run
 * changed — each through a plan preview (History's "Roll back to this" and "Revert this"). The
 * runs come from the contract's `listRuns`; the engine finishes a run in its history just after the
 * run's last event, so a run still `running` there is asked for again a moment later.
 */
import { useEffect, useState } from 'react';
import type { HostApi, RunSummary } from '../../core/api/contract.js';

/** Run statuses that left the app in a good state (every object applied; `progressing` waits only on something outside the app). */
const GOOD_STATUSES: ReadonlySet<RunSummary['status']> = new Set(['succeeded', 'progressing']);
/** Run kinds whose commit is the state they left (a revert's commit is the one it undid). */
const ROLLBACK_KINDS: ReadonlySet<RunSummary['kind']> = new Set(['apply', 'rollback']);

export interface Recovery {
  /** This run as history has it, finished: what "Revert this run" plans the undo of. */
  readonly run?: RunSummary;
  /** The newest earlier run of the same app on the same context that ended well, at a commit (not the working copy). */
  readonly lastGood?: RunSummary;
}

/** This run and its app's last good run before it, from runs newest first (one context's). */
export function recoveryOf(runs: readonly RunSummary[], runId: string): Recovery {
  const at = runs.findIndex((r) => r.id === runId);
  const run = runs[at];
  if (!run) return {};
  const lastGood = runs
    .slice(at + 1)
    .find((r) => r.repo === run.repo && r.app.name === run.app.name && r.cluster.context === run.cluster.context && GOOD_STATUSES.has(r.status) && ROLLBACK_KINDS.has(r.kind) && r.commit !== ':working');
  return { run, ...(lastGood && { lastGood }) };
}

/** Tries, and the pause between them, while history still shows the run running. */
const TRIES = 10;
const RETRY_MS = 300;

/**
 * The recovery of run `runId` on `context` once `ended` (failed or cancelled): undefined while it
 * is read; `{}` when history cannot say (then only "Back to the plan" is offered).
 */
export function useRecovery(host: Pick<HostApi, 'listRuns'>, runId: string, context: string | undefined, ended: boolean): Recovery | undefined {
  const [recovery, setRecovery] = useState<Recovery | undefined>(undefined);
  useEffect(() => {
    if (!ended || context === undefined) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = (left: number): void => {
      host.listRuns({ context, limit: 100 }).then(
        ({ runs }) => {
          if (!live) return;
          const found = recoveryOf(runs, runId);
          if (found.run?.status === 'running' && left > 1) timer = setTimeout(() => ask(left - 1), RETRY_MS);
          else setRecovery(found.run?.status === 'running' ? (found.lastGood ? { lastGood: found.lastGood } : {}) : found);
        },
        () => live && setRecovery({}),
      );
    };
    ask(TRIES);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [host, runId, context, ended]);
  return ended ? recovery : undefined;
}
