/** Run ids and paging cursors. */
import { randomBytes } from 'node:crypto';
import { SlipwayError } from '../model/diagnostics.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** "run-20260412-153012-k3j9x2qa": sorts by start time (UTC, to the second), 40 random bits make it unique. */
export function newRunId(now: Date): string {
  const iso = now.toISOString(); // 2026-04-12T15:30:12.345Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  const rand = [...randomBytes(8)].map((b) => BASE32[b & 31]).join('');
  return `run-${stamp}-${rand}`;
}

export type CursorKind = 'runs' | 'results';

/** Opaque to callers: the kind of list and the position to continue below. */
export function encodeCursor(kind: CursorKind, position: number): string {
  return Buffer.from(`${kind}:${position}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: CursorKind, cursor: string | undefined): number {
  if (cursor === undefined) return Number.MAX_SAFE_INTEGER;
  const m = /^([a-z]+):([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m || m[1] !== kind) throw new SlipwayError('history-bad-cursor', `"${cursor}" is not a cursor of this list (${kind}): pass the "next" value of the previous page`);
  return Number(m[2]);
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function pageSize(limit: number | undefined): number {
  const n = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw new SlipwayError('history-bad-limit', `Page limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${n}`);
  return n;
}
