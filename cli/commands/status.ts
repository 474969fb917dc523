/** slipway status: its flags (cli/status.ts reads the live tree, loaded when the command runs). */
import { InvalidArgumentError, type Command } from 'commander';
import { addAppOptions, addKubeconfigOption, addRequestTimeoutOption, namespaceName, type AppFlags, type OverrideFlags } from './options.js';

export interface StatusFlags extends AppFlags, Pick<OverrideFlags, 'namespace'> {
  context?: string;
  kubeconfig?: string;
  json?: boolean;
  color: boolean;
  events: number;
  /** A path, or false with --no-history. */
  history?: string | false;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
}

function eventCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new InvalidArgumentError('expected a whole number from 0 to 1000');
  return n;
}

export function registerStatus(program: Command): void {
  addRequestTimeoutOption(addKubeconfigOption(addAppOptions(program
    .command('status')
    .description("show an app's live objects on a cluster context as a tree, with their health, why they are not fine, and the app's recent events")
    .addHelpText('after', `
Exit codes: 0 healthy; 2 progressing (or unknown: a kind could not be read); 3 degraded or
missing (a member is gone, or the app was never applied to this context); 1 error.`))))
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('-n, --namespace <namespace>', "the app's namespace, where its ApplySet is (default: the app's destination, else the context's namespace), as given to plan and apply", namespaceName)
    .option('--events <n>', 'show at most this many events, newest first', eventCount, 20)
    .option('--json', 'print the tree and the events as JSON')
    .option('--no-color', 'no ANSI colours (also when NO_COLOR is set or the output is not a terminal)')
    .option('--history <file>', 'history database: members the last apply left that are gone are shown missing (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--no-history', 'show only what the ApplySet holds now')
    .action(async (flags: StatusFlags) => (await import('../status.js')).runStatus(flags));
}
