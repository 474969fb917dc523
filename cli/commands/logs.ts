/** slipway logs: its flags (cli/logs.ts reads the logs, loaded when the command runs). */
import { InvalidArgumentError, type Command } from 'commander';
import { addAppOptions, addKubeconfigOption, addRequestTimeoutOption, namespaceName, parseDuration, type AppFlags, type OverrideFlags } from './options.js';

export interface LogsFlags extends AppFlags, Pick<OverrideFlags, 'namespace'> {
  context?: string;
  kubeconfig?: string;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
  pod?: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tail?: number;
  /** Milliseconds (--since). */
  since?: number;
  limitBytes?: number;
  timestamps?: boolean;
  prefix?: boolean;
}

function count(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

export function registerLogs(program: Command): void {
  addRequestTimeoutOption(addKubeconfigOption(addAppOptions(program
    .command('logs')
    .description("print or follow the logs of an app's Pods (every Pod of its workloads, each line prefixed [pod/<pod>/<container>]), or of one Pod"))))
    .option('-n, --namespace <namespace>', "the app's namespace (default: the app's destination, else the context's namespace)", namespaceName)
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--pod <name>', "one Pod (in -n, else the namespace of --app/--path, else the context's): its default container, or -c")
    .option('-c, --container <name>', 'only this container (default: every container of each Pod; with --pod, its default container)')
    .option('-f, --follow', 'keep printing as the containers write, until they stop or Ctrl-C')
    .option('--previous', "the containers' previous run (after a restart)")
    .option('--tail <lines>', 'only the last lines of each log (0: none, only new ones with -f)', count(0))
    .option('--since <duration>', 'only lines of the last while, e.g. 30s, 5m, 1h', parseDuration)
    .option('--limit-bytes <bytes>', 'stop each log after about this many bytes', count(1))
    .option('--timestamps', 'start each line with the time it was written (RFC 3339)')
    .option('--prefix', 'prefix each line with [pod/<pod>/<container>] also for one Pod')
    .action(async (flags: LogsFlags) => (await import('../logs.js')).runLogs(flags));
}
