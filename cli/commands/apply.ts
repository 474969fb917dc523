/**
 * slipway apply | rollback | revert: their flags (cli/apply.ts acts on them, loaded when one of
 * the commands runs).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { addAppOptions, addKubeconfigOption, addOverrideOptions, addRequestTimeoutOption, type AppFlags, type OverrideFlags } from './options.js';

export interface ApplyFlags extends AppFlags, OverrideFlags {
  context?: string;
  kubeconfig?: string;
  autoApprove?: boolean;
  /** The context name, typed ahead: the confirmation a protected app or context needs when there is no terminal. */
  confirmContext?: string;
  forceConflicts?: boolean;
  timeout?: number;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
  json?: boolean;
  color: boolean;
  history?: string;
  /** Deletes the plan marks confirm (Argo CD's Prune=confirm, Delete=confirm) are confirmed. */
  confirmPrune?: boolean;
  /** False with --no-children (apply only). */
  children?: boolean;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds greater than 0');
  return n;
}

function addPlanOptions(cmd: Command): Command {
  return addOverrideOptions(addRequestTimeoutOption(addKubeconfigOption(addAppOptions(cmd))))
    .option('--context <name>', 'kubeconfig context (default: the plan\'s, else the current context)')
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--confirm-context <name>', CONFIRM_CONTEXT_HELP)
    .option('--confirm-prune', CONFIRM_PRUNE_HELP)
    .option('--force-conflicts', 'take over fields other field managers own (server-side apply force)')
    .option('--timeout <seconds>', 'wait at most this long for each object to become healthy (default: per kind)', seconds)
    .option('--history <file>', 'history database (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--json', 'print the result as JSON')
    .option('--no-color', 'no ANSI colours');
}

const CONFIRM_PRUNE_HELP = 'confirm the deletes of objects that ask for it (Argo CD sync option Prune=confirm or Delete=confirm); without it apply refuses them, or asks on a terminal';

const CONFIRM_CONTEXT_HELP = 'the target context\'s name, typed ahead: a protected app or context (settings: protectedContexts) needs it even with --auto-approve when there is no terminal';

export function registerApply(program: Command): void {
  addPlanOptions(
    program
      .command('apply [plan-file]')
      .description('apply a saved plan exactly (plan.json), or plan with the given flags and apply after confirmation (an app of apps: the app, then each child app, each its own run)'),
  )
    .option('--no-children', 'apply the app only, not the child apps it defines (Argo CD Applications; Flux HelmReleases on a cluster without Flux)')
    .action(async (planFile: string | undefined, flags: ApplyFlags) => (await import('../apply.js')).runApplyCommand(planFile, flags));

  addPlanOptions(
    program
      .command('rollback')
      .description('plan the app at the commit of an earlier apply (or any revision) against the cluster, show it, and apply it after confirmation')
      .requiredOption('--to <run-id|rev>', 'an apply run id from `slipway history`, or a revision'),
  ).action(async (flags: ApplyFlags & { to: string }) => (await import('../apply.js')).runRollback(flags));

  addRequestTimeoutOption(addKubeconfigOption(program
    .command('revert')
    .description('plan the exact undo of an earlier run (recreate what it deleted, delete what it created, restore what it updated), show it, apply after confirmation')
    .argument('<run-id>', 'the run to undo, from `slipway history`')))
    .option('--context <name>', 'kubeconfig context (default: the run\'s)')
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--confirm-context <name>', CONFIRM_CONTEXT_HELP)
    .option('--confirm-prune', CONFIRM_PRUNE_HELP)
    .option('--timeout <seconds>', 'wait at most this long for each object to become healthy', seconds)
    .option('--history <file>', 'history database (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--json', 'print the result as JSON')
    .option('--no-color', 'no ANSI colours')
    .action(async (runId: string, flags: ApplyFlags) => (await import('../apply.js')).runRevert(runId, flags));
}
