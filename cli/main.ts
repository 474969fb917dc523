/**
 * `slipway` — the command-line front door to the engine. Later issues add plan, apply, history
 * and rollback; every command is a thin view over core/.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import type { Startup } from '../core/api/contract.js';
import { createHandlers } from '../core/api/handlers.js';
import { startParsePool } from '../core/manifest/parse-pool.js';
import { startEngineServer } from '../core/server/http.js';
import { SLIPWAY_VERSION } from '../core/version.js';
import { registerApply } from './apply.js';
import { registerApps } from './apps.js';
import { addRevOption } from './common.js';
import { registerContexts, registerDiff } from './diff.js';
import { registerLogs } from './logs.js';
import { registerPlan } from './plan.js';
import { registerRender } from './render.js';
import { registerWatch } from './watch.js';
import { registerStatus } from './status.js';

/** The built renderer: next to dist/cli when running the build, under dist/ when running from sources. */
export function rendererDir(): string {
  for (const rel of ['../renderer/', '../dist/renderer/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error('the renderer is not built: run `npm run build` first');
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number between 0 and 65535');
  return n;
}

interface StartupFlags {
  repo?: string;
  app?: string;
  rev?: string;
  context?: string;
}

/** What the page opens first; a relative repository path is taken from where `serve` was started. */
export function startupOf(flags: StartupFlags): Startup {
  if ((flags.app !== undefined || flags.rev !== undefined) && flags.repo === undefined) throw new InvalidArgumentError('--app and --rev need --repo (the repository they belong to)');
  return {
    ...(flags.repo !== undefined && { repository: /^~(\/|$)/.test(flags.repo) ? flags.repo : resolve(flags.repo) }),
    ...(flags.app !== undefined && { app: flags.app }),
    ...(flags.rev !== undefined && { rev: flags.rev }),
    ...(flags.context !== undefined && { context: flags.context }),
  };
}

export function buildProgram(): Command {
  const program = new Command('slipway')
    .description('Terraform-style plan / apply for Kubernetes: a reviewable plan from any Git revision, safe apply, local history and rollback.')
    .version(SLIPWAY_VERSION, '-v, --version', 'print the Slipway version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError()
    .addHelpText('after', '\nDocumentation: README.md in the Slipway repository.');

  registerApps(program);
  registerRender(program);
  registerPlan(program);
  registerDiff(program);
  registerApply(program);
  registerStatus(program);
  registerContexts(program);
  registerLogs(program);
  registerWatch(program);

  const serve = program
    .command('serve')
    .description('run the engine with the UI in a browser (loopback only, guarded by a one-time token)')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, 0)
    .option('--repo <path>', 'open this repository (a folder inside it) when the page loads')
    .option('--app <name>', 'with --repo: pick this app of the repository');
  addRevOption(serve, 'with --repo: pick this branch, tag or commit (default: the current branch)')
    .option('--context <name>', 'pick this kubeconfig context')
    .action(async (opts: { port: number } & StartupFlags) => {
      const handlers = createHandlers({ transport: 'http', startup: startupOf(opts) });
      startParsePool(); // a long-lived engine: parse large revisions on every core
      const running = await startEngineServer({ staticDir: rendererDir(), handlers, events: handlers.events, port: opts.port });
      console.log(`Slipway ${SLIPWAY_VERSION} is serving on http://127.0.0.1:${running.port}`);
      console.log(`Open this address in your browser (it carries a one-time token and works once): ${running.url}`);
      const stop = (): void => void Promise.all([running.close(), handlers.close()]).then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  await program.parseAsync([...argv]);
}
