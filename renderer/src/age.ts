/**
 * Ages as kubectl prints them (apimachinery's duration.HumanDuration): "45s", "3m12s", "17m",
 * "2h5m", "20h", "3d4h", "40d", "1y20d". The live view counts them from the engine's clock: the
 * tree's `readAt` plus the time since the tree arrived (engineNow), so a skewed local clock does
 * not age everything.
 */

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

/** How long `ms` is, in kubectl's words; "0s" for a negative span (a clock a little ahead). */
export function humanDuration(ms: number): string {
  if (ms < 0 || Number.isNaN(ms)) return '0s';
  const s = Math.floor(ms / S);
  if (s < 120) return `${s}s`;
  const m = Math.floor(ms / M);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(ms / H);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(ms / D);
  if (h < 192) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 730) return `${d}d`;
  const y = Math.floor(ms / Y);
  if (y < 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

/** The age of the time `iso` at `nowMs`; "" when `iso` is not a time. */
export function ageOf(iso: string | undefined, nowMs: number): string {
  const t = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(t) ? '' : humanDuration(nowMs - t);
}

/** The engine's time now: when it read the tree, plus how long ago that answer arrived here. */
export function engineNow(readAt: string, receivedAt: number, localNow: number): number {
  const t = Date.parse(readAt);
  return Number.isNaN(t) ? localNow : t + Math.max(0, localNow - receivedAt);
}
