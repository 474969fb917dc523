/** slipway history: its flags (cli/history.ts reads the history, loaded when the command runs). */
import type { Command } from 'commander';

export interface HistoryFlags {
  repo: string;
  app?: string;
  context?: string;
  resource?: string;
  namespace?: string;
  limit: number;
  history?: string;
  json?: boolean;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('list apply runs of an app or a context, or show one run with its objects')
    .argument('[run-id]', 'show this run in detail')
    .option('--repo <path>', 'with --app: the repository', '.')
    .option('--app <name>', 'runs of this app')
    .option('--context <name>', 'runs against this context')
    .option('--resource <kind[.group]/name>', 'who changed this object, when, from which commit (Kind as Kubernetes spells it, e.g. Deployment.apps/web)')
    .option('-n, --namespace <ns>', 'with --resource: the object\'s namespace')
    .option('--limit <n>', 'how many runs', (v) => Number(v), 20)
    .option('--history <file>', 'history database (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--json', 'print JSON')
    .action(async (runId: string | undefined, flags: HistoryFlags) => (await import('../history.js')).runHistory(runId, flags));
}
