/**
 * `slipway apps` lists what a repository offers (configured apps, or folders that look like apps),
 * render without --app/--path refuses a repository laid out as apps, and --revision is --rev.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const root = new URL('../..', import.meta.url).pathname;
const cache = mkdtempSync(join(tmpdir(), 'slipway-cli-cache-'));

function slipway(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(`${root}dist/cli/slipway.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8', env: { ...process.env, SLIPWAY_APP_CACHE_DIR: cache } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CM = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const CONFIG = `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: web
    path: apps/web
    destination:
      namespace: shop
      context: staging
`;
const ARGO_APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: api
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://example.com/acme/infra.git
    path: apps/api
  destination:
    namespace: backend
`;

let layout: TestRepo;
let configured: TestRepo;
beforeAll(() => {
  // Argo CD's example repository in small: a chart (templates are not YAML), a kustomization, a plain folder.
  layout = createTestRepo({ prefix: 'slipway-cli-apps-' });
  layout.write({
    'README.md': '# examples\n',
    'helm-guestbook/Chart.yaml': 'apiVersion: v2\nname: guestbook\nversion: 0.1.0\n',
    'helm-guestbook/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
    'kustomize-guestbook/kustomization.yaml': 'resources: [cm.yaml]\n',
    'kustomize-guestbook/cm.yaml': CM('k'),
    'guestbook/cm.yaml': CM('g'),
  });
  layout.commit('three folders that are apps');
  layout.write({ 'guestbook/cm.yaml': CM('g2') });
  layout.commit('guestbook: renamed ConfigMap');

  configured = createTestRepo({ prefix: 'slipway-cli-apps-config-' });
  configured.write({ 'slipway.yaml': CONFIG, 'apps/web/cm.yaml': CM('web'), 'apps/api/cm.yaml': CM('api'), 'argo/api.yaml': ARGO_APP });
  configured.commit('one configured app, one Argo CD Application');
  configured.write({ 'slipway.yaml': `${CONFIG}  - name: Bad_Name\n    path: apps/bad\n` });
  configured.commit('a broken slipway.yaml');
});
afterAll(() => {
  layout.cleanup();
  configured.cleanup();
});

describe('slipway apps', () => {
  it('lists the folders that look like apps when the repository defines none', () => {
    const r = slipway('apps', '--repo', layout.dir);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.split(/\s{3,}/))).toEqual([
      ['NAME', 'TYPE', 'PATH', 'NAMESPACE', 'CONTEXT', 'FROM'],
      ['guestbook', 'directory', 'guestbook', '-', '-', '--path guestbook'],
      ['helm-guestbook', 'helm', 'helm-guestbook', '-', '-', '--path helm-guestbook'],
      ['kustomize-guestbook', 'kustomize', 'kustomize-guestbook', '-', '-', '--path kustomize-guestbook'],
      [''],
    ]);
    expect(r.stderr).toMatch(/^[0-9a-f]{7} \(main\): no apps defined \(no slipway\.yaml apps, no Argo CD or Flux definitions\); 3 folders look like apps: pick one with --path <folder>\n$/);
  });

  it('lists configured and imported apps with their destination and origin', () => {
    const r = slipway('apps', '--repo', configured.dir, '--rev', 'HEAD~1');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.split(/\s{3,}/))).toEqual([
      ['NAME', 'TYPE', 'PATH', 'NAMESPACE', 'CONTEXT', 'FROM'],
      ['api', 'auto', 'apps/api', 'backend', '-', 'argocd argo/api.yaml:1'],
      ['web', 'auto', 'apps/web', 'shop', 'staging', 'slipway.yaml:4'],
      [''],
    ]);
    expect(r.stderr).toMatch(/: 2 apps: plan one with --app <name>\n$/);
  });

  it('prints JSON for scripts', () => {
    const r = slipway('apps', '--repo', layout.dir, '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { revision: { kind: string; refs: string[] }; configured: boolean; apps: unknown[]; folders: unknown[]; diagnostics: unknown[] };
    expect(out).toMatchObject({ revision: { kind: 'commit', refs: ['main'] }, configured: false, apps: [], diagnostics: [] });
    expect(out.folders).toEqual([
      { name: 'guestbook', sourceType: 'directory', path: 'guestbook', origin: 'folder', from: '--path guestbook' },
      { name: 'helm-guestbook', sourceType: 'helm', path: 'helm-guestbook', origin: 'folder', from: '--path helm-guestbook' },
      { name: 'kustomize-guestbook', sourceType: 'kustomize', path: 'kustomize-guestbook', origin: 'folder', from: '--path kustomize-guestbook' },
    ]);
  });

  it('names what is wrong with slipway.yaml and exits 1', () => {
    const r = slipway('apps', '--repo', configured.dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^slipway\.yaml:9:11: error: apps\[1\]\.name: an app name uses lowercase letters/m);
    expect(r.stdout).toContain('slipway.yaml:4'); // the valid apps are still listed
  });
});

describe('a repository laid out as apps', () => {
  it('is not rendered whole: render asks for --path and names the folders', () => {
    const r = slipway('render', '--repo', layout.dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'slipway: error: the repository holds 3 folders that look like apps: guestbook (directory), helm-guestbook (helm), kustomize-guestbook (kustomize); choose one with --path <folder>\n' +
        '  hint: `slipway apps` lists them; an app of slipway.yaml or an Argo CD / Flux definition is chosen with --app\n',
    );
  });

  it('renders the folder picked with --path', () => {
    const r = slipway('render', '--repo', layout.dir, '--path', 'guestbook');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('name: g2');
  });
});

describe('--revision is --rev', () => {
  it.each([
    ['render', ['render', '--path', 'guestbook']],
    ['apps', ['apps', '--json']],
  ])('%s reads the revision given with --revision', (_command, args) => {
    const byRev = slipway(...args, '--repo', layout.dir, '--rev', 'HEAD~1');
    const byRevision = slipway(...args, '--repo', layout.dir, '--revision', 'HEAD~1');
    expect(byRevision).toEqual(byRev);
    expect(byRevision.status).toBe(0);
    expect(slipway(...args, '--repo', layout.dir).stdout).not.toEqual(byRev.stdout);
  });

  it.each(['plan', 'apply', 'diff', 'serve'])('%s accepts --revision (a bad one is an unknown revision, not an unknown option)', (command) => {
    const args = command === 'serve' ? ['serve', '--repo', layout.dir, '--revision', 'no-such-rev', '--port', 'http'] : [command, '--repo', layout.dir, '--revision', 'no-such-rev', '--path', 'guestbook', '--kubeconfig', '/dev/null', '--context', 'none', ...(command === 'diff' ? ['--against-context', 'other'] : [])];
    const r = slipway(...args);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/unknown option|Did you mean/);
    if (command !== 'serve') expect(r.stderr).toMatch(/Unknown revision "no-such-rev"/);
  });

  it.each(['render', 'plan', 'apply', 'diff', 'apps', 'serve'])('%s --help shows --rev only', (command) => {
    const r = slipway(command, '--help');
    expect(r.stdout).toContain('--rev <rev>');
    expect(r.stdout).not.toContain('--revision');
  });
});
