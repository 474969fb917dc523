/** slipway watch: its flags (cli/watch.ts follows the app, loaded when the command runs). */
import type { Command } from 'commander';
import { addAppOptions, addKubeconfigOption, addRequestTimeoutOption, type AppFlags } from './options.js';

/** The exit code of --exit-on-drift when it finds drift (as plan --detailed-exitcode's 2: differences found). */
export const DRIFT_EXIT_CODE = 2;

export interface WatchFlags extends AppFlags {
  context?: string;
  kubeconfig?: string;
  history?: string;
  requestTimeout?: number;
  json?: boolean;
  exitOnDrift?: boolean;
}

export function registerWatch(program: Command): void {
  addRequestTimeoutOption(addKubeconfigOption(addAppOptions(program
    .command('watch')
    .description('follow an applied app on a context: print drift (fields changed since the last apply) and health changes as they happen, until Ctrl-C'))))
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--history <file>', 'history database that recorded the apply (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--json', 'print one JSON object per line')
    .option('--exit-on-drift', `exit ${DRIFT_EXIT_CODE} at the first drifted or deleted object, naming the drifted fields`)
    .action(async (flags: WatchFlags) => (await import('../watch.js')).runWatch(flags));
}
