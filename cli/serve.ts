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
import { startEngineServer } from '../core/server/http.js';
import { SLIPWAY_VERSION } from '../core/version.js';
import type { ServeFlags, StartupFlags } from './commands/serve.js';
import { deferredEngine } from './serve-engine.js';

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
/** How long after the address is printed the engine loads if no command asked for it first (a page asks at once). */
const ENGINE_LOAD_DELAY_MS = 5000;
/**
 * How long after the first command that needs the engine it starts loading: the page asks for the
 * contexts together with the first screen's commands, which are answered meanwhile (loading the
 * engine blocks the event loop for as long as it compiles).
 */
const ENGINE_SETTLE_MS = 150;

export async function runServe(opts: ServeFlags): Promise<void> {
  const startup = startupOf(opts);
  // The address goes out before the engine's modules are loaded, and they load only when a command
  // other than the first screen's asks for them (serve-engine.ts): the browser loads and runs the
  // page meanwhile without the engine's compiling beside it on the CPU. The first screen's commands
  // load the settings' schema, after the address too.
  const first = import('../core/api/first-screen.js').then(async ({ firstScreenHandlers }) => {
    const { defaultSettingsPath } = await import('../core/engine/settings.js');
    return firstScreenHandlers({ transport: 'http', startup, nativeFolderDialog: false, settingsPath: defaultSettingsPath() });
  });
  const engine = deferredEngine({
    first,
    settleMs: ENGINE_SETTLE_MS,
    load: async () => {
      const loading = (async () => {
        // The engine's first plans after a start read what earlier processes parsed, listed and discovered.
        (await import('../core/disk-cache/user-cache.js')).useUserDiskCache();
        const { createHandlers } = await import('../core/api/handlers.js');
        return createHandlers({ transport: 'http', startup });
      })();
      // The engine failing to load is a broken install: say so and stop, rather than serve a page whose commands all fail.
      loading.catch((e: unknown) => {
        console.error(`slipway serve: the engine did not load: ${e instanceof Error ? e.message : String(e)}`);
        void running.close().then(() => process.exit(1));
      });
      return loading;
    },
  });
  const running = await startEngineServer({ staticDir: rendererDir(), handlers: engine.handlers, events: engine.events, port: opts.port });
  console.log(`Slipway ${SLIPWAY_VERSION} is serving on http://127.0.0.1:${running.port}`);
  console.log(`Open this address in your browser (it carries a one-time token and works once): ${running.url}`);
  // With a repository to open at start the page asks for it at once: the engine loads now. Else
  // when a command asks, or a little later (still before anyone could type a path).
  const loadEngine = (): void => void engine.load().catch(() => undefined); // reported above
  if (startup.repository !== undefined) loadEngine();
  else setTimeout(loadEngine, ENGINE_LOAD_DELAY_MS).unref();
  // A long-lived engine parses large revisions on every core. The workers start a little after the
  // address is out: each loads the parser (~0.3 s of CPU), which on a 2-core machine delayed the
  // address and then the browser's first screen by ~0.3 s each; the first plan comes later than that
  // (and, should it not, parses on this thread).
  setTimeout(startParsePool, PARSE_POOL_DELAY_MS).unref();
  const stop = (): void => void Promise.all([running.close(), engine.started()?.then((h) => h.close(), () => undefined)]).then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
