/**
 * Where Slipway keeps its files, following each OS's conventions. SLIPWAY_DATA_DIR and
 * SLIPWAY_APP_CACHE_DIR override them (tests, portable installs).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

function platformDir(kind: 'data' | 'cache'): string {
  const home = homedir();
  if (process.platform === 'darwin') return kind === 'data' ? join(home, 'Library', 'Application Support', 'Slipway') : join(home, 'Library', 'Caches', 'Slipway');
  if (process.platform === 'win32') {
    const local = process.env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
    return kind === 'data' ? join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Slipway') : join(local, 'Slipway', 'Cache');
  }
  return kind === 'data' ? join(process.env.XDG_DATA_HOME || join(home, '.local', 'share'), 'slipway') : join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'slipway', 'app');
}

/** Durable per-user data: history database, settings. */
export function userDataDir(): string {
  return process.env.SLIPWAY_DATA_DIR || platformDir('data');
}

/** Rebuildable per-user cache: clones of remote repositories, materialized trees. */
export function userCacheDir(): string {
  return process.env.SLIPWAY_APP_CACHE_DIR || platformDir('cache');
}
