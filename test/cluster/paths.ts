import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where slow-to-make things are kept between runs: built binaries and downloaded tools. Never required to exist. */
export function cacheDir(): string {
  if (process.env.SLIPWAY_CACHE_DIR) return process.env.SLIPWAY_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'slipway');
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where a running test cluster keeps its state (pids, ports, certificates, data, logs, kubeconfig). One per checkout. */
export function clusterDir(): string {
  return process.env.SLIPWAY_CLUSTER_DIR || join(repoRoot, '.cluster');
}
