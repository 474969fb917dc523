/**
 * The disk cache of the front doors (the CLI, `slipway serve`, the desktop app): `cache.db` in the
 * user's cache folder, beside the materialized trees and the chart cache. SLIPWAY_DISK_CACHE=off
 * turns it off (a benchmark of a cold process, a read-only home).
 */
import { join } from 'node:path';
import { userCacheDir } from '../paths.js';
import { DiskCache } from './disk-cache.js';
import { useDiskCache } from './process.js';

export const DISK_CACHE_FILE = 'cache.db';

/** Opens the user's disk cache for this process (once; later calls keep it). */
export function useUserDiskCache(env: NodeJS.ProcessEnv = process.env): void {
  if (opened || env.SLIPWAY_DISK_CACHE === 'off') return;
  opened = true;
  useDiskCache(new DiskCache(join(userCacheDir(), DISK_CACHE_FILE)));
}

let opened = false;
