/**
 * The engine's drift (core/engine/app-watch.ts) as the contract's drift report: the same objects
 * and counts in plain (mutable) arrays, each watch with its phase (and why it is reconnecting or
 * forbidden), and the two reports without a watch — the app was never applied to the context, or
 * an apply of it runs. Field paths only: nothing here reads an object's values.
 */
import type { DriftReport } from '../engine/app-watch.js';
import type { DriftReportInfo } from './contract.js';

/** What a report is about. */
export interface DriftSubject {
  readonly app: { readonly name: string; readonly path: string };
  readonly context: string;
  readonly server?: string;
}

const about = (s: DriftSubject): Pick<DriftReportInfo, 'app' | 'context' | 'server'> => ({ app: { name: s.app.name, path: s.app.path }, context: s.context, ...(s.server !== undefined && { server: s.server }) });

export function watchingReport(subject: DriftSubject, report: DriftReport): DriftReportInfo {
  return {
    ...about(subject),
    state: 'watching',
    objects: report.objects.map((o) => ({
      key: { ...o.key },
      status: o.status,
      paths: [...o.paths],
      ...(o.reason !== undefined && { reason: o.reason }),
      applied: { runId: o.applied.runId, at: o.applied.at },
      since: o.since,
    })),
    drifted: report.drifted,
    pending: report.pending,
    watches: report.watches.map((w) => ({
      key: w.key,
      group: w.group,
      kind: w.kind,
      ...(w.namespace !== undefined && { namespace: w.namespace }),
      phase: w.state.phase,
      ...('reason' in w.state && { reason: w.state.reason }),
    })),
  };
}

/** Nothing to compare with: the history has no apply of the app to this cluster (`message` says so). */
export function notAppliedReport(subject: DriftSubject, message: string): DriftReportInfo {
  return { ...about(subject), state: 'not-applied', message, objects: [], drifted: 0, pending: 0, watches: [] };
}

/** An apply of the app to the context runs: drift is checked again from what it leaves. */
export function applyingReport(subject: DriftSubject): DriftReportInfo {
  return { ...about(subject), state: 'applying', objects: [], drifted: 0, pending: 0, watches: [] };
}
