/** slipway serve: its flags (cli/serve.ts starts the engine and its server, loaded when the command runs). */
import { InvalidArgumentError, type Command } from 'commander';
import { addRevOption } from './options.js';

/** What the page opens first (--repo, --app, --rev, --context). */
export interface StartupFlags {
  repo?: string;
  app?: string;
  rev?: string;
  context?: string;
}

export interface ServeFlags extends StartupFlags {
  port: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number between 0 and 65535');
  return n;
}

export function registerServe(program: Command): void {
  const serve = program
    .command('serve')
    .description('run the engine with the UI in a browser (loopback only, guarded by a one-time token)')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, 0)
    .option('--repo <path>', 'open this repository (a folder inside it) when the page loads')
    .option('--app <name>', 'with --repo: pick this app of the repository');
  addRevOption(serve, 'with --repo: pick this branch, tag or commit (default: the current branch)')
    .option('--context <name>', 'pick this kubeconfig context')
    .action(async (flags: ServeFlags) => (await import('../serve.js')).runServe(flags));
}
