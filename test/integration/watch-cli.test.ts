/**
 * `slipway watch` as users run it (the built CLI: `npm run build` first), against the local
 * cluster: after `slipway apply`, `--exit-on-drift` waits, then exits 2 at `kubectl scale`
 * naming spec.replicas (text) — and at once, in JSON lines, when the drift is already there;
 * `kubectl patch` of a Secret's value is named data.password and its value appears nowhere;
 * Ctrl-C (SIGINT) exits 0.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { showRun, slipwayCli } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const root = new URL('../..', import.meta.url).pathname;
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = `watch-cli-${suffix}`;
const canary = { applied: `pw-${randomBytes(8).toString('hex')}`, patched: `pw-${randomBytes(8).toString('hex')}` };
const tmp = mkdtempSync(join(tmpdir(), 'slipway-watch-cli-'));
const historyFile = join(tmp, 'history.db');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', historyFile];
let fixture: TestRepo;

interface Running {
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** `slipway watch …` in the background, as slipwayCli runs the CLI (same environment). */
function watch(args: readonly string[]): Running {
  const env = { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), NO_COLOR: '1', PATH: [dirname(tools.helm), dirname(tools.kustomize), process.env.PATH ?? ''].join(delimiter) };
  const child = spawn(process.execPath, [`${root}bin/slipway.js`, 'watch', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  void exited.then(() => clearTimeout(timer));
  return { stdout: () => out, stderr: () => err, exited, kill: (s) => child.kill(s) };
}

async function until(what: string, timeoutMs: number, condition: () => boolean, run?: Running): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${run ? `\n--- stdout\n${run.stdout()}\n--- stderr\n${run.stderr()}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const show = (r: Running, code: number | null): string => `exit ${code}\n--- stdout\n${r.stdout()}\n--- stderr\n${r.stderr()}`;

beforeAll(() => {
  kubectl(['create', 'namespace', NS]);
  fixture = createTestRepo({ prefix: 'slipway-watch-cli-' });
  const doc = (o: object): string => JSON.stringify(o, null, 2);
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: watched\n    path: apps/watched\n    destination: {namespace: ${NS}}\n`,
    'apps/watched/all.yaml': [
      doc({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      }),
      doc({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', stringData: { password: canary.applied } }),
    ].join('\n---\n'),
  });
  fixture.commit('the watched app');
  const r = slipway(['apply', '--repo', fixture.dir, '--app', 'watched', '--auto-approve', ...target]);
  expect(r.status, showRun(r)).toBe(0);
});

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('slipway watch', () => {
  it('Ctrl-C exits 0 after saying every object is as applied, with its health', async () => {
    const run = watch(['--repo', fixture.dir, '--app', 'watched', ...target]);
    await until('the first check', 60_000, () => /checked +2 objects: all as applied/.test(run.stdout()), run);
    await until('the Deployment to be healthy', 30_000, () => new RegExp(`health +Deployment.apps ${NS}/web: healthy`).test(run.stdout()), run);
    expect(run.stdout()).toMatch(new RegExp(`^Watching watched on slipway-admin \\(https://127\\.0\\.0\\.1:\\d+\\): 2 objects as last applied\\. Ctrl-C stops\\.`));
    run.kill('SIGINT');
    const code = await run.exited;
    expect(code, show(run, code)).toBe(0);
  });

  it('--exit-on-drift waits, then exits 2 at kubectl scale naming spec.replicas', async () => {
    const run = watch(['--repo', fixture.dir, '--app', 'watched', '--exit-on-drift', ...target]);
    await until('the first check', 60_000, () => /checked +2 objects: all as applied/.test(run.stdout()), run);
    kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas=4']);
    const code = await run.exited;
    expect(code, show(run, code)).toBe(2);
    expect(run.stdout()).toMatch(new RegExp(`drift +Deployment.apps ${NS}/web: spec\\.replicas \\(changed since run \\S+\\)`));
  });

  it('--json --exit-on-drift with the drift already there: one JSON line per event, exit 2 at once; a Secret value is a path only', async () => {
    kubectl(['patch', 'secret', 'db', '-n', NS, '-p', JSON.stringify({ data: { password: Buffer.from(canary.patched).toString('base64') } })]);
    const run = watch(['--repo', fixture.dir, '--app', 'watched', '--json', '--exit-on-drift', ...target]);
    const code = await run.exited;
    expect(code, show(run, code)).toBe(2);
    const lines = run
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object?: string; status?: string; paths?: string[] });
    expect(lines[0]).toMatchObject({ type: 'watching', app: 'watched', context: 'slipway-admin', objects: 2 });
    const drift = lines.filter((l) => l.type === 'drift');
    expect(drift.length).toBeGreaterThan(0);
    // Whichever object it met first: the scale of the test before, or the Secret's value.
    expect([
      [`Deployment.apps ${NS}/web`, ['spec.replicas']],
      [`Secret ${NS}/db`, ['data.password']],
    ]).toContainEqual([drift[0]!.object, drift[0]!.paths]);
    for (const value of Object.values(canary)) {
      expect(run.stdout() + run.stderr()).not.toContain(value);
      expect(run.stdout() + run.stderr()).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it('names the Secret value that changed, as a path, in text', async () => {
    const run = watch(['--repo', fixture.dir, '--app', 'watched', ...target]);
    await until('both drifts', 60_000, () => /checked +2 objects: 2 drifted/.test(run.stdout()), run);
    expect(run.stdout()).toMatch(new RegExp(`drift +Secret ${NS}/db: data\\.password `));
    run.kill('SIGINT');
    expect(await run.exited).toBe(0);
    for (const value of Object.values(canary)) expect(run.stdout()).not.toContain(Buffer.from(value).toString('base64'));
  });

  it('an app never applied to the context is an error (exit 1) saying so', () => {
    const r = slipway(['watch', '--repo', fixture.dir, '--app', 'watched', '--context', 'slipway-second', '--kubeconfig', kubeconfigPath, '--history', historyFile]);
    expect(r.status, showRun(r)).toBe(1);
    expect(r.stderr).toMatch(/the history has no apply of watched to the cluster of context slipway-second/);
  });
});
