/**
 * The apply, history and settings commands through the one dispatcher: requests are validated
 * (naming the field, never the value), apply takes only a plan id the engine made, and settings
 * are validated JSON in the user data folder.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo } from '../../test/support/git-repo.js';
import { dispatch } from './dispatch.js';
import { createHandlers, type EngineHandlers } from './handlers.js';

let dir: string;
let handlers: EngineHandlers;
let kubeconfig: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-handlers-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://c.example:6443'}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: prod, context: {cluster: c, user: u}}, {name: dev, context: {cluster: c, user: u}}]
current-context: dev
`,
  );
  handlers = createHandlers({ transport: 'memory', historyPath: join(dir, 'history.db'), settingsPath: join(dir, 'settings.json'), env: { HOME: dir } });
});
afterAll(async () => {
  await handlers.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('apply commands', () => {
  it('applies only plans the engine made, by id', async () => {
    expect(await dispatch(handlers, 'apply', { planId: 'plan-0123456789abcdef' })).toMatchObject({ ok: false, error: { code: 'unknown-plan', hint: expect.stringContaining('plan again') } });
  });

  it.each([
    ['a plan object instead of an id', { planId: 'plan-0123456789abcdef', plan: { changes: [] } }, 'plan'],
    ['no plan id', {}, 'planId'],
    ['a plan id that is not a string', { planId: 42 }, 'planId'],
  ])('refuses %s, naming the field', async (_what, request, field) => {
    const reply = await dispatch(handlers, 'apply', request);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining(field) } });
  });

  it('reads object health only for plans the engine made, and needs at least one key', async () => {
    const key = { group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'frontend-external' };
    expect(await dispatch(handlers, 'object-health', { planId: 'plan-0123456789abcdef', keys: [key] })).toMatchObject({ ok: false, error: { code: 'unknown-plan', message: expect.stringContaining('plan-0123456789abcdef') } });
    expect(await dispatch(handlers, 'object-health', { planId: 'plan-0123456789abcdef', keys: [] })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('keys') } });
  });

  it('reviews the access of an apply only for plans the engine made', async () => {
    expect(await dispatch(handlers, 'can-apply', { planId: 'plan-0123456789abcdef' })).toMatchObject({ ok: false, error: { code: 'unknown-plan', hint: expect.stringContaining('plan again') } });
  });

  it('cancels only running applies', async () => {
    expect(await dispatch(handlers, 'cancel-apply', { runId: 'run-nope' })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await dispatch(handlers, 'cancel-apply', { runId: '' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});

describe('history commands', () => {
  it('lists the runs of a context (none yet), and refuses a query that is both kinds', async () => {
    expect(await dispatch(handlers, 'list-runs', { context: 'prod' })).toEqual({ ok: true, value: { runs: [] } });
    expect(await dispatch(handlers, 'list-runs', { context: 'prod', repoId: 'repo-1', app: 'web' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await dispatch(handlers, 'list-runs', { repoId: 'repo-none', app: 'web' })).toMatchObject({ ok: false, error: { code: 'unknown-repository' } });
  });

  it.each(['run-details', 'plan-rollback', 'plan-revert', 'run-plan'])('%s names an unknown run', async (channel) => {
    expect(await dispatch(handlers, channel, { runId: 'run-nope' })).toMatchObject({ ok: false, error: { code: 'unknown-run', message: expect.stringContaining('run-nope') } });
  });
});

describe('settings', () => {
  it('starts from the defaults', async () => {
    expect(await dispatch(handlers, 'get-settings', {})).toEqual({
      ok: true,
      value: { settings: { tools: {}, concurrency: 16, timeouts: {}, protectedContexts: [], theme: 'system', notifications: { drift: true, applyFinished: true, unreachable: true } }, file: join(dir, 'settings.json') },
    });
  });

  it('reads a file saved before notifications were a setting with every notification on, and keeps a turned-off one', async () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ tools: {}, concurrency: 8, timeouts: {}, protectedContexts: [], theme: 'dark' }));
    expect(await dispatch(handlers, 'get-settings', {})).toMatchObject({ ok: true, value: { settings: { concurrency: 8, notifications: { drift: true, applyFinished: true, unreachable: true } } } });
    expect(await dispatch(handlers, 'save-settings', { notifications: { drift: false } })).toMatchObject({ ok: true, value: { settings: { notifications: { drift: false, applyFinished: true, unreachable: true } } } });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ notifications: { drift: false, applyFinished: true, unreachable: true } });
    expect(await dispatch(handlers, 'save-settings', { notifications: { drift: 'no' } })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('notifications.drift') } });
  });

  it('saves valid settings as JSON and marks protected contexts', async () => {
    const saved = await dispatch(handlers, 'save-settings', { kubeconfig, tools: { helm: '/opt/helm' }, concurrency: 4, timeouts: { healthSeconds: 90 }, protectedContexts: ['prod'], theme: 'dark' });
    expect(saved).toMatchObject({ ok: true, value: { settings: { kubeconfig, concurrency: 4, protectedContexts: ['prod'], theme: 'dark' } } });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({ kubeconfig, theme: 'dark' });
    // The kubeconfig of the settings is the one read, and prod is protected.
    const contexts = await dispatch(handlers, 'list-contexts', {});
    expect(contexts).toMatchObject({ ok: true, value: { files: [kubeconfig], contexts: expect.arrayContaining([expect.objectContaining({ name: 'prod', protected: true }), expect.not.objectContaining({ protected: true })]) } });
    expect(JSON.stringify(contexts)).not.toContain('"protected":false');
  });

  it.each([
    ['concurrency 0', { concurrency: 0 }, 'concurrency'],
    ['a request timeout of 0 seconds', { timeouts: { requestSeconds: 0 } }, 'timeouts.requestSeconds'],
    ['an unknown theme', { theme: 'solarized' }, 'theme'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['a protected context that is not a name', { protectedContexts: [''] }, 'protectedContexts[0]'],
  ])('refuses %s, naming the field', async (_what, request, field) => {
    expect(await dispatch(handlers, 'save-settings', request)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining(field) } });
  });

  it('reports a damaged file and runs on the defaults', async () => {
    writeFileSync(join(dir, 'settings.json'), '{"concurrency": "lots"');
    expect(await dispatch(handlers, 'get-settings', {})).toMatchObject({ ok: true, value: { settings: { concurrency: 16 }, problem: expect.stringContaining('not valid JSON') } });
    writeFileSync(join(dir, 'settings.json'), '{"concurrency": 1000}');
    expect(await dispatch(handlers, 'get-settings', {})).toMatchObject({ ok: true, value: { settings: { concurrency: 16 }, problem: expect.stringContaining('concurrency') } });
  });
});

describe('startup', () => {
  it('hands the renderer what the front door was started with, and nothing when it was started plain', async () => {
    const startup = { repository: '/src/platform', app: 'web', rev: 'v1.2.0', context: 'prod' };
    const started = createHandlers({ transport: 'memory', historyPath: join(dir, 'startup-history.db'), settingsPath: join(dir, 'settings.json'), env: { HOME: dir }, startup });
    try {
      expect(await dispatch(started, 'get-startup', {})).toEqual({ ok: true, value: startup });
    } finally {
      await started.close();
    }
    expect(await dispatch(handlers, 'get-startup', {})).toEqual({ ok: true, value: {} });
  });
});

describe('list-apps', () => {
  it('offers the folders that look like apps of a repository that defines none', async () => {
    const repo = createTestRepo({ prefix: 'slipway-handlers-apps-' });
    try {
      repo.write({ 'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n', 'web/templates/cm.yaml': 'metadata:\n  name: {{ .Release.Name }}\n', 'db/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\n' });
      repo.commit('two folders');
      const opened = await dispatch(handlers, 'open-repository', { path: repo.dir });
      if (!opened.ok) throw new Error(opened.error.message);
      const { id } = opened.value as { id: string };
      expect(await dispatch(handlers, 'list-apps', { repoId: id, rev: 'main' })).toEqual({
        ok: true,
        value: { apps: [], configured: false, diagnostics: [], folders: [{ path: 'db', sourceType: 'directory' }, { path: 'web', sourceType: 'helm' }] },
      });
    } finally {
      repo.cleanup();
    }
  });
});

describe('source-snippet', () => {
  it('reads the lines around a line at a commit, and never a file that declares a Secret', async () => {
    const repo = createTestRepo({ prefix: 'slipway-handlers-snippet-' });
    try {
      repo.write({ 'web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: [1\n', 'web/secret.yaml': 'apiVersion: v1\nkind: Secret\nstringData:\n  password: [hunter2\n' });
      const commit = repo.commit('broken files');
      repo.write({ 'web/cm.yaml': 'changed after the commit\n' });
      const opened = await dispatch(handlers, 'open-repository', { path: repo.dir });
      if (!opened.ok) throw new Error(opened.error.message);
      const { id } = opened.value as { id: string };
      expect(await dispatch(handlers, 'source-snippet', { repoId: id, rev: commit, file: 'web/cm.yaml', line: 6 })).toEqual({
        ok: true,
        value: { file: 'web/cm.yaml', line: 6, startLine: 3, lines: ['metadata:', '  name: web', 'data:', '  a: [1'] },
      });
      const secret = await dispatch(handlers, 'source-snippet', { repoId: id, rev: commit, file: 'web/secret.yaml', line: 4 });
      expect(secret).toEqual({ ok: true, value: { file: 'web/secret.yaml', line: 4, hidden: 'the file declares a Secret: its values are never shown' } });
      expect(await dispatch(handlers, 'source-snippet', { repoId: id, rev: ':working', file: 'web/cm.yaml', line: 1 })).toMatchObject({ ok: true, value: { lines: ['changed after the commit'] } });
      expect(await dispatch(handlers, 'source-snippet', { repoId: id, rev: commit, file: '../outside.yaml', line: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-path' } });
      expect(await dispatch(handlers, 'source-snippet', { repoId: id, rev: commit, file: 'web/none.yaml', line: 1 })).toMatchObject({ ok: false, error: { code: 'path-not-found' } });
    } finally {
      repo.cleanup();
    }
  });
});

describe('start screen', () => {
  it('remembers the repositories opened, each with its app, and a settings save keeps them', async () => {
    const settingsPath = join(dir, 'recent-settings.json');
    const engine = createHandlers({ transport: 'memory', historyPath: join(dir, 'recent-history.db'), settingsPath, env: { HOME: dir } });
    try {
      await dispatch(engine, 'remember-repository', { dir: '/src/a' });
      await dispatch(engine, 'remember-repository', { dir: '/src/b', app: 'web' });
      expect(await dispatch(engine, 'remember-repository', { dir: '/src/a' })).toEqual({ ok: true, value: { repositories: [{ dir: '/src/a' }, { dir: '/src/b', app: 'web' }] } });
      expect(await dispatch(engine, 'remember-repository', { dir: '/src/a', app: 'web', path: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      await dispatch(engine, 'save-settings', { theme: 'dark' });
      expect(await dispatch(engine, 'get-settings', {})).toMatchObject({ ok: true, value: { settings: { theme: 'dark', recentRepositories: [{ dir: '/src/a' }, { dir: '/src/b', app: 'web' }] } } });
    } finally {
      await engine.close();
    }
  });

  it('lists folders from the home folder; the native dialog only where the front door has one', async () => {
    expect(await dispatch(handlers, 'engine-info', {})).toMatchObject({ ok: true, value: { folderDialog: 'browse' } });
    expect(await dispatch(handlers, 'list-folders', {})).toMatchObject({ ok: true, value: { path: dir, home: dir } });
    expect(await dispatch(handlers, 'choose-folder', {})).toMatchObject({ ok: false, error: { code: 'no-folder-dialog' } });
    const starts: Array<string | undefined> = [];
    const desktop = createHandlers({ transport: 'electron', historyPath: join(dir, 'desktop-history.db'), settingsPath: join(dir, 'desktop-settings.json'), env: { HOME: dir }, chooseFolder: async (start) => (starts.push(start), '/src/infra') });
    try {
      expect(await dispatch(desktop, 'engine-info', {})).toMatchObject({ ok: true, value: { folderDialog: 'native' } });
      expect(await dispatch(desktop, 'choose-folder', { start: '~/src' })).toEqual({ ok: true, value: { path: '/src/infra' } });
      expect(starts).toEqual([join(dir, 'src')]);
    } finally {
      await desktop.close();
    }
  });
});

describe('describe-revisions', () => {
  it('names commits by tag and subject, and leaves out commits of other repositories', async () => {
    const repo = createTestRepo({ prefix: 'slipway-handlers-describe-' });
    try {
      repo.write({ 'a.yaml': 'a: 1\n' });
      const commit = repo.commit('storefront: scale up');
      repo.tag('v1.2.0');
      const opened = await dispatch(handlers, 'open-repository', { path: repo.dir });
      if (!opened.ok) throw new Error(opened.error.message);
      const { id } = opened.value as { id: string };
      expect(await dispatch(handlers, 'describe-revisions', { repoId: id, commits: [commit, 'a'.repeat(40)] })).toEqual({
        ok: true,
        value: { revisions: [{ commit, shortOid: commit.slice(0, 7), subject: 'storefront: scale up', tags: ['v1.2.0'], label: `v1.2.0 · storefront: scale up (${commit.slice(0, 7)})` }] },
      });
      expect(await dispatch(handlers, 'describe-revisions', { repoId: id, commits: ['main'] })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('commits') } });
    } finally {
      repo.cleanup();
    }
  });
});
