/**
 * The README's "The plan as a pull-request comment" recipe, run as GitHub Actions would run it:
 * its workflow is read from the README, and the step that compares and comments runs with bash
 * (as `run:` steps do) in a clone whose HEAD merges a pull-request branch into main, with the
 * built CLI as `slipway` (what the install step's `npm link` gives) and a stand-in for `gh` that
 * records what it was asked to post. The cluster variant runs too, against a kubeconfig whose
 * server does not answer: its flags are taken, it fails naming the cluster, and posts nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const root = new URL('../..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const TITLE = '## The plan as a pull-request comment';
const section = readme.slice(readme.indexOf(TITLE), readme.indexOf('\n## ', readme.indexOf(TITLE) + 1));
const yamlBlocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const CANARY = 'slipway-canary-readme-9c4f';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

/** The `${{ … }}` expressions the steps use, as a pull request into main would have them. */
const EXPRESSIONS: Readonly<Record<string, string>> = {
  'github.token': 'ghs_test',
  'github.base_ref': 'main',
  'github.event.pull_request.number': '7',
};

function evaluate(value: string, extra: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const v = extra[expr] ?? EXPRESSIONS[expr];
    if (v === undefined) throw new Error(`the test has no value for \${{ ${expr} }}`);
    return v;
  });
}

let tmp: string;
let upstream: TestRepo;
let app: string;
let bin: string;
let ghLog: string;

/** Runs a `run:` step as GitHub's Ubuntu runners do (bash -eo pipefail) in its working directory under the workspace. */
function runStep(step: Step, extra: Readonly<Record<string, string>> = {}): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    GITHUB_REPOSITORY: 'acme/deploy',
    GITHUB_WORKSPACE: join(tmp, 'ws'),
    RUNNER_TEMP: join(tmp, 'runner-temp'),
    GH_LOG: ghLog,
    SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'),
    SLIPWAY_DATA_DIR: join(tmp, 'data'),
    NO_COLOR: '1',
    ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v), extra)])),
  };
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd: join(tmp, 'ws', step['working-directory'] ?? '.'), env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const secret = (value: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${value}\n`;
const configMap = (level: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-env\ndata:\n  LOG_LEVEL: ${level}\n`;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-readme-pr-'));
  mkdirSync(join(tmp, 'ws'));
  mkdirSync(join(tmp, 'runner-temp'));
  ghLog = join(tmp, 'gh-log');
  mkdirSync(ghLog);
  // `slipway` as `npm link` puts it on the PATH, and a `gh` that records its arguments and the body it was given.
  bin = join(tmp, 'bin');
  mkdirSync(bin);
  symlinkSync(`${root}bin/slipway.js`, join(bin, 'slipway'));
  writeFileSync(
    join(bin, 'gh'),
    '#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_LOG/args"\nprev=""\nfor a in "$@"; do\n  if [ "$prev" = "--body-file" ]; then cp "$a" "$GH_LOG/body"; fi\n  prev="$a"\ndone\n',
  );
  chmodSync(join(bin, 'gh'), 0o755);

  upstream = createTestRepo({ prefix: 'slipway-readme-pr-upstream-' });
  upstream.write({
    'slipway.yaml': 'apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: shop}\n',
    'apps/web/configmap.yaml': configMap('info'),
    'apps/web/secret.yaml': secret(`${CANARY}-old`),
  });
  upstream.commit('web');
  // actions/checkout with fetch-depth 0 on a pull request: every branch as origin/*, HEAD the merge of the branch into its base.
  app = join(tmp, 'ws', 'app');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: app, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' } });
  execFileSync('git', ['clone', '-q', upstream.dir, app]);
  git('checkout', '-q', '-b', 'debug-logging');
  writeFileSync(join(app, 'apps/web/configmap.yaml'), configMap('debug'));
  writeFileSync(join(app, 'apps/web/secret.yaml'), secret(`${CANARY}-new`));
  git('commit', '-q', '-am', 'web: debug logging, new password');
  git('checkout', '-q', '--detach', 'origin/main');
  git('merge', '-q', '--no-ff', 'debug-logging', '-m', 'Merge debug-logging into main');
});
afterAll(() => {
  upstream?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('README: the plan as a pull-request comment', () => {
  it('has the workflow and the cluster step', () => {
    expect(yamlBlocks).toHaveLength(2);
  });

  it('is a workflow for pull requests that may comment, checking out the full history and installing Slipway', () => {
    const wf = parse(yamlBlocks[0]!) as Workflow;
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const steps = Object.values(wf.jobs)[0]!.steps;
    expect(steps[0]).toMatchObject({ uses: 'actions/checkout@v4', with: { path: 'app', 'fetch-depth': 0 } });
    expect(steps[1]).toMatchObject({ uses: 'actions/checkout@v4', with: { repository: '${{ vars.SLIPWAY_REPOSITORY }}', path: 'slipway' } });
    expect(steps[2]).toMatchObject({ uses: 'actions/setup-node@v4', with: { 'node-version': 22, 'cache-dependency-path': 'slipway/package-lock.json' } });
    const install = steps.find((s) => s.name === 'Install Slipway')!;
    expect(install['working-directory']).toBe('slipway');
    expect(install.run!.split('\n').map((l) => l.replace(/#.*/, '').trim())).toEqual(['npm ci', 'npm run build', 'npm link', '']);
    // What `npm link` links: the package's bin named slipway.
    expect((JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> }).bin).toEqual({ slipway: 'bin/slipway.js' });
    expect(steps.at(-1)).toMatchObject({ uses: 'actions/upload-artifact@v4', with: { path: 'app/plan.html' } });
  });

  it('compares the pull request with its base without a cluster and posts the Markdown (no Secret value in it)', () => {
    const wf = parse(yamlBlocks[0]!) as Workflow;
    const step = Object.values(wf.jobs)[0]!.steps.find((s) => s.run?.includes('slipway diff'))!;
    rmSync(join(ghLog, 'args'), { force: true });
    const r = runStep(step);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(ghLog, 'args'), 'utf8').trim().split('\n')).toEqual(['pr', 'comment', '7', '--repo', 'acme/deploy', '--body-file', 'plan.md', '--edit-last', '--create-if-none']);
    const body = readFileSync(join(ghLog, 'body'), 'utf8');
    expect(body).toMatch(/^## Slipway comparison: web, origin\/main → HEAD\n/);
    expect(body).toContain('**Differences: 0 to add, 2 to change, 0 to destroy.**');
    expect(body).toContain('-  LOG_LEVEL: info\n+  LOG_LEVEL: debug');
    expect(body).toContain('- `data.password`: changed');
    const html = readFileSync(join(app, 'plan.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(body + html + r.stdout + r.stderr).not.toContain(CANARY);
  });

  it('the cluster step takes its flags, fails naming the cluster it cannot reach, and posts nothing', () => {
    const steps = parse(yamlBlocks[1]!.replace(/^ {6}/gm, '')) as Step[];
    expect(steps).toHaveLength(1);
    const kubeconfig = 'apiVersion: v1\nkind: Config\nclusters: [{name: s, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: abc}}]\ncontexts: [{name: staging, context: {cluster: s, user: u}}]\ncurrent-context: staging\n';
    rmSync(join(ghLog, 'args'), { force: true });
    const r = runStep(steps[0]!, { 'secrets.STAGING_KUBECONFIG': kubeconfig });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^slipway: error: .*127\.0\.0\.1:1/m);
    expect(r.stderr, r.stderr).not.toMatch(/unknown option|invalid|not both/);
    expect(existsSync(join(ghLog, 'args'))).toBe(false);
    // The kubeconfig was written for the user only.
    expect(readFileSync(join(tmp, 'runner-temp', 'kubeconfig'), 'utf8')).toContain('server: "https://127.0.0.1:1"');
    expect(statSync(join(tmp, 'runner-temp', 'kubeconfig')).mode & 0o777).toBe(0o600);
  });
});
