/**
 * Sync result and health apart, as Argo CD keeps them (issue 16, item 4), on the real local
 * cluster, which has no load-balancer controller: an app with a Deployment and a LoadBalancer
 * Service (Online Boutique's frontend-external) is applied, the Service never gets an address, and
 * the run ends `progressing` after the Service's settle time (30 s, core/apply/health/assess.ts
 * OUTSIDE_WAITS) — not failed after 300 s. `slipway apply` exits 0 and names the Service; history
 * records the run and the object as progressing; a re-plan has nothing to change. A Deployment
 * that cannot become available still fails its apply — unless the app's slipway.yaml says, per
 * kind (options.wait), not to wait for it: then both are done once applied, at once.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHistory } from '../../core/history/history.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });
const root = new URL('../..', import.meta.url).pathname;
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = { shop: `progressing-it-${suffix}`, broken: `progressing-it-${suffix}-broken`, unwaited: `progressing-it-${suffix}-unwaited` } as const;
/** As a Pod could never match it: the Deployment that carries it never becomes Available. */
const NO_NODE_SELECTOR = { 'slipway.test/no-such-node': 'true' };

let tmp: string;
let fixture: TestRepo;
let commit: string;

const yamlDocs = (...docs: object[]): string => docs.map((d) => JSON.stringify(d, null, 2)).join('\n---\n');
const deployment = (name: string, nodeSelector?: Record<string, string>): object => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { ...(nodeSelector && { nodeSelector }), containers: [{ name: 'server', image: 'gcr.io/google-samples/microservices-demo/frontend:v0.10.2', ports: [{ containerPort: 8080 }] }] } },
  },
});
/** Online Boutique's frontend-external. */
const loadBalancer = (app: string): object => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: `${app}-external` },
  spec: { type: 'LoadBalancer', selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
});
const app = (namespace: string, nodeSelector?: Record<string, string>): string =>
  yamlDocs({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, deployment('frontend', nodeSelector), loadBalancer('frontend'));

function slipway(args: readonly string[]): { status: number | null; stdout: string; stderr: string; seconds: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args, '--kubeconfig', kubeconfig, '--history', join(tmp, 'history.db')], {
    encoding: 'utf8',
    input: '',
    env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_SETTINGS: join(tmp, 'settings.json'), NO_COLOR: '1' },
    timeout: 180_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
}

const runIdOf = (stderr: string): string => /Run (\S+) recorded/.exec(stderr)?.[1] ?? '';

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  tmp = mkdtempSync(join(tmpdir(), 'slipway-progressing-it-'));
  fixture = createTestRepo({ prefix: 'slipway-progressing-it-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: shop
    path: apps/shop
    destination: {namespace: ${NS.shop}}
  - name: broken
    path: apps/broken
    destination: {namespace: ${NS.broken}}
  - name: unwaited
    path: apps/unwaited
    destination: {namespace: ${NS.unwaited}}
    options:
      wait: {Service: applied, Deployment.apps: applied, CronJob.batch: strict}
`,
    'apps/shop/all.yaml': app(NS.shop),
    'apps/broken/all.yaml': app(NS.broken, NO_NODE_SELECTOR),
    'apps/unwaited/all.yaml': app(NS.unwaited, NO_NODE_SELECTOR),
  });
  commit = fixture.commit('a frontend behind a LoadBalancer Service');
});

afterAll(() => {
  for (const n of Object.values(NS)) kubectl.result(['delete', 'namespace', n, '--ignore-not-found', '--wait=false']);
  fixture?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('a LoadBalancer Service on a cluster without a load-balancer controller', () => {
  it('ends the apply "applied, progressing" after 30 s: exit 0, the Service named with why, history says progressing', () => {
    const applied = slipway(['apply', '--repo', fixture.dir, '--rev', commit, '--app', 'shop', '--context', 'slipway-admin', '--auto-approve']);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stderr).toContain(
      `Apply complete, still progressing: Service ${NS.shop}/frontend-external — waiting for the load balancer to get an address (no load-balancer controller answered in 30 s)`,
    );
    expect(applied.stderr).toMatch(new RegExp(`✓ Deployment\\.apps ${NS.shop}/frontend healthy`));
    // The Service's settle time, not its 300 s timeout.
    expect(applied.seconds).toBeGreaterThanOrEqual(30);
    expect(applied.seconds).toBeLessThan(60);
    // The Service is there, without an address.
    expect(kubectl.result(['get', 'service', 'frontend-external', '-n', NS.shop, '-o', 'jsonpath={.spec.type}/{.status.loadBalancer.ingress}']).stdout).toBe('LoadBalancer/');

    const history = openHistory({ path: join(tmp, 'history.db') });
    try {
      const run = history.run(runIdOf(applied.stderr));
      expect(run?.status).toBe('progressing');
      expect(run?.error).toBeUndefined();
      const outcomes = Object.fromEntries((run?.objects ?? []).map((o) => [`${o.key.kind} ${o.key.name}`, o.outcome]));
      expect(outcomes).toEqual({ [`Namespace ${NS.shop}`]: 'healthy', 'Deployment frontend': 'healthy', 'Service frontend-external': 'progressing' });
    } finally {
      history.close();
    }

    // Applied: a re-plan has nothing to change (the Service's missing address is status, not a difference).
    const replan = slipway(['plan', '--repo', fixture.dir, '--rev', commit, '--app', 'shop', '--context', 'slipway-admin', '--detailed-exitcode']);
    expect(replan.status, replan.stdout + replan.stderr).toBe(0);
  });

  it('a Deployment that cannot become available still fails the apply (exit 1), beside the progressing Service', () => {
    const applied = slipway(['apply', '--repo', fixture.dir, '--rev', commit, '--app', 'broken', '--context', 'slipway-admin', '--auto-approve', '--timeout', '15']);
    expect(applied.status, applied.stderr).toBe(1);
    expect(applied.stderr).toMatch(new RegExp(`✗ Deployment\\.apps ${NS.broken}/frontend failed: timed out after 15 s`));
    expect(applied.stderr).toContain('Apply failed after');
    expect(applied.stderr).not.toContain('Apply complete');
    const history = openHistory({ path: join(tmp, 'history.db') });
    try {
      const run = history.run(runIdOf(applied.stderr));
      expect(run?.status).toBe('failed');
      expect(run?.objects.find((o) => o.key.kind === 'Deployment')?.outcome).toBe('timeout');
      expect(run?.objects.find((o) => o.key.kind === 'Service')?.outcome).toBe('progressing');
    } finally {
      history.close();
    }
  });
});

describe("slipway.yaml's wait per kind (options.wait)", () => {
  it('Service and Deployment.apps applied: the plan says so, and the same broken Deployment and LoadBalancer Service end applied at once (exit 0)', () => {
    const plan = slipway(['plan', '--repo', fixture.dir, '--rev', commit, '--app', 'unwaited', '--context', 'slipway-admin']);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("  waits     CronJob.batch: strict, Deployment.apps: applied, Service: applied (options.wait; an object's slipway.dev/wait wins)");
    // A kind the app has no object of: a warning at the app's definition in slipway.yaml.
    expect(plan.stdout).toMatch(/slipway\.yaml:\d+.*warning: options\.wait: "CronJob\.batch" is the kind of no object of the app, so the entry does nothing \(its kinds: Deployment\.apps, Namespace, Service;/);

    const applied = slipway(['apply', '--repo', fixture.dir, '--rev', commit, '--app', 'unwaited', '--context', 'slipway-admin', '--auto-approve']);
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stderr).not.toContain('still progressing');
    // Neither the Service's 30 s settle time nor the Deployment's timeout.
    expect(applied.seconds).toBeLessThan(25);
    const history = openHistory({ path: join(tmp, 'history.db') });
    try {
      const run = history.run(runIdOf(applied.stderr));
      expect(run?.status).toBe('succeeded');
      const results = Object.fromEntries((run?.objects ?? []).map((o) => [`${o.key.kind} ${o.key.name}`, [o.outcome, o.message]]));
      expect(results).toMatchObject({
        'Deployment frontend': ['applied', "not waited for (the app's wait for Deployment.apps: applied)"],
        'Service frontend-external': ['applied', "not waited for (the app's wait for Service: applied)"],
      });
    } finally {
      history.close();
    }
  });
});
