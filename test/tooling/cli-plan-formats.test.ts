/**
 * `--format text|json|markdown|html` through the built CLI, without a cluster: `slipway diff
 * --from origin/main --to HEAD --format markdown` in a clone, as the README's pull-request recipe
 * runs it, the HTML page, the errors for an unknown format and for --json with another format,
 * and the help. A Secret whose value is a canary changes between the two revisions: the canary is
 * in no output.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-cli-formats-'));
const CANARY = 'slipway-canary-cli-5d1e8b2c';

function slipway(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { cwd, encoding: 'utf8', env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const secret = (value: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\nstringData:\n  password: ${value}\n`;
const deployment = (image: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: ${image}\n`;

let upstream: TestRepo;
let clone: string;
beforeAll(() => {
  upstream = createTestRepo({ prefix: 'slipway-cli-formats-upstream-' });
  upstream.write({ 'deploy/web/deployment.yaml': deployment('web:1.4.2'), 'deploy/web/secret.yaml': secret(`${CANARY}-old`) });
  upstream.commit('web 1.4.2');
  // The pull request's branch in a clone: origin/main is the base, HEAD the head, as in a CI checkout.
  clone = join(tmp, 'clone');
  execFileSync('git', ['clone', '-q', upstream.dir, clone]);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: clone, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' } });
  git('checkout', '-q', '-b', 'web-1.5');
  execFileSync('sh', ['-c', `printf '%s' "$1" > deploy/web/deployment.yaml && printf '%s' "$2" > deploy/web/secret.yaml && printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web-env\\n  namespace: shop\\ndata: {LOG_LEVEL: debug}\\n' > deploy/web/configmap.yaml`, 'sh', deployment('web:1.5.0'), secret(`${CANARY}-new`)], { cwd: clone });
  git('add', '-A');
  git('commit', '-q', '-m', 'web 1.5.0, debug logging');
});
afterAll(() => {
  upstream?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('slipway diff --format', () => {
  it('markdown: the comment the README recipe posts, no cluster needed', () => {
    const r = slipway(clone, 'diff', '--path', 'deploy/web', '--from', 'origin/main', '--to', 'HEAD', '--format', 'markdown');
    expect(r.status, r.stderr).toBe(0);
    const md = r.stdout;
    expect(md).toMatch(/^## Slipway comparison: web, origin\/main → HEAD\n/);
    expect(md).toContain('| + create | ~ update | -/+ replace | - delete | ! error | = unchanged |\n|---:|---:|---:|---:|---:|---:|\n| 1 | 2 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('**Differences: 1 to add, 2 to change, 0 to destroy.**');
    expect(md).toContain('<details><summary><code>~ update</code> <b>Deployment.apps shop/web</b></summary>');
    expect(md).toContain('-        image: web:1.4.2\n+        image: web:1.5.0');
    expect(md).toContain('<details><summary><code>+ create</code> <b>ConfigMap shop/web-env</b></summary>');
    expect(md).toContain('- `data.password`: changed');
    expect(md.length).toBeLessThan(65_536);
    expect(md + r.stderr).not.toContain(CANARY);
  });

  it('html: one self-contained page with every diff', () => {
    const r = slipway(clone, 'diff', '--path', 'deploy/web', '--from', 'origin/main', '--to', 'HEAD', '--format', 'html');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>\n/);
    expect(r.stdout).toContain('<title>Slipway comparison: web, origin/main → HEAD</title>');
    expect(r.stdout).toContain('<span class="add">+        image: web:1.5.0</span>');
    expect(r.stdout).not.toMatch(/<script|<link|src=/);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
  });

  it('json and text as before; --json is --format json', () => {
    const json = slipway(clone, 'diff', '--path', 'deploy/web', '--from', 'origin/main', '--json');
    const format = slipway(clone, 'diff', '--path', 'deploy/web', '--from', 'origin/main', '--format', 'json');
    expect(json.status, json.stderr).toBe(0);
    const strip = (s: string) => s.replace(/"createdAt": "[^"]+"/, '');
    expect(strip(format.stdout)).toBe(strip(json.stdout));
    expect(JSON.parse(json.stdout).summary).toMatchObject({ create: 1, update: 2 });
    const text = slipway(clone, 'diff', '--path', 'deploy/web', '--from', 'origin/main');
    expect(text.stdout).toContain('Differences: 1 to add, 2 to change, 0 to destroy.');
    expect(json.stdout + text.stdout).not.toContain(CANARY);
  });
});

describe('format errors and help', () => {
  it.each([
    ['diff', ['diff', '--from', 'origin/main', '--format', 'xml']],
    ['plan', ['plan', '--format', 'xml']],
  ])('%s refuses an unknown format, naming the ones there are', (_cmd, args) => {
    const r = slipway(clone, ...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, markdown, html.");
  });

  it.each([
    ['diff', ['diff', '--path', 'deploy/web', '--from', 'origin/main', '--json', '--format', 'markdown']],
    ['plan', ['plan', '--path', 'deploy/web', '--json', '--format', 'html']],
  ])('%s refuses --json with another --format before doing anything', (_cmd, args) => {
    const r = slipway(clone, ...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^slipway: error: --json is --format json: give either --json or --format (markdown|html), not both$/m);
    expect(r.stdout).toBe('');
  });

  it.each(['plan', 'diff'])('%s --help lists the formats', (cmd) => {
    const r = slipway(clone, cmd, '--help');
    expect(r.status).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' '); // as wrapped to the terminal's width
    expect(help).toContain('--format <format> print the plan as text (the default), json, markdown (a pull-request comment, kept under GitHub\'s 65,536 characters) or html (one self-contained page with every diff) (choices: "text", "json", "markdown", "html")');
    expect(help).toContain('--json the same as --format json');
  });
});
