/**
 * slipway plan: its flags (the plan is made by cli/plan.ts, loaded when the command runs). Exit
 * codes follow Terraform's --detailed-exitcode: 0 no changes, 1 error, 2 changes present.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { addAppOptions, addFormatOptions, addKubeconfigOption, addOverrideOptions, addRequestTimeoutOption, type AppFlags, type FormatFlags, type OverrideFlags } from './options.js';

export interface PlanFlags extends AppFlags, OverrideFlags, FormatFlags {
  context?: string;
  kubeconfig?: string;
  out?: string;
  detailedExitcode?: boolean;
  color: boolean;
  concurrency: number;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
  /** A path, or false with --no-history. */
  history?: string | false;
  /** False with --no-children. */
  children: boolean;
  why?: boolean;
  whySince?: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return n;
}

export function registerPlan(program: Command): void {
  addFormatOptions(addOverrideOptions(addRequestTimeoutOption(addKubeconfigOption(addAppOptions(program
    .command('plan')
    .description('show what applying a revision of an app to a cluster context would do (nothing is changed)'))))))
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--out <file>', 'also save the plan as JSON, to apply it later exactly (whatever --format prints)')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
    .option('--no-color', 'no ANSI colours (also when NO_COLOR is set or the output is not a terminal)')
    .option('--concurrency <n>', 'parallel dry-run calls to the API server', positiveInt, 16)
    .option('--history <file>', 'history database whose last successful apply lets unchanged objects skip their dry-run (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--no-history', 'dry-run every object, ignoring what earlier applies recorded')
    .option('--no-children', 'plan the app only, not the child apps it defines (Argo CD Applications; Flux HelmReleases on a cluster without Flux)')
    .option('--why', "list under each change the commits that changed its sources since the app's last apply to this cluster (from the history; else each object's last 20), and for plain YAML which lines of the after side each commit last changed")
    .option('--why-since <revision>', 'as --why, listing the commits since this revision (a branch, tag or commit) instead of the last apply')
    .action(async (flags: PlanFlags) => (await import('../plan.js')).runPlan(flags));
}
