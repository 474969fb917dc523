/**
 * What the desktop notifications say, and when (issue 20 item 4): a decision table from what
 * happened — drift found, an apply that ended, a watched cluster unreachable or back — to a
 * notification's text or none, given the settings' switches and whether the window has the focus.
 * And the two small trackers that turn a stream of drift reports into those happenings: drift
 * notifies once per new set of drifted objects (not on every report), a cluster is unreachable
 * when a watch has been reconnecting for UNREACHABLE_AFTER_MS. Pure: notify.ts shows them.
 *
 * The text names the app, the context, the objects and their drifted field paths; a field path is
 * all a report carries of an object, so no Secret value can ever be in a notification.
 */
import type { DriftReportInfo, FinishStatus, ObjectDriftInfo, Settings } from '../../core/api/contract.js';

export type NotificationSettings = Settings['notifications'];

/** A notification to show: `tag` replaces an earlier one about the same thing. */
export interface Notice {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
}

interface About {
  readonly app: string;
  readonly context: string;
}

export type NotifyEvent =
  /** Objects drifted that were not drifted at the last drift notification: `objects` is every drifted object now. */
  | (About & { readonly kind: 'drift'; readonly objects: readonly ObjectDriftInfo[] })
  | (About & { readonly kind: 'apply-finished'; readonly status: FinishStatus })
  /** A watch of the context has been reconnecting for a while: `reason` is its last error. */
  | (About & { readonly kind: 'unreachable'; readonly reason?: string })
  /** Every watch of the context synced again after an `unreachable`. */
  | (About & { readonly kind: 'reachable' });

export interface NoticeContext {
  readonly settings: NotificationSettings;
  /** The window has the focus (document.hasFocus()). */
  readonly focused: boolean;
}

/** At most this many objects are named; the rest are counted. */
const MAX_OBJECTS = 5;

const FINISHED: Record<FinishStatus, string> = {
  succeeded: 'succeeded',
  progressing: 'ended with objects still progressing',
  failed: 'failed',
  cancelled: 'was cancelled',
  refused: 'was refused: another apply of the app was running',
};

const objectName = (o: ObjectDriftInfo): string => `${o.key.kind} ${o.key.namespace ? `${o.key.namespace}/` : ''}${o.key.name}`;
const objectLine = (o: ObjectDriftInfo): string => `${objectName(o)}: ${o.status === 'deleted' ? 'deleted' : o.paths.join(', ')}`;

function driftBody(objects: readonly ObjectDriftInfo[]): string {
  const lines = objects.slice(0, MAX_OBJECTS).map(objectLine);
  if (objects.length > MAX_OBJECTS) lines.push(`and ${objects.length - MAX_OBJECTS} more`);
  return lines.join('\n');
}

/** The decision table: the notification for what happened, or null (switched off, or not worth interrupting for). */
export function noticeFor(event: NotifyEvent, ctx: NoticeContext): Notice | null {
  const { app, context } = event;
  switch (event.kind) {
    case 'drift':
      if (!ctx.settings.drift || event.objects.length === 0) return null;
      return { title: `Drift in ${app} on ${context}`, body: driftBody(event.objects), tag: `drift:${app}@${context}` };
    case 'apply-finished':
      // In front of the window, the apply's progress view says it.
      if (!ctx.settings.applyFinished || ctx.focused) return null;
      return { title: `Apply of ${app} to ${context} ${event.status === 'succeeded' ? 'succeeded' : event.status === 'failed' ? 'failed' : 'ended'}`, body: `The apply of ${app} to ${context} ${FINISHED[event.status]}.`, tag: `apply:${app}@${context}` };
    case 'unreachable':
      if (!ctx.settings.unreachable) return null;
      return { title: `Cluster unreachable: ${context}`, body: `Slipway lost its watches of ${app} on ${context} and keeps reconnecting${event.reason ? `: ${event.reason}` : '.'}`, tag: `reach:${context}` };
    case 'reachable':
      if (!ctx.settings.unreachable) return null;
      return { title: `Cluster reachable again: ${context}`, body: `The watches of ${app} on ${context} are back; drift is checked again.`, tag: `reach:${context}` };
  }
}

// ── drift: once per new set of drifted objects ──────────────────────────────

const identity = (o: ObjectDriftInfo): string => `${o.key.group}|${o.key.kind}|${o.key.namespace ?? ''}|${o.key.name}`;
const isDrifted = (o: ObjectDriftInfo): boolean => o.status === 'drifted' || o.status === 'deleted';

/**
 * The next drift tracker state for a report, and the drift event to notify when some drifted
 * object was not in the set told last. `told`: the drifted objects at the last notification, kept
 * as they shrink (an object fixed and drifted again is news again). Only a watching report counts.
 */
export function driftStep(told: ReadonlySet<string>, report: DriftReportInfo): { told: ReadonlySet<string>; event?: NotifyEvent } {
  if (report.state !== 'watching') return { told };
  const drifted = report.objects.filter(isDrifted);
  const now = new Set(drifted.map(identity));
  const fresh = [...now].some((id) => !told.has(id));
  if (!fresh) return { told: new Set([...told].filter((id) => now.has(id))) };
  return { told: now, event: { kind: 'drift', app: report.app.name, context: report.context, objects: drifted } };
}

// ── reachability: reconnecting for a while, then back ───────────────────────

/** How long a watch reconnects before the cluster counts as unreachable. */
export const UNREACHABLE_AFTER_MS = 5000;

export interface ReachState {
  /** When a watch was first seen reconnecting (ms), null while none is. */
  readonly since: number | null;
  /** `unreachable` was told, and `reachable` is owed when the watches are back. */
  readonly told: boolean;
}

export const REACHABLE: ReachState = { since: null, told: false };

/**
 * The next reachability state for the report now (called with each report, and again when
 * UNREACHABLE_AFTER_MS has passed since `since`), with the event to notify, if any.
 */
export function reachStep(state: ReachState, report: DriftReportInfo, now: number): { state: ReachState; event?: NotifyEvent } {
  const about = { app: report.app.name, context: report.context };
  const lost = report.watches.find((w) => w.phase === 'reconnecting');
  if (report.state !== 'watching') return { state: REACHABLE };
  if (!lost) {
    const back = report.watches.length > 0 && report.watches.every((w) => w.phase === 'synced' || w.phase === 'forbidden');
    if (state.told && back) return { state: REACHABLE, event: { kind: 'reachable', ...about } };
    return { state: { since: null, told: state.told } };
  }
  const since = state.since ?? now;
  if (!state.told && now - since >= UNREACHABLE_AFTER_MS) return { state: { since, told: true }, event: { kind: 'unreachable', ...about, ...(lost.reason !== undefined && { reason: lost.reason }) } };
  return { state: { since, told: state.told } };
}
