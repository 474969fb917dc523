/**
 * `slipway` — the command-line front door to the engine. Later issues add plan, apply, history
 * and rollback; every command is a thin view over core/.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { createHandlers } from '../core/api/handlers.js';
import { startEngineServer } from '../core/server/http.js';
import { SLIPWAY_VERSION } from '../core/version.js';
import { registerApply } from './apply.js';
import { registerContexts, registerDiff } from './diff.js';
import { registerPlan } from './plan.js';
import { registerRender } from './render.js';

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

export function buildProgram(): Command {
  const program = new Command('slipway')
    .description('Terraform-style plan / apply for Kubernetes: a reviewable plan from any Git revision, safe apply, local history and rollback.')
    .version(SLIPWAY_VERSION, '-v, --version', 'print the Slipway version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError()
    .addHelpText('after', '\nDocumentation: README.md in the Slipway repository.');

  registerRender(program);
  registerPlan(program);
  registerDiff(program);
  registerApply(program);
  registerContexts(program);

  program
    .command('serve')
    .description('run the engine with the UI in a browser (loopback only, guarded by a one-time token)')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0 picks a free one)', parsePort, 0)
    .action(async (opts: { port: number }) => {
      const handlers = createHandlers({ transport: 'http' });
      const running = await startEngineServer({ staticDir: rendererDir(), handlers, events: handlers.events, port: opts.port });
      console.log(`Slipway ${SLIPWAY_VERSION} is serving on http://127.0.0.1:${running.port}`);
      console.log(`Open this address in your browser (it carries the session token): ${running.url}`);
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
