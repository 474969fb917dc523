/**
 * The disk cache of the front doors (the CLI, `slipway serve`, the desktop app): `cache.db` in the
 * user's cache folder, beside the materialized trees and the chart cache. SLIPWAY_DISK_CACHE=off
 * turns it off (a benchmark of a cold process, a read-only home). SLIPWAY_CACHE_STATS=<file>
 * writes, when the process exits, what it asked the cache and wrote to it, by namespace (JSON):
 * how tests and benchmarks see that a second process read instead of parsing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userCacheDir } from '../paths.js';
import { DiskCache } from './disk-cache.js';
import { useDiskCache } from './process.js';

export const DISK_CACHE_FILE = 'cache.db';

let opened = false;

/** Opens the user's disk cache for this process (once; later calls keep it). */
export function useUserDiskCache(env: NodeJS.ProcessEnv = process.env): void {
  if (opened || env.SLIPWAY_DISK_CACHE === 'off') return;
  opened = true;
  const cache = new DiskCache(join(userCacheDir(), DISK_CACHE_FILE));
  useDiskCache(cache);
  const statsFile = env.SLIPWAY_CACHE_STATS;
  if (statsFile) process.once('exit', () => writeFileSync(statsFile, `${JSON.stringify({ file: cache.file, available: cache.available, namespaces: cache.statistics() })}\n`));
}
