/**
 * What planning and applying take from the user's settings (and a front door's own choices):
 * tool paths, concurrency, timeouts, where materialized trees go. One mapping for the CLI and the UI.
 */
import type { ToolPaths } from '../render/tools.js';
import type { Settings } from './settings.js';

export interface EngineOptions {
  /** Where materialized kustomize/helm trees are kept. */
  readonly cacheDir: string;
  readonly tools?: ToolPaths;
  /** Parallel API calls while planning and applying. */
  readonly concurrency?: number;
  /** Give up on one API request after this long. */
  readonly requestTimeoutMs?: number;
  /** Wait at most this long for each object to become healthy; absent: per kind. */
  readonly healthTimeoutMs?: number;
}

/** The settings as engine options; explicit `tools` (tests) win over the settings' paths. */
export function engineOptions(settings: Settings, opts: { readonly cacheDir: string; readonly tools?: ToolPaths }): EngineOptions {
  const fromSettings = Object.fromEntries(Object.entries(settings.tools).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as ToolPaths;
  const tools = opts.tools ?? (Object.keys(fromSettings).length > 0 ? fromSettings : undefined);
  return {
    cacheDir: opts.cacheDir,
    ...(tools && { tools }),
    concurrency: settings.concurrency,
    ...(settings.timeouts.requestSeconds !== undefined && { requestTimeoutMs: settings.timeouts.requestSeconds * 1000 }),
    ...(settings.timeouts.healthSeconds !== undefined && { healthTimeoutMs: settings.timeouts.healthSeconds * 1000 }),
  };
}
