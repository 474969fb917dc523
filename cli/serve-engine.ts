/**
 * slipway serve's engine, loaded when it is first needed. Its modules are megabytes of JavaScript
 * (~0.5–1 s of CPU to compile and run on a small machine, during which the event loop answers
 * nothing); the first screen's commands (engine info, the start-up choices, the settings:
 * core/api/first-screen.ts) need none of them. So those are answered without it, and the engine
 * starts loading a moment (`settleMs`) after another command asks for it — the page asks for the
 * kubeconfig contexts together with the first screen's commands, which are answered meanwhile — or
 * when serve itself asks (a repository to open at start, a timer). While the browser opens the page
 * and runs its JavaScript, the engine's compiling no longer competes with it for the CPU. Commands
 * that need the engine wait for it; event sockets opened earlier subscribe when it comes.
 */
import { COMMAND_IDS, type CommandId } from '../core/api/channels.js';
import type { CommandHandlers } from '../core/api/contract.js';
import type { EventSource } from '../core/api/events.js';
import type { EngineHandlers } from '../core/api/handlers.js';

export interface DeferredEngine {
  /** Every command: those of `first` without the engine, the others when it has loaded (asking one loads it). */
  readonly handlers: CommandHandlers;
  /** The engine's events once it has loaded; rejected if it fails to load. Subscribing does not load it. */
  readonly events: Promise<EventSource>;
  /** Starts loading the engine now, once; its promise. */
  load(): Promise<EngineHandlers>;
  /** The engine's promise if it started loading, else undefined (nothing to close). */
  started(): Promise<EngineHandlers> | undefined;
}

export interface DeferredEngineOptions {
  /** The commands answered without the engine (or their promise: should it fail, the engine answers them). */
  readonly first: Partial<CommandHandlers> | Promise<Partial<CommandHandlers>>;
  /** Loads the engine; called once. */
  readonly load: () => Promise<EngineHandlers>;
  /** How long after the first command that needs the engine it starts loading (default 0). */
  readonly settleMs?: number;
}

type AnyHandler = (request: unknown) => Promise<unknown>;

export function deferredEngine(opts: DeferredEngineOptions): DeferredEngine {
  let loading: Promise<EngineHandlers> | undefined;
  let soon: Promise<EngineHandlers> | undefined;
  let settle: { ok: (e: EventSource) => void; fail: (e: unknown) => void } | undefined;
  const events = new Promise<EventSource>((ok, fail) => (settle = { ok, fail }));
  // A failure to load is reported by whoever asked for the engine; an unused events promise is not "unhandled".
  events.catch(() => undefined);
  const load = (): Promise<EngineHandlers> => {
    if (!loading) {
      // Called from a command or a timer, never inside the caller's own stack frame: a failure is a rejection, not a throw.
      loading = Promise.resolve().then(opts.load);
      loading.then(
        (h) => settle?.ok(h.events),
        (e: unknown) => settle?.fail(e),
      );
    }
    return loading;
  };
  const loadSoon = (): Promise<EngineHandlers> => loading ?? (soon ??= new Promise((ok) => setTimeout(ok, opts.settleMs ?? 0)).then(load));
  const firstScreen: Promise<Partial<CommandHandlers>> = Promise.resolve(opts.first).catch(() => ({}));
  const handlers: Partial<Record<CommandId, AnyHandler>> = {};
  for (const id of COMMAND_IDS) {
    handlers[id] = async (request) => {
      const given = (await firstScreen)[id] as AnyHandler | undefined;
      return (given ?? ((await loadSoon())[id] as AnyHandler))(request);
    };
  }
  return { handlers: handlers as unknown as CommandHandlers, events, load, started: () => loading };
}
