/**
 * A chart that renders differently on every run (randAlphaNum) through the CLI against the real
 * cluster: `slipway plan --out` then `slipway apply <plan> --auto-approve` refuses, naming the
 * ConfigMap and saying why no exact plan can be applied, exits 1 and applies nothing. A chart's
 * Helm test hook is never an object of the plan.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-random-it-'));
const NS = `slipway-random-${Date.now().toString(36)}`; // its own each run: an earlier run's may still be terminating
let repo: TestRepo;

/** The CLI with helm on PATH, its caches and history in this test's folder. */
function slipway(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: [dirname(tools.helm), process.env.PATH ?? ''].join(delimiter), SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_HISTORY: join(tmp, 'history.db'), NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const chart = (name: string, templates: Record<string, string>): Record<string, string> => ({
  [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
  ...Object.fromEntries(Object.entries(templates).map(([file, text]) => [`charts/${name}/templates/${file}`, text])),
});

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  repo = createTestRepo({ prefix: 'slipway-random-' });
  repo.write({
    ...chart('rnd', {
      'fixed.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fixed\ndata:\n  a: "1"\n',
      'token.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: token\ndata:\n  token: {{ randAlphaNum 8 | quote }}\n',
    }),
    ...chart('tested', {
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tested\n',
      'tests/ping.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tested-ping\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers:\n    - name: ping\n      image: busybox\n',
    }),
  });
  repo.commit('a random chart and a tested chart');
  kubectl(['create', 'namespace', NS]);
});

afterAll(() => {
  kubectl.result(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a chart that renders differently on every run', () => {
  it('plans, then apply refuses naming the ConfigMap and why, exit 1, and nothing is applied', () => {
    const planFile = join(tmp, 'rnd.plan.json');
    const plan = slipway(['plan', '--repo', repo.dir, '--path', 'charts/rnd', '--namespace', NS, '--kubeconfig', kubeconfigPath, '--context', 'slipway-admin', '--out', planFile]);
    expect(plan.status, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`\\+ create ConfigMap ${NS}/token`));

    const apply = slipway(['apply', planFile, '--kubeconfig', kubeconfigPath, '--auto-approve']);
    expect(apply.status, apply.stdout + apply.stderr).toBe(1);
    // apply shows the plan first; the refusal is its own line.
    const said = (apply.stdout + apply.stderr).split('\n').find((l) => l.includes('plan is stale')) ?? '';
    expect(said).toMatch(/^Apply refused after [\d.]+ s: plan is stale: app rnd /);
    expect(said).toContain(`renders differently on every run (random or time-based template functions such as randAlphaNum, uuidv4, now, genCA); two renders at ${repo.git('rev-parse', 'HEAD').slice(0, 12)} differ: ConfigMap ${NS}/token.`);
    expect(said).toContain('An exact plan cannot be applied for such an app');
    expect(said).toMatch(/Pin the generated values/);
    expect(said).not.toMatch(/ConfigMap [^ ]*\/fixed/); // only what changes between runs is named
    expect(said).not.toMatch(/tools or values changed/);

    const left = kubectl.result(['get', 'configmaps', '-n', NS, '-o', 'name']);
    expect(left.status, left.stderr).toBe(0);
    expect(left.stdout.split('\n').filter((l) => l.startsWith('configmap/') && l !== 'configmap/kube-root-ca.crt')).toEqual([]);
  });
});

describe('a chart with a Helm test hook', () => {
  it('renders without the test Pod, and says it was left out', () => {
    const render = slipway(['render', '--repo', repo.dir, '--path', 'charts/tested', '--verbose']);
    expect(render.status, render.stderr).toBe(0);
    expect(render.stdout).toMatch(/name: tested\b/);
    expect(render.stdout + render.stderr).not.toMatch(/tested-ping/);
    expect(render.stdout + render.stderr).toMatch(/1 Helm test hook was left out of app tested/);
  });
});
