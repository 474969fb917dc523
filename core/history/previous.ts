/** Which earlier run a run built on: what undoing it (a revert) goes back to. */
import { appliedEverything } from '../model/run.js';
import type { History } from './history.js';
import type { RunRecord } from './types.js';

/** The latest run of the same app that applied everything to the same cluster and started before `run`, or undefined. */
export function lastAppliedBefore(history: Pick<History, 'runsOfApp'>, run: RunRecord): RunRecord | undefined {
  let cursor: string | undefined;
  do {
    const page = history.runsOfApp({ repo: run.repo, app: run.app.name, limit: 100, ...(cursor && { before: cursor }) });
    const found = page.items.find((r) => appliedEverything(r.status) && r.cluster.uid === run.cluster.uid && r.startedAt < run.startedAt);
    if (found) return found;
    cursor = page.next;
  } while (cursor);
  return undefined;
}
