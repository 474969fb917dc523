/** What the flags that change what a plan means for one run (cli/commands/options.ts: -n, --prune, --create-namespace, --adopt) ask the engine for. */
import type { PlanRequest } from '../core/plan/service.js';
import type { AppOverrides } from '../core/source/apps.js';
import type { AppFlags, OverrideFlags } from './commands/options.js';
import { selectionOf, treesCacheDir } from './common.js';

export function overridesOf(flags: OverrideFlags): AppOverrides {
  return { ...(flags.namespace !== undefined && { namespace: flags.namespace }), ...(flags.prune && { prune: true }), ...(flags.createNamespace && { createNamespace: true }) };
}

/** The app as an engine request reads it (status, logs, plan): revision, selection, overrides, cache, request timeout. */
export function appReadOf(flags: AppFlags & OverrideFlags & { requestTimeout?: number }): Pick<PlanRequest, 'rev' | 'selection' | 'overrides' | 'cacheDir' | 'requestTimeoutMs'> {
  return {
    rev: flags.rev,
    selection: selectionOf(flags),
    overrides: overridesOf(flags),
    cacheDir: treesCacheDir(),
    ...(flags.requestTimeout !== undefined && { requestTimeoutMs: flags.requestTimeout }),
  };
}

/** What `plan` and `apply` (without a saved plan) ask planApp for, from the same flags. */
export function planRequestOf(flags: AppFlags & OverrideFlags & { requestTimeout?: number }): Pick<PlanRequest, 'rev' | 'selection' | 'overrides' | 'adopt' | 'cacheDir' | 'requestTimeoutMs'> {
  return { ...appReadOf(flags), ...(flags.adopt && { adopt: true }) };
}
