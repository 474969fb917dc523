/**
 * HostApi implementations. Components receive one through HostContext and never ask which
 * transport they run on; only main.tsx chooses.
 *
 * - httpHost: browser mode, `POST /api/<channel>` with a JSON body (the session cookie rides along).
 * - electronHost: the preload's named functions (window.slipway), which answer { ok, value | error }.
 * - memoryHost: canned handlers, for component tests and demos.
 *
 * Every failure rejects with an EngineError carrying the engine's code, message, hint and location.
 */
import { createContext, useContext } from 'react';
import type { COMMAND_CHANNELS, CommandId, EngineErrorInfo, HostApi, Reply } from '../../core/api/contract.js';

/**
 * The wire names of the commands. The renderer may not import the engine's runtime code, so they
 * are repeated here; the type makes the compiler check every name against the contract.
 */
export const CHANNELS: typeof COMMAND_CHANNELS = {
  engineInfo: 'engine-info',
  openRepository: 'open-repository',
  listRevisions: 'list-revisions',
  listApps: 'list-apps',
  listContexts: 'list-contexts',
  plan: 'plan',
};
const COMMAND_IDS = Object.keys(CHANNELS) as CommandId[];

/** A failure reported by the engine (or by the way to it), with the fields of a SlipwayError. */
export class EngineError extends Error implements EngineErrorInfo {
  readonly code: string;
  readonly hint?: string;
  readonly location?: EngineErrorInfo['location'];

  constructor(info: EngineErrorInfo) {
    super(info.message);
    this.name = 'EngineError';
    this.code = info.code;
    if (info.hint) this.hint = info.hint;
    if (info.location) this.location = info.location;
  }
}

/** Any thrown value as the fields the UI shows. */
export function errorInfo(err: unknown): EngineErrorInfo {
  if (err instanceof EngineError) return { code: err.code, message: err.message, ...(err.hint && { hint: err.hint }), ...(err.location && { location: err.location }) };
  if (err instanceof Error) return { code: 'ui-error', message: err.message };
  return { code: 'ui-error', message: String(err) };
}

/** Builds a HostApi from one function that sends a command and returns the engine's reply. */
function hostFrom(send: (id: CommandId, request: unknown) => Promise<Reply<unknown>>): HostApi {
  const entries = COMMAND_IDS.map((id) => [
    id,
    async (request?: unknown) => {
      const reply = await send(id, request ?? {});
      if (!reply.ok) throw new EngineError(reply.error);
      return reply.value;
    },
  ]);
  return Object.freeze(Object.fromEntries(entries)) as HostApi;
}

/** What the Electron preload exposes on window.slipway: one named function per command. */
export type PreloadBridge = { readonly [C in CommandId]: (request?: unknown) => Promise<unknown> };

declare global {
  interface Window {
    slipway?: PreloadBridge;
  }
}

function isReply(value: unknown): value is Reply<unknown> {
  return typeof value === 'object' && value !== null && 'ok' in value;
}

export function electronHost(bridge: PreloadBridge): HostApi {
  return hostFrom(async (id, request) => {
    const reply = await bridge[id](request);
    if (!isReply(reply)) throw new EngineError({ code: 'bad-reply', message: `the desktop shell answered ${CHANNELS[id]} with something that is not an engine reply` });
    return reply;
  });
}

export function httpHost(opts: { base?: string } = {}): HostApi {
  const base = opts.base ?? '';
  return hostFrom(async (id, request) => {
    let res: Response;
    try {
      res = await fetch(`${base}/api/${CHANNELS[id]}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      });
    } catch (err) {
      throw new EngineError({ code: 'engine-unreachable', message: `cannot reach the Slipway engine: ${err instanceof Error ? err.message : String(err)}`, hint: 'is `slipway serve` still running? Start it again and open the address it prints' });
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.ok) return { ok: true, value: body };
    const error = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined;
    if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) return { ok: false, error: error as EngineErrorInfo };
    if (res.status === 401) return { ok: false, error: { code: 'not-authorized', message: 'the engine no longer accepts this page', hint: 'open the address `slipway serve` printed again (it carries the session token)' } };
    return { ok: false, error: { code: `http-${res.status}`, message: `${CHANNELS[id]} failed (${res.status}): ${text.slice(0, 300)}` } };
  });
}

/** Canned handlers for component tests: commands not given reject with "not-implemented". */
export function memoryHost(impl: Partial<{ [C in CommandId]: (request: never) => unknown }>): HostApi {
  return hostFrom(async (id, request) => {
    const fn = impl[id] as ((r: unknown) => unknown) | undefined;
    if (!fn) return { ok: false, error: { code: 'not-implemented', message: `the in-memory host has no ${id}` } };
    try {
      return { ok: true, value: await fn(request) };
    } catch (err) {
      return { ok: false, error: errorInfo(err) };
    }
  });
}

export const HostContext = createContext<HostApi | null>(null);

export function useHost(): HostApi {
  const host = useContext(HostContext);
  if (!host) throw new Error('HostContext is missing: render the app inside <HostContext.Provider>');
  return host;
}
