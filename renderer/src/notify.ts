/**
 * Desktop notifications through the Web Notification API: in Electron's renderer it shows the
 * system's native notification, in browser mode the browser's. The only effect of notifications:
 * what to say, and whether to say it at all, is notifications.ts's decision.
 */
import type { Notice } from './notifications.js';

const api = (): typeof Notification | undefined => (typeof Notification === 'undefined' ? undefined : Notification);

/** Asks once whether Slipway may show notifications (nothing when the answer is known already, or there is no API). */
export function askNotificationPermission(): void {
  const n = api();
  if (!n || n.permission !== 'default') return;
  n.requestPermission().catch(() => undefined);
}

/** Shows the notice when notifications are allowed; false when they are not (denied, not asked yet, no API). */
export function showNotice(notice: Notice): boolean {
  const n = api();
  if (!n || n.permission !== 'granted') return false;
  new n(notice.title, { body: notice.body, tag: notice.tag });
  return true;
}
