/**
 * Repository paths given by a user (--path) or a config file (slipway.yaml app paths, Helm values
 * files) cannot escape the repository, and a symlinked app folder is an error naming it — never
 * an app that silently renders nothing. Through the built CLI, at a commit and in the working copy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const root = new URL('../..', import.meta.url).pathname;
const cache = mkdtempSync(join(tmpdir(), 'slipway-cli-paths-cache-'));

function slipway(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8', env: { ...process.env, SLIPWAY_APP_CACHE_DIR: cache, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\ndata: {color: blue}\n';
const config = (apps: string): string => `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n${apps}`;

let repo: TestRepo;
let outside: string;
beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'slipway-outside-'));
  repo = createTestRepo({ prefix: 'slipway-cli-paths-' });
  repo.write({ 'apps/web/cm.yaml': configMap });
  repo.symlink('linked', 'apps/web'); // a folder link inside the repository
  repo.symlink('appsdir', 'apps'); // a folder on the way
  repo.symlink('escape', outside); // a folder link out of the repository (absolute)
  repo.symlink('up', '../../../../../../../../tmp'); // and out with ".."
  repo.commit('links');
});
afterAll(() => {
  repo.cleanup();
  rmSync(outside, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('--path', () => {
  it('renders a real folder', () => {
    const r = slipway('render', '--repo', repo.dir, '--path', 'apps/web');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('name: web');
  });

  it.each([
    ['../x', /^slipway: error: app path "\.\.\/x": leaves the repository/m],
    ['apps/../../x', /^slipway: error: app path "apps\/\.\.\/\.\.\/x": leaves the repository/m],
    ['/etc', /^slipway: error: app path "\/etc": must be relative to the repository root, not absolute/m],
  ])('refuses %s, which is outside the repository', (path, message) => {
    const r = slipway('render', '--repo', repo.dir, '--path', path);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    ['HEAD', 'linked', /^slipway: error: linked: the folder of app linked is a symlink \(to apps\/web\); Slipway does not follow symlinked app folders\n {2}hint: use the folder it points to as the app's path: apps\/web$/m],
    [':working', 'linked', /the folder of app linked is a symlink \(to apps\/web\)/],
    ['HEAD', 'appsdir/web', /^slipway: error: appsdir: the folder appsdir\/web of app web runs through the symlink appsdir \(to apps\);[\s\S]*hint: use the folder it points to as the app's path: apps\/web/m],
    [':working', 'appsdir/web', /the folder appsdir\/web of app web runs through the symlink appsdir/],
    ['HEAD', 'escape', /the folder of app escape is a symlink pointing outside the repository \(to \/tmp\/slipway-outside-\w+\); Slipway refuses to follow it/],
    ['HEAD', 'up', /the folder of app up is a symlink pointing outside the repository \(to (\.\.\/)+tmp\); Slipway refuses to follow it/],
    [':working', 'up', /the folder of app up is a symlink pointing outside the repository/],
  ])('at %s, refuses the symlinked app folder %s, naming it', (rev, path, message) => {
    const r = slipway('render', '--repo', repo.dir, '--rev', rev, '--path', path);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('slipway.yaml paths', () => {
  let configured: TestRepo;
  beforeAll(() => {
    configured = createTestRepo({ prefix: 'slipway-cli-paths-config-' });
    configured.write({
      'slipway.yaml': config(
        [
          '  - name: out\n    path: ../other-repo\n',
          '  - name: abs\n    path: /srv/apps\n',
          '  - name: linked\n    path: linked\n',
          '  - name: escape\n    path: escape\n',
          '  - name: values\n    path: apps/chart\n    source:\n      helm:\n        valuesFiles: [../../../secrets.yaml]\n',
        ].join(''),
      ),
      'apps/web/cm.yaml': configMap,
      'apps/chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
    });
    configured.symlink('linked', 'apps/web');
    configured.symlink('escape', '/etc');
    configured.commit('config');
  });
  afterAll(() => configured.cleanup());

  it('names every path that leaves the repository, with file, line and column', () => {
    const r = slipway('render', '--repo', configured.dir, '--app', 'out');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('slipway.yaml:5:11');
    expect(r.stderr).toContain('app path "../other-repo" leaves the repository');
    expect(r.stderr).toMatch(/and 2 more errors/);
  });

  it.each([
    ['linked', /^slipway: error: linked: the folder of app linked is a symlink \(to apps\/web\)/m],
    ['escape', /^slipway: error: escape: the folder of app escape is a symlink pointing outside the repository \(to \/etc\); Slipway refuses to follow it$/m],
  ])('refuses the app %s whose folder is a symlink', (app, message) => {
    const r = slipway('render', '--repo', configured.dir, '--app', app);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
