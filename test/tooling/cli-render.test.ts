import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const root = new URL('../..', import.meta.url).pathname;
const cache = mkdtempSync(join(tmpdir(), 'slipway-cli-cache-'));

function slipway(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8', env: { ...process.env, SLIPWAY_APP_CACHE_DIR: cache } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let repo: TestRepo;
beforeAll(() => {
  repo = createTestRepo();
  repo.write({
    'deploy/web/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\ndata: {color: blue}\n',
    'deploy/web/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: hunter2-plaintext\n',
    'deploy/web/values.yaml': 'replicas: 2\n',
  });
  repo.commit('web');
  repo.write({ 'deploy/web/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n' });
  repo.commit('broken');
});
afterAll(() => repo.cleanup());

describe('slipway render', () => {
  it('prints the objects of a folder picked with --path, without configuration, secrets hidden', () => {
    const r = slipway('render', '--repo', repo.dir, '--rev', 'HEAD~1', '--path', 'deploy/web');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('# ConfigMap shop/web from deploy/web/cm.yaml:1:1\napiVersion: v1\nkind: ConfigMap');
    expect(r.stdout).toContain('# Secret shop/db from deploy/web/secret.yaml:1:1');
    expect(r.stdout).toContain('password: (hidden)');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
    expect(r.stderr).toMatch(/app web \(directory, deploy\/web\) at [0-9a-f]{7}: 2 objects, 1 document skipped \(--verbose lists them\)/);
  });

  it('prints JSON for scripts', () => {
    const r = slipway('render', '--repo', repo.dir, '--rev', 'HEAD~1', '--path', 'deploy/web', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { app: unknown; objects: { key: unknown; source: unknown }[]; diagnostics: { code: string }[] };
    expect(out.app).toEqual({ name: 'web', path: 'deploy/web', sourceType: 'directory' });
    expect(out.objects.map((o) => o.key)).toEqual([
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' },
      { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' },
    ]);
    expect(out.diagnostics.map((d) => d.code)).toEqual(['not-a-manifest']);
    expect(r.stdout).not.toContain('hunter2');
  });

  it('names the file, line and column of bad YAML and exits 1', () => {
    const r = slipway('render', '--repo', repo.dir, '--rev', 'main', '--path', 'deploy/web');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^deploy\/web\/broken\.yaml:5:1: error: invalid YAML: Flow sequence .* end with a \]/m);
  });

  it('names an unknown revision', () => {
    const r = slipway('render', '--repo', repo.dir, '--rev', 'no-such-branch', '--path', 'deploy/web');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^slipway: error: .*no-such-branch/);
  });

  it('refuses a path that leaves the repository', () => {
    const r = slipway('render', '--repo', repo.dir, '--path', '../elsewhere');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^slipway: error: app path "\.\.\/elsewhere"/);
  });
});
