/**
 * HostApi implementations. Components receive one through HostContext and never ask which
 * transport they run on; only main.tsx chooses.
 *
 * - httpHost: browser mode, `POST /api/<channel>` with a JSON body (the session cookie rides along);
 *   events on a WebSocket at /api/events, reconnecting while someone listens.
 * - electronHost: the preload's named functions (window.slipway), which answer { ok, value | error },
 *   and its `onEvent`.
 * - memoryHost: canned handlers, for component tests and demos.
 *
 * Every failure rejects with an EngineError carrying the engine's code, message, hint and location.
 */
import { createContext, useContext } from 'react';
import type { CommandId, EngineErrorInfo, EngineEvent, HostApi, HostCommands, Reply } from '../../core/api/contract.js';
// The wire names come from the engine's own list: channels.ts has no imports, so only those constants are bundled.
import { COMMAND_CHANNELS as CHANNELS, COMMAND_IDS, EVENTS_PATH as EVENTS } from '../../core/api/channels.js';

/** A failure reported by the engine (or by the way to it), with the fields of a SlipwayError. */
export class EngineError extends Error implements EngineErrorInfo {
  readonly code: string;
  readonly hint?: string;
  readonly location?: EngineErrorInfo['location'];
  readonly snippet?: EngineErrorInfo['snippet'];
  readonly output?: string;

  constructor(info: EngineErrorInfo) {
    super(info.message);
    this.name = 'EngineError';
    this.code = info.code;
    if (info.hint) this.hint = info.hint;
    if (info.location) this.location = info.location;
    if (info.snippet) this.snippet = info.snippet;
    if (info.output) this.output = info.output;
  }
}

/** Any thrown value as the fields the UI shows. */
export function errorInfo(err: unknown): EngineErrorInfo {
  if (err instanceof EngineError) return { code: err.code, message: err.message, ...(err.hint && { hint: err.hint }), ...(err.location && { location: err.location }), ...(err.snippet && { snippet: err.snippet }), ...(err.output && { output: err.output }) };
  if (err instanceof Error) return { code: 'ui-error', message: err.message };
  return { code: 'ui-error', message: String(err) };
}

type EventListener = (event: EngineEvent) => void;
type Subscribe = (listener: EventListener) => () => void;

/** A light check of what arrives on an event channel (the engine validated it with the contract's schema): an apply's event names its run, any other (a log stream's, a live tree's) its stream. */
export function isEngineEvent(value: unknown): value is EngineEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; runId?: unknown; streamId?: unknown };
  if (typeof v.type !== 'string') return false;
  if (v.type.startsWith('apply-')) return typeof v.runId === 'string';
  return typeof v.streamId === 'string';
}

/** Builds a HostApi from one function that sends a command and returns the engine's reply, and one that subscribes to events. */
function hostFrom(send: (id: CommandId, request: unknown) => Promise<Reply<unknown>>, onEvent: Subscribe): HostApi {
  const entries = COMMAND_IDS.map((id) => [
    id,
    async (request?: unknown) => {
      const reply = await send(id, request ?? {});
      if (!reply.ok) throw new EngineError(reply.error);
      return reply.value;
    },
  ]);
  return Object.freeze({ ...(Object.fromEntries(entries) as HostCommands), onEvent });
}

/** What the Electron preload exposes on window.slipway: one named function per command, and the event subscription. */
export type PreloadBridge = { readonly [C in CommandId]: (request?: unknown) => Promise<unknown> } & {
  readonly onEvent: (listener: (event: unknown) => void) => () => void;
};

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
  }, (listener) => bridge.onEvent((e) => isEngineEvent(e) && listener(e)));
}

/**
 * One WebSocket for all listeners of a page, opened with the first and closed with the last;
 * it reconnects (1 s, 2 s, … up to 10 s) while anyone listens. The session cookie authorizes it.
 */
function webSocketEvents(base: string): Subscribe {
  const listeners = new Set<EventListener>();
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let delay = 1000;
  const url = (): string => {
    const origin = base ? new URL(base, location.href) : new URL(location.href);
    return `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}${EVENTS}`;
  };
  const connect = (): void => {
    retry = null;
    const ws = new WebSocket(url());
    socket = ws;
    ws.onopen = () => (delay = 1000);
    ws.onmessage = (m) => {
      let event: unknown;
      try {
        event = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (isEngineEvent(event)) for (const l of [...listeners]) l(event);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (listeners.size > 0) {
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 10_000);
      }
    };
  };
  return (listener) => {
    listeners.add(listener);
    if (!socket && !retry) connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      if (retry) clearTimeout(retry);
      retry = null;
      const ws = socket;
      socket = null;
      ws?.close();
    };
  };
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
  }, webSocketEvents(base));
}

/** Canned handlers for component tests: commands not given reject with "not-implemented"; `emit` sends an event to the page. */
export function memoryHost(impl: Partial<{ [C in CommandId]: (request: never) => unknown }>): HostApi & { emit(event: EngineEvent): void } {
  const listeners = new Set<EventListener>();
  const host = hostFrom(async (id, request) => {
    const fn = impl[id] as ((r: unknown) => unknown) | undefined;
    if (!fn) return { ok: false, error: { code: 'not-implemented', message: `the in-memory host has no ${id}` } };
    try {
      return { ok: true, value: await fn(request) };
    } catch (err) {
      return { ok: false, error: errorInfo(err) };
    }
  }, (listener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  });
  return { ...host, emit: (event) => listeners.forEach((l) => l(event)) };
}

export const HostContext = createContext<HostApi | null>(null);

export function useHost(): HostApi {
  const host = useContext(HostContext);
  if (!host) throw new Error('HostContext is missing: render the app inside <HostContext.Provider>');
  return host;
}
