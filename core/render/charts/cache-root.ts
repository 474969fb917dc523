/** Where charts are kept: beside the materialized trees (not inside: that folder evicts its entries by count). */
import { dirname, join } from 'node:path';
import { loadChartCredentials, type CredentialEntry } from './credentials.js';
import type { ResolveOptions } from './resolve.js';
import { ChartStore } from './store.js';
import type { ToolPaths } from '../tools.js';

export function chartCacheRoot(treesCacheDir: string): string {
  return join(dirname(treesCacheDir), 'charts');
}

/** Where charts with dependencies are copied to be given them, one folder per render, removed after. */
export function chartWorkRoot(treesCacheDir: string): string {
  return join(dirname(treesCacheDir), 'chart-work');
}

/** Credentials come from the file in settings (`tools.chartCredentialsFile`), else from $SLIPWAY_CHART_CREDENTIALS. */
export function resolveOptionsFor(opts: { cacheDir: string; tools?: ToolPaths; timeoutMs?: number }): Omit<ResolveOptions, 'pinned'> {
  let credentials: CredentialEntry[] | undefined;
  const file = opts.tools?.chartCredentialsFile;
  return {
    store: new ChartStore(chartCacheRoot(opts.cacheDir)),
    // Read only when a chart is fetched: a chart of the repository without remote dependencies never needs them.
    get credentials() {
      return (credentials ??= loadChartCredentials({ ...(file && { file }) }));
    },
    ...(opts.timeoutMs !== undefined && { timeoutMs: Math.min(opts.timeoutMs, 60_000) }),
  };
}
