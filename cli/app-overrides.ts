/** Flags that change what a plan means for one run: the app's namespace, prune, createNamespace, adoption. */
import { InvalidArgumentError, type Command } from 'commander';
import type { PlanRequest } from '../core/plan/service.js';
import type { AppOverrides } from '../core/source/apps.js';
import { selectionOf, treesCacheDir, type AppFlags } from './common.js';

export interface OverrideFlags {
  namespace?: string;
  prune?: boolean;
  createNamespace?: boolean;
  adopt?: boolean;
}

/** A namespace name as the API server accepts it (RFC 1123 label). */
export function namespaceName(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) throw new InvalidArgumentError('expected a namespace name: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
  return value;
}

export function addOverrideOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <namespace>', "the app's namespace: its ApplySet, Helm's release namespace and objects that name none (default: the app's destination, else the context's namespace)", namespaceName)
    .option('--prune', "delete objects of the app's own ApplySet that are no longer in the revision (as kubectl apply --prune; default: the app's prune option)")
    .option('--create-namespace', "create the app's namespace when it does not exist (it is not owned by the app, so never pruned)")
    .option('--adopt', "take over the app's ApplySet from the owner another app recorded, or the one an earlier Slipway version shared among apps of this name");
}

export function overridesOf(flags: OverrideFlags): AppOverrides {
  return { ...(flags.namespace !== undefined && { namespace: flags.namespace }), ...(flags.prune && { prune: true }), ...(flags.createNamespace && { createNamespace: true }) };
}

/** What `plan` and `apply` (without a saved plan) ask planApp for, from the same flags. */
export function planRequestOf(flags: AppFlags & OverrideFlags & { requestTimeout?: number }): Pick<PlanRequest, 'rev' | 'selection' | 'overrides' | 'adopt' | 'cacheDir' | 'requestTimeoutMs'> {
  return {
    rev: flags.rev,
    selection: selectionOf(flags),
    overrides: overridesOf(flags),
    ...(flags.adopt && { adopt: true }),
    cacheDir: treesCacheDir(),
    ...(flags.requestTimeout !== undefined && { requestTimeoutMs: flags.requestTimeout }),
  };
}
