/**
 * Browser mode's transport: an HTTP server on loopback that serves the built renderer and the
 * engine's commands (`POST /api/<command>`), guarded by two random secrets. The one-time token
 * arrives in the URL the user opens; its first use is exchanged for a different session secret in
 * an HttpOnly, SameSite=Strict cookie, and the URL stops working (a copy of it in a shell history,
 * a log or a screenshot opens nothing). Every later request must carry the session secret. The
 * Host header is checked so a DNS-rebinding page cannot reach it, and the Origin header, when a
 * browser sends one, must be the server's own. The server itself logs nothing: neither secret is
 * ever written to a log, and no error message echoes a request's URL or headers.
 *
 * Commands go through `dispatch` (core/api/dispatch.ts), exactly as Electron IPC does: the JSON
 * body is validated with the command's schema (400 naming the field, never echoing its value),
 * engine failures answer 422 with `{ error: { code, message, hint?, location? } }`, bugs 500.
 *
 * Engine events (apply progress) go out on a WebSocket at `/api/events`: the upgrade passes the
 * same Host, Origin and token checks as every request, and then the engine only speaks (each
 * message one contract event as JSON, already validated by the event hub); anything the page
 * sends closes the socket.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { WebSocket, WebSocketServer } from 'ws';
import { commandForChannel, EVENTS_PATH, INVALID_REQUEST, UNKNOWN_COMMAND } from '../api/channels.js';
import type { EventSource } from '../api/events.js';
import type { CommandHandlers } from '../api/contract.js';
import type * as Dispatch from '../api/dispatch.js';

type DispatchModule = typeof Dispatch;

export interface EngineServerOptions {
  /** Directory with the built renderer (index.html and assets). */
  readonly staticDir: string;
  /** The engine's handlers, or their promise: the page can load while the engine's modules still load (commands wait for them). */
  readonly handlers: CommandHandlers | Promise<CommandHandlers>;
  /** Engine events for `/api/events` (or their promise, as handlers); without it the endpoint answers 404. */
  readonly events?: EventSource | Promise<EventSource>;
  /** The one-time token of the printed URL; defaults to 32 random bytes. */
  readonly token?: string;
  /** The session secret the cookie (or `Authorization: Bearer`) carries; defaults to 32 random bytes, never equal to the token. */
  readonly session?: string;
  /** Defaults to 0 (any free port). Always bound to 127.0.0.1. */
  readonly port?: number;
}

export interface RunningEngineServer {
  readonly server: Server;
  readonly port: number;
  /** The one-time token of `url`: valid until its first use. */
  readonly token: string;
  /** The address to open in a browser; carries the token, which works once. */
  readonly url: string;
  close(): Promise<void>;
}

const COOKIE = 'slipway_token';
/** Requests are small (paths, names, ids); anything bigger is refused before it is parsed. */
const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
const csp = (host: string): string =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self' ws://${host}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
/** Heartbeat on the event socket: a page that stops answering pings is dropped. */
const PING_MS = 30_000;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/** Why a request is refused before it reaches anything (Host, Origin, token), or undefined when it may pass. */
function refusal(req: IncomingMessage, port: number): { status: number; message: string } | undefined {
  const host = req.headers.host ?? '';
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return { status: 421, message: 'wrong Host header: the Slipway engine only answers on loopback' };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return { status: 403, message: 'foreign Origin: the Slipway engine only answers its own page' };
  return undefined;
}

function presentedToken(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return bearer ?? cookieToken(req);
}

const REASONS: Readonly<Record<number, string>> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request' };

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Refused'}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(message)}\r\nconnection: close\r\n\r\n${message}`);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        fail(new BodyError(413, `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** Parses a command's JSON body; an empty body is an empty request. */
async function commandBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new BodyError(415, 'send engine commands as application/json');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'the request body is not valid JSON');
  }
}

function statusFor(code: string): number {
  if (code === INVALID_REQUEST) return 400;
  if (code === 'internal') return 500;
  return 422;
}

export async function startEngineServer(opts: EngineServerOptions): Promise<RunningEngineServer> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const session = opts.session ?? randomBytes(32).toString('hex');
  if (session === token) throw new Error('the session secret must differ from the one-time token');
  /** Set by the first request that presents the URL's token: from then on the URL opens nothing. */
  let tokenUsed = false;
  const authorized = (req: IncomingMessage): boolean => {
    const presented = presentedToken(req);
    return presented !== undefined && sameToken(presented, session);
  };
  const root = resolve(opts.staticDir);
  let port = 0;
  // The contract's schemas (zod) and the WebSocket server are loaded after the server listens: the
  // address goes out without waiting for them, and the schemas are ready by the time the page asks.
  let dispatching: Promise<DispatchModule> | undefined;
  const dispatcher = (): Promise<DispatchModule> => (dispatching ??= import('../api/dispatch.js'));
  let socketServer: Promise<WebSocketServer> | undefined;
  const sockets = (): Promise<WebSocketServer> => (socketServer ??= import('ws').then(({ WebSocketServer: Server }) => new Server({ noServer: true, maxPayload: 1024, clientTracking: true })));

  const server = createServer((req, res) => {
    const refused = refusal(req, port);
    if (refused) return send(res, refused.status, refused.message);
    const host = req.headers.host ?? '';
    const url = new URL(req.url ?? '/', `http://${host}`);

    const given = url.searchParams.get('token');
    if (given !== null) {
      url.searchParams.delete('token');
      const location = `${url.pathname}${url.search}`;
      // A page that already holds the session (a reload of the printed address) just drops the token from the address bar.
      if (authorized(req)) {
        res.writeHead(303, { location, 'referrer-policy': 'no-referrer' });
        return res.end();
      }
      if (tokenUsed || !sameToken(given, token)) return send(res, 401, 'this address was already used, or its token is wrong: the address `slipway serve` prints works once; restart it for a new one');
      tokenUsed = true;
      res.writeHead(303, { location, 'set-cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`, 'referrer-policy': 'no-referrer' });
      return res.end();
    }
    if (!authorized(req)) return send(res, 401, 'not authorized: open the address `slipway serve` printed (it carries a one-time token)');

    if (url.pathname.startsWith('/api/')) {
      const name = url.pathname.slice('/api/'.length);
      if (req.method !== 'POST') return send(res, 405, 'use POST for engine commands');
      if (!commandForChannel(name)) return sendJson(res, 404, { error: { code: UNKNOWN_COMMAND, message: `unknown command: ${name}` } });
      commandBody(req)
        .then(async (body) => {
          const [{ dispatch }, handlers] = await Promise.all([dispatcher(), opts.handlers]);
          return dispatch(handlers, name, body);
        })
        .then(
          (reply) => (reply.ok ? sendJson(res, 200, reply.value) : sendJson(res, statusFor(reply.error.code), { error: reply.error })),
          (e: unknown) => {
            const status = e instanceof BodyError ? e.status : 500;
            sendJson(res, status, { error: { code: status === 500 ? 'internal' : INVALID_REQUEST, message: e instanceof Error ? e.message : String(e) } });
          },
        );
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'malformed path');
    }
    const rel = normalize(decoded).replace(/^([/\\])+/, '');
    let file = join(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'outside the app');
    try {
      if (!statSync(file).isFile()) file = join(root, 'index.html');
    } catch {
      file = join(root, 'index.html'); // client-side routes
    }
    try {
      statSync(file);
    } catch {
      return send(res, 500, `the renderer is not built (${file} missing): run \`npm run build\``);
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp(host),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    createReadStream(file).pipe(res);
  });

  // The event socket: same checks as every request, then one-way (engine → page).
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const refused = refusal(req, port);
    if (refused) return refuseUpgrade(socket, refused.status, refused.message);
    if (!authorized(req)) return refuseUpgrade(socket, 401, 'not authorized: open the address `slipway serve` printed');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== EVENTS_PATH || !opts.events) return refuseUpgrade(socket, 404, `no WebSocket at ${path}`);
    const events = opts.events;
    const upgrade = (wss: WebSocketServer): void => wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      let alive = true;
      let stop = (): void => undefined;
      Promise.resolve(events).then(
        (source) => {
          if (ws.readyState !== ws.OPEN) return;
          stop = source.subscribe((event) => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
          });
        },
        () => ws.close(1011, 'the engine did not start'),
      );
      const ping = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, PING_MS);
      ws.on('pong', () => (alive = true));
      ws.on('message', () => ws.close(1008, 'the event stream is one-way: send commands with POST /api/<command>'));
      ws.on('close', () => {
        clearInterval(ping);
        stop();
      });
      ws.on('error', () => ws.terminate());
    });
    void sockets().then(upgrade, () => socket.destroy());
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  void dispatcher().catch(() => undefined); // a failure to load answers each command 500, below
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise((ok) => {
        void socketServer?.then((wss) => {
          for (const ws of wss.clients) ws.terminate();
          wss.close();
        });
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
