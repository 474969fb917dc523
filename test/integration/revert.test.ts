/**
 * slipway revert on the real cluster: undoing a run restores exactly what it changed — updated
 * objects back to their earlier state (a Secret from Git at the previous apply, since history
 * never stores its values), created objects deleted — and is recorded as a revert run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHistory } from '../../core/history/history.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const kubeconfig = inject('kubeconfig');
const { kubectl } = inject('tools');
const root = new URL('../..', import.meta.url).pathname;
const ns = `revert-it-${Date.now().toString(36)}`;
const historyFile = join(mkdtempSync(join(tmpdir(), 'slipway-revert-')), 'history.db');
let repo: TestRepo;
const folderNs = `${ns}-path`;
let folder: TestRepo | undefined;

const k = (...args: string[]): string => execFileSync(kubectl, ['--kubeconfig', kubeconfig, '--context', 'slipway-admin', ...args], { encoding: 'utf8' });
function slipway(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args, '--kubeconfig', kubeconfig, '--history', historyFile, '--auto-approve'], { encoding: 'utf8', env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmpdir(), 'slipway-revert-cache') } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const app = (color: string, token: string, extra = ''): Record<string, string> => ({
  'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: rev\n    path: app\n    destination: {namespace: ${ns}}\n`,
  'app/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
  'app/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${color}\n`,
  'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: ${token}\n`,
  ...(extra && { 'app/extra.yaml': extra }),
});
const runs = (): { id: string; kind: string; status: string }[] => {
  const h = openHistory({ path: historyFile });
  try {
    return h.runsOfContext({ context: 'slipway-admin', limit: 50 }).items.map((r) => ({ id: r.id, kind: r.kind, status: r.status }));
  } finally {
    h.close();
  }
};

beforeAll(() => {
  repo = createTestRepo();
  repo.write(app('blue', 'first-token-value'));
  repo.commit('v1');
  expect(slipway('apply', '--repo', repo.dir, '--app', 'rev', '--context', 'slipway-admin').status).toBe(0);
  repo.write(app('green', 'second-token-value', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata: {a: "1"}\n`));
  repo.commit('v2');
  expect(slipway('apply', '--repo', repo.dir, '--app', 'rev', '--context', 'slipway-admin').status).toBe(0);
});

afterAll(() => {
  k('delete', 'namespace', ns, '--ignore-not-found', '--wait=false');
  k('delete', 'namespace', folderNs, '--ignore-not-found', '--wait=false');
  folder?.cleanup();
  k('delete', 'secret', 'slipway-rev', '-n', ns, '--ignore-not-found');
  repo?.cleanup();
});

describe('slipway revert', () => {
  it('restores what the run changed and deletes what it created', () => {
    const [second] = runs();
    expect(second).toMatchObject({ kind: 'apply', status: 'succeeded' });
    const r = slipway('revert', second!.id);
    expect(r.stderr).toMatch(/Apply succeeded/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`reverts   ${second!.id}`);
    expect(r.stdout).toMatch(/- delete ConfigMap revert-it-\w+\/extra/);
    expect(k('get', 'configmap', 'settings', '-n', ns, '-o', 'jsonpath={.data.color}')).toBe('blue');
    expect(Buffer.from(k('get', 'secret', 'token', '-n', ns, '-o', 'jsonpath={.data.token}'), 'base64').toString()).toBe('first-token-value');
    expect(k('get', 'configmap', '-n', ns, '-o', 'name')).not.toContain('configmap/extra');
    // The secret's values (old or new) never show.
    expect(r.stdout + r.stderr).not.toMatch(/first-token-value|second-token-value/);
    expect(runs()[0]).toMatchObject({ kind: 'revert', status: 'succeeded' });
  });

  it('refuses to restore a Secret whose earlier values are not in Git, and says why', () => {
    // A Secret made by hand, then taken over by an apply: Git never had its earlier value.
    k('create', 'secret', 'generic', 'handmade', '-n', ns, '--from-literal=key=typed-by-hand');
    repo.write({ ...app('blue', 'first-token-value'), 'app/handmade.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: handmade\nstringData:\n  key: now-from-git\n` });
    repo.commit('v3: adopt the hand-made secret');
    expect(slipway('apply', '--repo', repo.dir, '--app', 'rev', '--context', 'slipway-admin').status).toBe(0);
    const adopted = runs()[0]!;
    const r = slipway('revert', adopted.id);
    expect(r.stderr).toContain('The plan has errors (above): nothing was applied.');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/error: Secret revert-it-\w+\/handmade: Secret values are never stored, and the earlier apply run-[\w-]+ \([0-9a-f]{12}\) does not have it in Git/);
    expect(r.stdout + r.stderr).not.toMatch(/typed-by-hand|now-from-git/);
    // Nothing was applied: the plan had errors.
    expect(Buffer.from(k('get', 'secret', 'handmade', '-n', ns, '-o', 'jsonpath={.data.key}'), 'base64').toString()).toBe('now-from-git');
  });
});

describe('slipway revert of a folder app (--path) applied with -n', () => {
  // Its files name no namespace and no slipway.yaml gives it one: the runs' namespace is the one -n gave.
  const files = (token: string): Record<string, string> => ({
    'web/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  kind: folder\n`,
    'web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: ${token}\n`,
  });
  beforeAll(() => {
    k('create', 'namespace', folderNs);
    folder = createTestRepo();
    folder.write(files('folder-first-token'));
    folder.commit('v1');
    expect(slipway('apply', '--repo', folder.dir, '--path', 'web', '-n', folderNs, '--context', 'slipway-admin').status).toBe(0);
    folder.write(files('folder-second-token-value'));
    folder.commit('v2');
    expect(slipway('apply', '--repo', folder.dir, '--path', 'web', '-n', folderNs, '--context', 'slipway-admin').status).toBe(0);
  });

  it("restores its Secret from Git at the previous apply, in that apply's namespace", () => {
    const [second] = runs();
    const r = slipway('revert', second!.id);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).not.toMatch(/Secret values are never stored/);
    expect(Buffer.from(k('get', 'secret', 'token', '-n', folderNs, '-o', 'jsonpath={.data.token}'), 'base64').toString()).toBe('folder-first-token');
    expect(r.stdout + r.stderr).not.toMatch(/folder-first-token|folder-second-token-value/);
  });
});
