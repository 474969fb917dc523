/**
 * Why this change, from the history: the commits behind each change are listed since the commit
 * the app's last apply that applied everything (succeeded or progressing) to the same cluster
 * applied (core/plan/why).
 */
import type { History } from '../history/history.js';
import type { WhyOptions } from '../plan/ports.js';

/** WhyOptions whose base is the last apply the history recorded; without a history, each object's last commits. */
export function whyFromHistory(history: Pick<History, 'lastSucceededRun'> | undefined, opts: { readonly base?: string } = {}): WhyOptions {
  return {
    ...(opts.base !== undefined && { base: opts.base }),
    ...(history && {
      lastApplied: (query) => {
        const run = history.lastSucceededRun(query);
        return run && { runId: run.id, commit: run.commit };
      },
    }),
  };
}
