import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../api/handlers.js';
import { startEngineServer, type RunningEngineServer } from './http.js';

let srv: RunningEngineServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Slipway</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'outside');
  srv = await startEngineServer({ staticDir: dir, handlers: createHandlers({ transport: 'http' }), token: 't0ken' });
});
afterAll(() => srv.close());

/** Raw HTTP so the Host header and paths are sent exactly as given. */
function call(path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${srv.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const auth = { authorization: 'Bearer t0ken' };

describe('engine HTTP server', () => {
  it('binds to loopback only and prints a URL carrying the token', () => {
    expect(srv.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/?token=t0ken`);
  });

  it('moves the token from the URL into an HttpOnly SameSite cookie', async () => {
    const r = await call('/?token=t0ken');
    expect(r.status).toBe(303);
    expect(r.headers['set-cookie']).toEqual(['slipway_token=t0ken; HttpOnly; SameSite=Strict; Path=/']);
    expect((await call('/', { headers: { cookie: 'slipway_token=t0ken' } })).status).toBe(200);
  });

  it.each([
    ['no token', '/', {}],
    ['a wrong cookie', '/', { cookie: 'slipway_token=nope' }],
    ['a wrong bearer', '/api/engine-info', { authorization: 'Bearer nope' }],
    ['a wrong URL token', '/?token=nope', {}],
  ])('refuses requests with %s', async (_what, path, headers) => {
    expect((await call(path, { headers, method: path.startsWith('/api') ? 'POST' : 'GET' })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await call('/', { headers: { ...auth, host: `evil.example:${srv.port}` } })).status).toBe(421);
  });

  it('answers engine commands over POST', async () => {
    const r = await call('/api/engine-info', { method: 'POST', headers: auth });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ transport: 'http', platform: process.platform });
    expect((await call('/api/engine-info', { headers: auth })).status).toBe(405);
    expect((await call('/api/rm-rf', { method: 'POST', headers: auth })).status).toBe(404);
  });

  it('serves the renderer with a CSP, falls back to index.html, and never leaves its directory', async () => {
    const js = await call('/assets/app.js', { headers: auth });
    expect(js).toMatchObject({ status: 200, body: 'console.log(1)' });
    expect(js.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect((await call('/history/42', { headers: auth })).body).toContain('<title>Slipway</title>');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await call(path, { headers: auth });
      expect(r.body).not.toContain('outside');
    }
  });
});
