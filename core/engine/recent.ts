/**
 * The start screen's recent repositories, kept in the settings file: the one opened or chosen in
 * goes first, with the app (or folder) last chosen in it, so opening it again picks that app.
 */
import { readSettings, writeSettings, type RecentRepository } from './settings.js';

export const MAX_RECENT = 10;

/** `entry` first; opened again without an app, a repository keeps the app it had. Pure. */
export function withRecent(list: readonly RecentRepository[], entry: RecentRepository): RecentRepository[] {
  const earlier = list.find((r) => r.dir === entry.dir);
  const choice = entry.app !== undefined || entry.path !== undefined ? entry : { ...entry, ...(earlier?.app !== undefined && { app: earlier.app }), ...(earlier?.path !== undefined && { path: earlier.path }) };
  return [{ dir: entry.dir, ...(choice.app !== undefined && { app: choice.app }), ...(choice.path !== undefined && { path: choice.path }) }, ...list.filter((r) => r.dir !== entry.dir)].slice(0, MAX_RECENT);
}

/** Writes `entry` first into the settings file and returns the list; a damaged file is never overwritten (its problem stands until the user saves). */
export function rememberRecent(file: string, entry: RecentRepository): RecentRepository[] {
  const loaded = readSettings(file);
  const list = withRecent(loaded.settings.recentRepositories ?? [], entry);
  if (loaded.problem) return list;
  writeSettings(file, { ...loaded.settings, recentRepositories: list });
  return list;
}
