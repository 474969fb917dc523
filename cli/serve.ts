/**
 * slipway serve: the engine with its HTTP and WebSocket server on loopback, serving the built UI
 * (cli/commands/serve.ts defines the flags). It runs until SIGINT or SIGTERM.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import type { Startup } from '../core/api/contract.js';
import { startParsePool } from '../core/manifest/parse-pool.js';
import { useUserDiskCache } from '../core/disk-cache/user-cache.js';
import { startEngineServer } from '../core/server/http.js';
import { SLIPWAY_VERSION } from '../core/version.js';
import type { ServeFlags, StartupFlags } from './commands/serve.js';

/** The built renderer: next to dist/cli when running the build, under dist/ when running from sources. */
export function rendererDir(): string {
  for (const rel of ['../renderer/', '../dist/renderer/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  throw new Error('the renderer is not built: run `npm run build` first');
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

/** How long after the address is printed the parse workers start. */
const PARSE_POOL_DELAY_MS = 3000;

export async function runServe(opts: ServeFlags): Promise<void> {
  // The engine's first plans after a start read what earlier processes parsed, listed and discovered.
  useUserDiskCache();
  const startup = startupOf(opts);
  // The address goes out before the engine's modules are loaded (~0.5 s of compiling on a small
  // machine): the browser loads and runs the page meanwhile, and its first commands wait for them.
  const handlers = import('../core/api/handlers.js').then(({ createHandlers }) => createHandlers({ transport: 'http', startup }));
  const events = handlers.then((h) => h.events);
  // A failure to load is reported once, below, when the server is up; until then it is not "unhandled".
  handlers.catch(() => undefined);
  events.catch(() => undefined);
  const running = await startEngineServer({ staticDir: rendererDir(), handlers, events, port: opts.port });
  console.log(`Slipway ${SLIPWAY_VERSION} is serving on http://127.0.0.1:${running.port}`);
  console.log(`Open this address in your browser (it carries a one-time token and works once): ${running.url}`);
  // A long-lived engine parses large revisions on every core. The workers start a little after the
  // address is out: each loads the parser (~0.3 s of CPU), which on a 2-core machine delayed the
  // address and then the browser's first screen by ~0.3 s each; the first plan comes later than that
  // (and, should it not, parses on this thread).
  setTimeout(startParsePool, PARSE_POOL_DELAY_MS).unref();
  // The engine failing to load is a broken install: say so and stop, rather than serve a page whose commands all fail.
  handlers.catch((e: unknown) => {
    console.error(`slipway serve: the engine did not load: ${e instanceof Error ? e.message : String(e)}`);
    void running.close().then(() => process.exit(1));
  });
  const stop = (): void => void Promise.all([running.close(), handlers.then((h) => h.close())]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
