/**
 * The browser-mode event stream: `/api/events` upgrades only with the token, the right Host and
 * our own Origin, then carries the engine's validated events one way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createEventHub, type EventHub } from '../api/events.js';
import { createHandlers, type EngineHandlers } from '../api/handlers.js';
import type { EngineEvent } from '../api/contract.js';
import { startEngineServer, type RunningEngineServer } from './http.js';

let srv: RunningEngineServer;
let handlers: EngineHandlers;
let hub: EventHub;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-events-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Slipway</title>');
  handlers = createHandlers({ transport: 'http', historyPath: join(dir, 'history.db'), settingsPath: join(dir, 'settings.json') });
  hub = createEventHub();
  srv = await startEngineServer({ staticDir: dir, handlers, events: hub, token: 'url-t0ken', session: 't0ken' });
});
afterAll(async () => {
  await srv.close();
  await handlers.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens the event socket with the given headers; resolves with the socket, or the HTTP status it was refused with. */
function connect(headers: Record<string, string>, path = '/api/events'): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}${path}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once('error', (e) => reject(e));
  });
}

const ok = (): Record<string, string> => ({ host: `127.0.0.1:${srv.port}`, origin: `http://127.0.0.1:${srv.port}`, cookie: 'slipway_token=t0ken' });
const event: EngineEvent = { type: 'apply-object', runId: 'run-1', step: 0, key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, state: 'waiting', message: '0 of 1 updated replicas are available' };

describe('engine event WebSocket', () => {
  it('carries validated events to a page with the token cookie, and drops events outside the contract', async () => {
    const r = await connect(ok());
    if (!('ws' in r)) throw new Error(`refused with ${r.status}`);
    const received: unknown[] = [];
    r.ws.on('message', (m: Buffer) => received.push(JSON.parse(m.toString())));
    hub.publish({ ...event, state: 'exploded' } as unknown as EngineEvent);
    hub.publish(event);
    hub.publish({ type: 'apply-finished', runId: 'run-1', status: 'succeeded', elapsedMs: 1200 });
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual([event, { type: 'apply-finished', runId: 'run-1', status: 'succeeded', elapsedMs: 1200 }]);
    r.ws.close();
  });

  it('closes the socket when the page sends anything: the stream is one-way', async () => {
    const r = await connect(ok());
    if (!('ws' in r)) throw new Error(`refused with ${r.status}`);
    const closed = new Promise<number>((resolve) => r.ws.once('close', (code) => resolve(code)));
    r.ws.send('{"type":"apply","planId":"x"}');
    expect(await closed).toBe(1008);
  });

  it.each([
    ['no token', { cookie: '' }, 401],
    ['a wrong token', { cookie: 'slipway_token=nope' }, 401],
    ['a foreign Origin', { origin: 'https://evil.example' }, 403],
    ['a rebinding Host', { host: 'evil.example' }, 421],
    ['a Host on another port', { host: '127.0.0.1:1' }, 421],
  ])('refuses the upgrade with %s', async (_what, change, status) => {
    expect(await connect({ ...ok(), ...change })).toEqual({ status });
  });

  it('refuses other WebSocket paths', async () => {
    expect(await connect(ok(), '/api/plan')).toEqual({ status: 404 });
  });

  it('lets the page allow the socket in its Content-Security-Policy', async () => {
    const res = await fetch(`http://127.0.0.1:${srv.port}/`, { headers: { cookie: 'slipway_token=t0ken' } });
    expect(res.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://127.0.0.1:${srv.port}`);
  });
});
