/**
 * Remote repositories for real, without the internet: a smart-HTTP server (`git http-backend`
 * behind Node's http on 127.0.0.1) that requires Basic auth.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { startGitHttpServer, type GitHttpServer } from '../../test/support/git-http-server.js';
import { SlipwayError } from '../model/diagnostics.js';
import { isSshUrl, openRemote, parseRemoteUrl, remoteCachePath, type RemoteProgress } from './remote.js';
import { WORKING_COPY } from './types.js';

const PASSWORD = 'pa55-Very-Secret-9f3c';
const TOKEN = 'tok-0123456789-abcdef-Secret';

let origin: TestRepo;
let root: string;
let server: GitHttpServer;
let url: string;

beforeAll(async () => {
  origin = createTestRepo({ prefix: 'slipway-origin-' });
  origin.write({ 'apps/web/deploy.yaml': 'replicas: 1\n', 'README.md': '# remote\n' });
  origin.commit('first');
  origin.tag('v1', { message: 'release 1' });
  origin.git('branch', 'release');
  root = mkdtempSync(join(tmpdir(), 'slipway-http-root-'));
  execFileSync('git', ['clone', '-q', '--bare', origin.dir, join(root, 'demo.git')]);
  server = await startGitHttpServer({ projectRoot: root, users: { ada: PASSWORD, 'x-access-token': TOKEN } });
  url = `${server.url}/demo.git`;
});
afterAll(async () => {
  await server.close();
  origin.cleanup();
  rmSync(root, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

async function rejection(p: Promise<unknown>): Promise<SlipwayError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SlipwayError) return err;
    throw err;
  }
  throw new Error('expected a SlipwayError');
}

function expectNoSecret(err: SlipwayError, ...secrets: string[]): void {
  const text = [err.message, err.hint ?? '', String(err.stack), JSON.stringify(err), String(err.cause ?? '')].join('\n');
  for (const s of secrets) {
    expect(text).not.toContain(s);
    expect(text).not.toContain(Buffer.from(`ada:${s}`).toString('base64'));
  }
}

describe('openRemote over HTTP with Basic auth', () => {
  it('clones with a username and password, then reads it like a local repository', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-remote-cache-'));
    try {
      const progress: RemoteProgress[] = [];
      const repo = await openRemote(url, { cacheDir, auth: { username: 'ada', password: PASSWORD }, onProgress: (_line, p) => progress.push(p), backend: 'isomorphic-git' });
      try {
        expect(repo.dir).toBe(remoteCachePath(cacheDir, url));
        expect(repo.dir.startsWith(join(cacheDir, 'repos'))).toBe(true);
        const main = await repo.resolve('main');
        expect(main).toMatchObject({ kind: 'commit', oid: origin.git('rev-parse', 'main'), subject: 'first' });
        expect((await repo.resolve('v1')).kind).toBe('commit');
        const names = (await repo.listRefs()).map((r) => r.name);
        expect(names).toEqual(expect.arrayContaining(['main', 'release', 'origin/main', 'origin/release', 'v1']));
        expect(names).not.toContain('origin/HEAD'); // a symbolic ref, not a branch
        const snap = await repo.snapshot(main, 'apps');
        expect(new TextDecoder().decode(await repo.readFile(snap, snap.files[0]!))).toBe('replicas: 1\n');
        expect((await rejection(repo.resolve(WORKING_COPY))).code).toBe('no-working-copy');
        expect(progress.length).toBeGreaterThan(0);
        expect(progress.at(-1)?.message).toMatch(/^[A-Z][a-z]+ [a-z]+: \d/);
        // No checkout: the clone holds no work-tree files.
        expect(existsSync(join(repo.dir, 'apps'))).toBe(false);
      } finally {
        await repo.close();
      }
      // The password is nowhere on disk, and the stored remote URL carries no credentials.
      for (const f of filesUnder(cacheDir)) expect(readFileSync(f).includes(PASSWORD), f).toBe(false);
      expect(readFileSync(join(remoteCachePath(cacheDir, url), 'config'), 'utf8')).toContain(`url = ${url}`);
      expect(server.requests.some((r) => r.user === 'ada' && r.status === 200)).toBe(true);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('fetches into the same clone when opened again, and follows the new commit', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-remote-cache-'));
    try {
      const first = await openRemote(url, { cacheDir, auth: { token: TOKEN }, backend: 'git-cli' });
      const before = (await first.resolve('main')).kind === 'commit' ? origin.git('rev-parse', 'main') : '';
      await first.close();
      const clonedAt = statSync(first.dir).ino;

      origin.write({ 'apps/web/deploy.yaml': 'replicas: 4\n' });
      const newer = origin.commit('scale to 4');
      origin.git('push', '-q', join(root, 'demo.git'), 'main');

      const second = await openRemote(url, { cacheDir, auth: { token: TOKEN }, backend: 'git-cli' });
      try {
        expect(second.dir).toBe(first.dir);
        expect(statSync(second.dir).ino).toBe(clonedAt);
        expect(await second.resolve('main')).toMatchObject({ oid: newer, subject: 'scale to 4' });
        expect(await second.resolve('origin/main')).toMatchObject({ oid: newer });
        expect(await second.resolve(before)).toMatchObject({ oid: before });
        const snap = await second.snapshot(await second.resolve('main'), 'apps/web/deploy.yaml');
        expect(new TextDecoder().decode(await second.readFile(snap, snap.files[0]!))).toBe('replicas: 4\n');
        expect((await second.log()).entries.map((e) => e.oid)).toEqual([newer, before]);
      } finally {
        await second.close();
      }
      for (const f of filesUnder(cacheDir)) expect(readFileSync(f).includes(TOKEN), f).toBe(false);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('takes credentials from the URL without storing them', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-remote-cache-'));
    try {
      const withCreds = url.replace('http://', `http://ada:${encodeURIComponent(PASSWORD)}@`);
      const repo = await openRemote(withCreds, { cacheDir });
      try {
        expect(repo.dir).toBe(remoteCachePath(cacheDir, url));
        expect((await repo.resolve('main')).kind).toBe('commit');
      } finally {
        await repo.close();
      }
      for (const f of filesUnder(cacheDir)) expect(readFileSync(f).includes(PASSWORD), f).toBe(false);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a wrong password', { username: 'ada', password: 'wrong-Secret-Password-1' }, 'rejected the credentials'],
    ['a wrong token', { token: 'wrong-Token-Secret-2' }, 'rejected the credentials'],
    ['no credentials', undefined, 'needs credentials'],
  ])('refuses %s with a clear error that carries no secret, leaving no clone behind', async (_what, auth, words) => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-remote-cache-'));
    try {
      const err = await rejection(openRemote(url, { cacheDir, ...(auth ? { auth } : {}) }));
      expect(err.code).toBe('auth-failed');
      expect(err.message).toContain(url);
      expect(err.message).toContain(words);
      expectNoSecret(err, PASSWORD, TOKEN, 'wrong-Secret-Password-1', 'wrong-Token-Secret-2');
      expect(existsSync(join(cacheDir, 'repos')) ? readdirSync(join(cacheDir, 'repos')) : []).toEqual([]);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('names a repository that is not there', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-remote-cache-'));
    try {
      const err = await rejection(openRemote(`${server.url}/nope.git`, { cacheDir, auth: { username: 'ada', password: PASSWORD } }));
      expect(err.code).toMatch(/^remote-(not-found|failed)$/);
      expect(err.message).toContain('/nope.git');
      expectNoSecret(err, PASSWORD);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe('remote URLs', () => {
  it.each(['git@github.com:org/repo.git', 'ssh://git@github.com/org/repo.git', 'git+ssh://host/org/repo', 'github.com:org/repo.git'])('refuses the SSH URL %s', async (sshUrl) => {
    expect(isSshUrl(sshUrl)).toBe(true);
    const err = await rejection(openRemote(sshUrl, { cacheDir: tmpdir() }));
    expect(err.code).toBe('ssh-unsupported');
    expect(err.message).toBe('SSH URLs are not supported: use an HTTPS URL or a local clone');
  });

  it.each(['https://github.com/org/repo.git', 'http://127.0.0.1:8080/repo.git', 'C:\\repos\\x', '/srv/git/repo'])('does not take %s for SSH', (u) => {
    expect(isSshUrl(u)).toBe(false);
  });

  it.each([
    ['file:///srv/repo.git', 'unsupported-url'],
    ['git://example.com/repo.git', 'unsupported-url'],
    ['not a url', 'unsupported-url'],
  ])('refuses %s', (u, code) => {
    expect(() => parseRemoteUrl(u)).toThrow(expect.objectContaining({ code }));
  });

  it('keys the cache by the URL without credentials', () => {
    expect(parseRemoteUrl('https://ada:pw@example.com/org/repo.git/')).toEqual({ url: 'https://example.com/org/repo.git', auth: { username: 'ada', password: 'pw' } });
    expect(remoteCachePath('/c', 'https://ada:pw@example.com/org/repo.git')).toBe(remoteCachePath('/c', 'https://example.com/org/repo.git'));
    expect(remoteCachePath('/c', 'https://example.com/org/a.git')).not.toBe(remoteCachePath('/c', 'https://example.com/org/b.git'));
  });
});
