/**
 * The workspace's desktop notifications: from the drift stream of the chosen app and context
 * (drift found once per new set of drifted objects; a watch reconnecting for UNREACHABLE_AFTER_MS,
 * and back) and from the engine's apply-finished events of the runs this window started. What to
 * say is notifications.ts's table, given the settings' switches and whether the window has the
 * focus; notify.ts shows it. While any switch is on, the permission to notify is asked once.
 */
import { useEffect, useRef } from 'react';
import type { HostApi, Plan } from '../../../core/api/contract.js';
import { driftStep, noticeFor, REACHABLE, reachStep, UNREACHABLE_AFTER_MS, type NotificationSettings, type NotifyEvent, type ReachState } from '../notifications.js';
import { askNotificationPermission, showNotice } from '../notify.js';
import type { DriftState } from './useDrift.js';

/** The settings' defaults, while the settings are not read (an unreadable file: the engine runs on them too). */
const DEFAULTS: NotificationSettings = { drift: true, applyFinished: true, unreachable: true };

export function useNotifications(host: Pick<HostApi, 'onEvent'>, drift: DriftState, planOf: (runId: string) => Plan | undefined, settings: NotificationSettings | undefined): void {
  const current = useRef({ settings: settings ?? DEFAULTS, planOf });
  current.current = { settings: settings ?? DEFAULTS, planOf };
  const told = useRef<{ key: string; ids: ReadonlySet<string> }>({ key: '', ids: new Set() });
  const reach = useRef<{ key: string; state: ReachState }>({ key: '', state: REACHABLE });

  const on = settings ?? DEFAULTS;
  const anyOn = on.drift || on.applyFinished || on.unreachable;
  useEffect(() => {
    if (anyOn) askNotificationPermission();
  }, [anyOn]);

  // An apply of this window that ends while the window is in the background.
  useEffect(
    () =>
      host.onEvent((e) => {
        if (e.type !== 'apply-finished') return;
        const plan = current.current.planOf(e.runId);
        if (plan) say({ kind: 'apply-finished', app: plan.inputs.app.name, context: plan.inputs.cluster?.context ?? '', status: e.status }, current.current.settings);
      }),
    [host],
  );

  // Drift and reachability, from each report of the stream.
  useEffect(() => {
    if (drift.status !== 'live' || drift.ended) return;
    const { report } = drift;
    const key = `${report.app.name}@${report.context}`;
    if (told.current.key !== key) told.current = { key, ids: new Set() };
    if (reach.current.key !== key) reach.current = { key, state: REACHABLE };
    const found = driftStep(told.current.ids, report);
    told.current.ids = found.told;
    if (found.event) say(found.event, current.current.settings);
    const check = (): void => {
      const next = reachStep(reach.current.state, report, Date.now());
      reach.current.state = next.state;
      if (next.event) say(next.event, current.current.settings);
    };
    check();
    const { since, told: unreachableTold } = reach.current.state;
    if (since === null || unreachableTold) return;
    // Still reconnecting then, with no report since: the cluster is unreachable.
    const timer = setTimeout(check, Math.max(0, since + UNREACHABLE_AFTER_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [drift]);
}

function say(event: NotifyEvent, settings: NotificationSettings): void {
  const notice = noticeFor(event, { settings, focused: document.hasFocus() });
  if (notice) showNotice(notice);
}
