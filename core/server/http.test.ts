import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createEventHub } from '../api/events.js';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { createHandlers, type EngineHandlers } from '../api/handlers.js';
import { startEngineServer, type RunningEngineServer } from './http.js';

let srv: RunningEngineServer;
let handlers: EngineHandlers;
let repo: TestRepo;
let kubeconfig: string;
/** Credentials in the test kubeconfig: they must never come back from the engine. */
const SECRET_TOKEN = 'sk-test-token-5f1e0c9a7b3d';
const SECRET_KEY_DATA = 'c2VjcmV0LWtleS1kYXRhLTk5OTk=';

beforeAll(async () => {
  repo = createTestRepo({ prefix: 'slipway-http-' });
  repo.write({ 'slipway.yaml': 'apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: shop, context: kind-dev}\n', 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' });
  repo.commit('first: web app');
  repo.write({ 'apps/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' });
  repo.commit('second: rename the config map');
  repo.tag('v1.0.0');
  kubeconfig = join(repo.dir, '..', `${repo.dir.split('/').pop()}-kubeconfig.yaml`);
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: {server: 'https://prod.example:6443'}
users:
  - name: admin
    user: {token: ${SECRET_TOKEN}, client-key-data: ${SECRET_KEY_DATA}}
contexts:
  - name: prod-admin
    context: {cluster: prod, user: admin, namespace: shop}
current-context: prod-admin
`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'slipway-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Slipway</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'outside');
  handlers = createHandlers({ transport: 'http' });
  srv = await startEngineServer({ staticDir: dir, handlers, token: 'url-t0ken', session: 't0ken' });
});
afterAll(async () => {
  await srv.close();
  await handlers.close();
  repo.cleanup();
  rmSync(kubeconfig, { force: true });
});

/** Raw HTTP so the Host header and paths are sent exactly as given. */
function call(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${srv.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const auth = { authorization: 'Bearer t0ken' };

describe('engine HTTP server', () => {
  it('binds to loopback only and prints a URL carrying the token', () => {
    expect(srv.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/?token=url-t0ken`);
  });

  it('exchanges the one-time token of the URL for a different session secret in an HttpOnly SameSite cookie; the URL then opens nothing', async () => {
    const r = await call('/?token=url-t0ken');
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/');
    expect(r.headers['set-cookie']).toEqual(['slipway_token=t0ken; HttpOnly; SameSite=Strict; Path=/']);
    expect((await call('/', { headers: { cookie: 'slipway_token=t0ken' } })).status).toBe(200);
    // Used once: the same address no longer authenticates, and the URL token is not a session.
    const again = await call('/?token=url-t0ken');
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body).toContain('already used');
    expect((await call('/', { headers: { cookie: 'slipway_token=url-t0ken' } })).status).toBe(401);
    expect((await call('/api/engine-info', { method: 'POST', headers: { authorization: 'Bearer url-t0ken' } })).status).toBe(401);
    // A reload of the printed address by the page that holds the session just drops the token.
    const reload = await call('/history?token=url-t0ken&run=r1', { headers: { cookie: 'slipway_token=t0ken' } });
    expect(reload.status).toBe(303);
    expect(reload.headers.location).toBe('/history?run=r1');
    expect(reload.headers['set-cookie']).toBeUndefined();
  });

  it('refuses to start with a session secret equal to the token', async () => {
    await expect(startEngineServer({ staticDir: tmpdir(), handlers, token: 'same', session: 'same' })).rejects.toThrow(/differ/);
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

/** POST /api/<channel> with a JSON body, parsed. */
async function command(channel: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; body: string }> {
  const r = await call(`/api/${channel}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  let json: unknown;
  try {
    json = JSON.parse(r.body);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, body: r.body };
}

describe('engine commands over HTTP', () => {
  it('checks the Origin header when a browser sends one', async () => {
    expect((await command('engine-info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await command('engine-info', {}, { origin: 'null' })).status).toBe(403);
    expect((await command('engine-info', {}, { origin: `http://127.0.0.1:${srv.port + 1}` })).status).toBe(403);
    expect((await command('engine-info', {}, { origin: `http://127.0.0.1:${srv.port}` })).status).toBe(200);
  });

  it.each([
    ['a field of the wrong type', 'open-repository', { path: 42 }, 'path'],
    ['a missing field', 'list-apps', { repoId: 'r' }, 'rev'],
    ['an unknown field', 'list-contexts', { password: 'hunter2-value' }, 'password'],
    ['a bad cursor', 'list-revisions', { repoId: 'r', after: 'sk-secret-not-an-oid' }, 'after'],
    ['both app and path', 'plan', { repoId: 'r', rev: 'main', context: 'c', app: 'web', path: 'apps/web' }, 'app'],
    ['neither app nor path', 'plan', { repoId: 'r', rev: 'main', context: 'c' }, 'app'],
  ])('answers 400 naming the field for %s, without echoing values', async (_what, channel, body, field) => {
    const r = await command(channel, body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'invalid-request' } });
    expect((r.json as { error: { message: string } }).error.message).toContain(field);
    for (const value of Object.values(body)) if (typeof value === 'string' && value.length > 6) expect(r.body).not.toContain(value);
  });

  it('refuses bodies that are not JSON', async () => {
    expect((await call('/api/engine-info', { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'x=1' })).status).toBe(415);
    expect((await call('/api/engine-info', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{nope' })).status).toBe(400);
  });

  it('opens a repository and lists its branches, tags, commits and working copy', async () => {
    const opened = await command('open-repository', { path: join(repo.dir, 'apps') });
    expect(opened.status).toBe(200);
    const { id, dir, name } = opened.json as { id: string; dir: string; name: string };
    expect({ dir, name }).toEqual({ dir: repo.dir, name: repo.dir.split('/').pop() });
    expect((await command('open-repository', { path: repo.dir })).json).toMatchObject({ id }); // same folder, same id

    const list = (await command('list-revisions', { repoId: id })).json as Record<string, unknown>;
    expect(list).toMatchObject({
      branches: [{ kind: 'branch', name: 'main', fullName: 'refs/heads/main', current: true }],
      tags: [{ kind: 'tag', name: 'v1.0.0', fullName: 'refs/tags/v1.0.0' }],
      remoteBranches: [],
      workingCopy: { rev: ':working' },
      commits: [
        { subject: 'second: rename the config map', author: { name: 'Ada Lovelace', email: 'ada@example.com' }, refs: ['main', 'v1.0.0'] },
        { subject: 'first: web app', refs: [] },
      ],
    });
    const commits = list.commits as Array<{ oid: string; shortOid: string; date: string }>;
    expect(commits[0]!.shortOid).toBe(commits[0]!.oid.slice(0, 7));
    expect(new Date(commits[0]!.date).toISOString()).toBe(commits[0]!.date);

    const page1 = (await command('list-revisions', { repoId: id, limit: 1 })).json as { commits: unknown[]; next: string };
    expect(page1.commits).toHaveLength(1);
    const page2 = (await command('list-revisions', { repoId: id, limit: 1, after: page1.next })).json as { commits: Array<{ subject: string }>; next?: string };
    expect(page2.commits.map((c) => c.subject)).toEqual(['first: web app']);
    expect(page2.next).toBeUndefined();

    const found = (await command('list-revisions', { repoId: id, query: 'FIRST' })).json as { commits: Array<{ subject: string }>; tags: unknown[] };
    expect(found.commits.map((c) => c.subject)).toEqual(['first: web app']);
    expect(found.tags).toEqual([]);
  });

  it('lists the apps of a revision', async () => {
    const { id } = (await command('open-repository', { path: repo.dir })).json as { id: string };
    const apps = await command('list-apps', { repoId: id, rev: 'refs/tags/v1.0.0' });
    expect(apps.status).toBe(200);
    expect(apps.json).toEqual({
      apps: [{ name: 'web', path: 'apps/web', sourceType: 'auto', namespace: 'shop', context: 'kind-dev', origin: { kind: 'slipway.yaml', file: 'slipway.yaml', line: 4 }, prune: false, createNamespace: false, protected: false }],
      configured: true,
      diagnostics: [],
      folders: [
        { path: '', sourceType: 'directory' },
        { path: 'apps/web', sourceType: 'directory' },
      ],
    });
  });

  it('answers engine errors with their code, message and hint', async () => {
    const { id } = (await command('open-repository', { path: repo.dir })).json as { id: string };
    const unknownRev = await command('list-apps', { repoId: id, rev: 'mian' });
    expect(unknownRev.status).toBe(422);
    expect(unknownRev.json).toMatchObject({ error: { code: 'unknown-revision', hint: expect.stringContaining('main') } });
    expect((await command('list-apps', { repoId: 'repo-nope', rev: 'main' })).json).toMatchObject({ error: { code: 'unknown-repository' } });
    expect((await command('open-repository', { path: join(tmpdir(), 'slipway-no-such-folder') })).json).toMatchObject({ error: { code: 'not-a-repository' } });
  });

  it('lists kubeconfig contexts with cluster and namespace, never credentials', async () => {
    const r = await command('list-contexts', { kubeconfig });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      contexts: [{ name: 'prod-admin', cluster: 'prod', server: 'https://prod.example:6443', user: 'admin', namespace: 'shop', current: true }],
      currentContext: 'prod-admin',
      files: [kubeconfig],
      diagnostics: [],
    });
    expect(r.body).not.toContain(SECRET_TOKEN);
    expect(r.body).not.toContain(SECRET_KEY_DATA);
  });
});

describe('the browser-mode secrets in logs', () => {
  it('never writes the one-time token or the session secret to any log, after requests that pass, fail and crash', async () => {
    const token = `tok${randomBytes(16).toString('hex')}`;
    const session = `ses${randomBytes(16).toString('hex')}`;
    const logged: string[] = [];
    const text = (args: unknown[]): string => args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack ?? ''}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    const spies = [
      ...(['log', 'error', 'warn', 'info', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void logged.push(text(args)))),
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (logged.push(String(chunk)), true)),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (logged.push(String(chunk)), true)),
    ];
    // An engine whose command fails with a bug (logged by the dispatcher with its stack).
    const failing = { ...handlers, engineInfo: () => Promise.reject(new Error(`engine bug while answering ${'engine-info'}`)) };
    const dir = mkdtempSync(join(tmpdir(), 'slipway-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Slipway</title>');
    const own = await startEngineServer({ staticDir: dir, handlers: failing, events: createEventHub(), token, session });
    const hit = (path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: own.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${own.port}`, ...opts.headers } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end(opts.body);
      });
    const cookie = { cookie: `slipway_token=${session}` };
    const json = { ...cookie, 'content-type': 'application/json' };
    try {
      const statuses = [
        (await hit(`/?token=${token}`)).status, // 303: exchanged
        (await hit(`/?token=${token}`)).status, // 401: used
        (await hit(`/assets/%E0%A4%A?token=${token}`)).status, // 401: used, with a malformed path
        (await hit('/assets/%E0%A4%A', { headers: cookie })).status, // 400: malformed path
        (await hit(`/?token=${token}x`, { headers: { host: `evil.example:${own.port}` } })).status, // 421
        (await hit('/api/engine-info', { method: 'POST', headers: { ...json, origin: 'http://evil.example' } })).status, // 403
        (await hit('/api/engine-info', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status, // 401: the URL token is no session
        (await hit('/api/engine-info', { method: 'POST', headers: json })).status, // 500: the engine bug
        (await hit(`/api/${token}`, { method: 'POST', headers: json })).status, // 404
        (await hit('/api/list-contexts', { method: 'POST', headers: json, body: `{"kubeconfig": "${token}", "x": 1}` })).status, // 400
        (await hit('/api/list-contexts', { method: 'POST', headers: json, body: `{${token}` })).status, // 400
        (await hit('/api/open-repository', { method: 'POST', headers: json, body: JSON.stringify({ path: join(tmpdir(), 'slipway-no-such-folder') }) })).status, // 422
        (await hit('/api/engine-info', { method: 'POST', headers: { ...json, 'content-type': 'text/plain' }, body: token })).status, // 415
        (await hit('/api/engine-info', { method: 'POST', headers: json, body: 'x'.repeat(1024 * 1024 + 1) }).catch(() => ({ status: 413 }))).status, // 413
      ];
      expect(statuses).toEqual([303, 401, 401, 400, 421, 403, 401, 500, 404, 400, 400, 422, 415, 413]);
      const upgrade = (headers: Record<string, string>): Promise<number> =>
        new Promise((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${own.port}/api/events?token=${token}`, { headers });
          ws.once('open', () => (ws.close(), resolve(101)));
          ws.once('unexpected-response', (_req, res) => (res.resume(), resolve(res.statusCode ?? 0)));
          ws.once('error', () => resolve(0));
        });
      expect(await upgrade({ cookie: `slipway_token=${token}` })).toBe(401);
      expect(await upgrade({ ...cookie, origin: 'http://evil.example' })).toBe(403);
      expect(await upgrade(cookie)).toBe(101);
    } finally {
      await own.close();
      for (const spy of spies) spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
    const all = logged.join('\n');
    expect(all).toContain('engine bug while answering engine-info'); // the capture works: the bug was logged
    expect(all).not.toContain(token);
    expect(all).not.toContain(session);
  });
});

describe('an engine that is still loading (slipway serve prints its address first)', () => {
  const staticDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Slipway</title>');
    return dir;
  };
  const post = (port: number, path: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { host: `127.0.0.1:${port}`, authorization: 'Bearer s3ssion', 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end('{}');
    });

  it('serves the page at once, answers a command when the handlers arrive, and delivers events subscribed before', async () => {
    let ready!: (h: EngineHandlers) => void;
    const later = new Promise<EngineHandlers>((r) => (ready = r));
    const hub = createEventHub();
    let events!: (e: typeof hub) => void;
    const own = await startEngineServer({ staticDir: staticDir(), handlers: later, events: new Promise((r) => (events = r)), token: 't', session: 's3ssion' });
    try {
      const page = await new Promise<number>((resolve) => request({ host: '127.0.0.1', port: own.port, path: '/', headers: { host: `127.0.0.1:${own.port}`, authorization: 'Bearer s3ssion' } }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).end());
      expect(page).toBe(200);
      const answer = post(own.port, '/api/engine-info');
      let answered = false;
      void answer.then(() => (answered = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(answered).toBe(false);
      const received: unknown[] = [];
      const ws = new WebSocket(`ws://127.0.0.1:${own.port}/api/events`, { headers: { authorization: 'Bearer s3ssion' } });
      ws.on('message', (m: Buffer) => received.push(JSON.parse(m.toString())));
      await new Promise((r) => ws.once('open', r));
      ready(handlers);
      events(hub);
      expect((await answer).status).toBe(200);
      await new Promise((r) => setTimeout(r, 20));
      hub.publish({ type: 'apply-message', runId: 'r1', text: 'hello' });
      await vi.waitFor(() => expect(received).toHaveLength(1));
      ws.close();
    } finally {
      await own.close();
    }
  });

  it('answers 500 naming the failure when the engine never loads, and closes the event socket', async () => {
    const broken = Promise.reject(new Error('Cannot find module handlers.js'));
    broken.catch(() => undefined);
    const own = await startEngineServer({ staticDir: staticDir(), handlers: broken as Promise<EngineHandlers>, events: broken as never, token: 't', session: 's3ssion' });
    try {
      const r = await post(own.port, '/api/engine-info');
      expect(r.status).toBe(500);
      expect(r.body).toContain('Cannot find module handlers.js');
      const ws = new WebSocket(`ws://127.0.0.1:${own.port}/api/events`, { headers: { authorization: 'Bearer s3ssion' } });
      const code = await new Promise<number>((resolve) => ws.once('close', (c: number) => resolve(c)));
      expect(code).toBe(1011);
    } finally {
      await own.close();
    }
  });
});
