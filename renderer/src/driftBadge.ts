/**
 * What the drift badge says about the chosen app on the chosen context, from its drift stream:
 * "Drift: 2 objects" (warning colour, the tooltip naming each object and its drifted fields, and
 * "Plan to fix drift"), "In sync", "Checking drift…" while the watches start, "Not applied here",
 * and "Reconnecting…" beside it while a watch has lost the cluster. Pure: DriftBadge.tsx draws it.
 */
import type { DriftReportInfo, ObjectDriftInfo } from '../../core/api/contract.js';
import { errorInfo } from './host.js';
import type { DriftState } from './workspace/useDrift.js';

export type DriftTone = 'drift' | 'ok' | 'muted';

export interface DriftBadgeView {
  readonly tone: DriftTone;
  readonly label: string;
  /** The tooltip, one line each. */
  readonly lines: readonly string[];
  /** "Plan to fix drift" is offered. */
  readonly fix: boolean;
  /** A watch is reconnecting: why (its last error); null while every watch is connected. */
  readonly reconnecting: string | null;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const objectName = (o: ObjectDriftInfo): string => `${o.key.kind} ${o.key.namespace ? `${o.key.namespace}/` : ''}${o.key.name}`;

function objectLine(o: ObjectDriftInfo): string {
  if (o.status === 'deleted') return `${objectName(o)}: deleted`;
  return `${objectName(o)}: ${o.paths.join(', ')}`;
}

function watching(report: DriftReportInfo): DriftBadgeView {
  const lost = report.watches.find((w) => w.phase === 'reconnecting');
  const reconnecting = lost ? (lost.reason ?? 'the connection to the cluster was lost') : null;
  const forbidden = report.watches.filter((w) => w.phase === 'forbidden').map((w) => `Cannot watch ${w.kind}${w.namespace ? ` in ${w.namespace}` : ''}: ${w.reason ?? 'forbidden'}`);
  const unknown = report.objects.filter((o) => o.status === 'unknown').map((o) => `${objectName(o)}: not compared (${o.reason ?? 'nothing to compare with'})`);
  const drifted = report.objects.filter((o) => o.status === 'drifted' || o.status === 'deleted');
  if (drifted.length > 0) return { tone: 'drift', label: `Drift: ${plural(drifted.length, 'object')}`, lines: [...drifted.map(objectLine), ...unknown, ...forbidden], fix: true, reconnecting };
  if (report.pending > 0 && forbidden.length === 0) return { tone: 'muted', label: 'Checking drift…', lines: [`${plural(report.pending, 'object')} not compared yet`], fix: false, reconnecting };
  const compared = report.objects.length - unknown.length;
  const summary = `${plural(compared, 'object')} as last applied${report.pending > 0 ? `; ${plural(report.pending, 'object')} not compared` : ''}`;
  return { tone: 'ok', label: 'In sync', lines: [summary, ...unknown, ...forbidden], fix: false, reconnecting };
}

/** The badge for a drift stream's state; null when there is nothing to say (no app or context chosen). */
export function driftBadge(state: DriftState): DriftBadgeView | null {
  const still = (label: string, lines: readonly string[]): DriftBadgeView => ({ tone: 'muted', label, lines, fix: false, reconnecting: null });
  switch (state.status) {
    case 'idle':
      return null;
    case 'starting':
      return still('Checking drift…', []);
    case 'failed':
      return still('Drift unknown', [errorInfo(state.error).message]);
    case 'live': {
      const { report, ended } = state;
      if (ended?.reason === 'failed') return still('Drift unknown', [ended.error?.message ?? 'the drift check stopped']);
      const view =
        report.state === 'not-applied'
          ? still('Not applied here', [report.message ?? `${report.app.name} was never applied to ${report.context}`])
          : report.state === 'applying'
            ? still('Applying…', [`drift is checked again when the apply of ${report.app.name} ends`])
            : watching(report);
      return ended ? { ...view, lines: [...view.lines, 'No longer kept current (too many drift checks open): choose the app again'] } : view;
    }
  }
}
