/**
 * The sample repository of `npm run demo` and `npm run screenshots` (test/demo/sample-repo.ts)
 * tells the story it is meant to: four tagged releases with stable commit ids; each renders the
 * intended objects; against the real cluster v1.1.0 creates them, its migration Job run first as a
 * PreSync hook and its smoke test last as a PostSync hook (neither is a change), v1.2.0 only scales
 * the Deployment, and the bad release v2.0.0 plans and
 * applies cleanly, then fails on the Deployment's progress deadline (its Pods ask for 250 CPUs)
 * — and v1.2.0 recovers it; v2.1.0 then deletes the ConfigMap and the Secret (prune).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyPlan } from '../../core/apply/service.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import type { ResourceKey } from '../../core/model/resource.js';
import { planApp } from '../../core/plan/service.js';
import type { Plan } from '../../core/plan/types.js';
import { renderApp } from '../../core/render/render.js';
import { selectApp } from '../../core/source/load.js';
import { BAD_CPU_REQUEST, buildDemoRepo, DEMO_APP, DEMO_RELEASES, PROGRESS_DEADLINE_SECONDS, type DemoRepo } from '../demo/sample-repo.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const toolPaths = { kubectl: tools.kubectl, helm: tools.helm, kustomize: tools.kustomize };
const ns = `demo-it-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

const tmp = mkdtempSync(join(tmpdir(), 'slipway-demo-it-'));
const cacheDir = join(tmp, 'trees');
let demo: DemoRepo;
let repo: Repository;
let history: History;

const nameOf = (k: ResourceKey): string => `${k.kind} ${k.namespace ? `${k.namespace}/` : ''}${k.name}`;
const proposed = (p: Plan): string[] => p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${nameOf(c.key)}`).sort();
const container = (d: object): { image: string; resources: { requests: { cpu: string } }; envFrom?: unknown[] } =>
  (d as unknown as { spec: { template: { spec: { containers: Array<{ image: string; resources: { requests: { cpu: string } }; envFrom?: unknown[] }> } } } }).spec.template.spec.containers[0]!;

const kubectl = (...args: string[]): string => execFileSync(tools.kubectl, ['--kubeconfig', kubeconfigPath, '--context', 'slipway-admin', ...args], { encoding: 'utf8' }).trim();

function plan(rev: string): Promise<Plan> {
  return planApp({ repo, rev, selection: { app: DEMO_APP }, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), context: 'slipway-admin', cacheDir, tools: toolPaths });
}

beforeAll(async () => {
  demo = buildDemoRepo({ dir: join(tmp, 'storefront-gitops'), namespace: ns });
  repo = await openRepository(demo.dir);
  history = openHistory({ path: join(tmp, 'history.db') });
});

afterAll(async () => {
  history?.close();
  await repo?.close();
  spawnSync(tools.kubectl, ['--kubeconfig', kubeconfigPath, '--context', 'slipway-admin', 'delete', 'namespace', ns, '--ignore-not-found', '--wait=false']);
  rmSync(tmp, { recursive: true, force: true });
});

describe('the demo repository', () => {
  it('has one commit and one annotated tag per release, oldest first', () => {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: demo.dir, encoding: 'utf8' }).trim();
    expect(git('log', '--reverse', '--format=%s').split('\n')).toEqual(DEMO_RELEASES.map((r) => r.subject));
    expect(git('tag', '--list').split('\n')).toEqual(DEMO_RELEASES.map((r) => r.tag));
    for (const r of DEMO_RELEASES) {
      expect(git('rev-parse', `${r.tag}^{commit}`)).toBe(demo.commits[r.tag]);
      expect(git('cat-file', '-t', r.tag)).toBe('tag');
    }
    expect(git('status', '--porcelain')).toBe('');
  });

  it('is built again from scratch with the same commit ids, and never over a folder that is not one', () => {
    const dir = join(tmp, 'again');
    const first = buildDemoRepo({ dir });
    writeFileSync(join(dir, 'stray.txt'), 'left from a user session\n');
    const second = buildDemoRepo({ dir });
    expect(second.commits).toEqual(first.commits);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    const foreign = join(tmp, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine\n');
    expect(() => buildDemoRepo({ dir: foreign })).toThrow(/is not a Slipway demo repository/);
  });

  it.each(DEMO_RELEASES.map((r) => [r.tag, r] as const))('%s renders the intended objects', async (tag, release) => {
    const revision = await repo.resolve(tag);
    const { app } = await selectApp(repo, revision, { app: DEMO_APP });
    const rendered = await renderApp(repo, revision, app, { cacheDir, tools: toolPaths });
    expect(rendered.sourceType).toBe('kustomize');
    expect(rendered.diagnostics).toEqual([]);
    const configured = release.configured ? [`ConfigMap ${ns}/storefront-config`, `Job ${ns}/storefront-db-migrate`, `Job ${ns}/storefront-smoke-test`, `Secret ${ns}/storefront-db`] : [];
    expect(rendered.objects.map((o) => nameOf(o.key)).sort()).toEqual([...configured, `Deployment ${ns}/storefront`, `Namespace ${ns}`, `Service ${ns}/storefront`].sort());
    const deployment = rendered.objects.find((o) => o.key.kind === 'Deployment')!.manifest;
    expect((deployment as unknown as { spec: { replicas: number; progressDeadlineSeconds: number } }).spec).toMatchObject({ replicas: release.replicas, progressDeadlineSeconds: PROGRESS_DEADLINE_SECONDS });
    expect(container(deployment).image).toBe(release.image);
    expect(String(container(deployment).resources.requests.cpu)).toBe(release.cpu);
    expect(container(deployment).envFrom?.length ?? 0).toBe(release.configured ? 2 : 0);
  });
});

describe('the demo story against the cluster', () => {
  it('v1.1.0 creates the app; v1.2.0 only scales it', async () => {
    const first = await plan('v1.1.0');
    expect(proposed(first)).toEqual([`create ConfigMap ${ns}/storefront-config`, `create Deployment ${ns}/storefront`, `create Namespace ${ns}`, `create Secret ${ns}/storefront-db`, `create Service ${ns}/storefront`]);
    // The Jobs are Argo CD hooks, no changes: the migration before the app, the smoke test after it.
    expect(first.hooks.map((h) => `${h.phases.join(',')} ${nameOf(h.key)} ${h.deletePolicies.join(',')}`)).toEqual([
      `PreSync Job ${ns}/storefront-db-migrate BeforeHookCreation`,
      `PostSync Job ${ns}/storefront-smoke-test HookSucceeded`,
    ]);
    const created = await applyPlan({ plan: first, repo, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), history, cacheDir, tools: toolPaths, timeoutMs: 60_000 });
    expect(created.status).toBe('succeeded');
    // The Namespace first (the hook runs in it), then the migration (PreSync hook), the app by kind (the Service, the
    // ConfigMap and the Secret together, then the Deployment that reads them), and the smoke test last (PostSync hook).
    const steps = new Map<number, string[]>();
    for (const r of created.results) steps.set(r.step, [...(steps.get(r.step) ?? []), `${r.hook ?? 'Sync'} ${nameOf(r.key)} ${r.outcome}`].sort());
    expect([...steps.entries()].sort(([a], [b]) => a - b).map(([, objects]) => objects)).toEqual([
      [`Sync Namespace ${ns} healthy`],
      [`PreSync Job ${ns}/storefront-db-migrate healthy`],
      [`Sync Service ${ns}/storefront healthy`],
      [`Sync ConfigMap ${ns}/storefront-config healthy`, `Sync Secret ${ns}/storefront-db healthy`],
      [`Sync Deployment ${ns}/storefront healthy`],
      [`PostSync Job ${ns}/storefront-smoke-test healthy`],
    ]);
    // By their delete policies: the migration stays until the next apply (BeforeHookCreation), the smoke test went once it succeeded.
    expect(kubectl('get', 'jobs', '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}')).toBe('storefront-db-migrate');

    const scale = await plan('v1.2.0');
    expect(proposed(scale)).toEqual([`update Deployment ${ns}/storefront`]);
    expect(scale.changes.find((c) => c.action === 'update')!.changedPaths).toEqual(['spec.replicas']);
    expect((await applyPlan({ plan: scale, repo, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), history, cacheDir, tools: toolPaths, timeoutMs: 60_000 })).status).toBe('succeeded');
  });

  it('the bad release plans cleanly, then fails on the progress deadline; v1.2.0 recovers; v2.1.0 deletes the configuration', async () => {
    const bad = await plan('v2.0.0');
    expect(proposed(bad)).toEqual([`update Deployment ${ns}/storefront`]);
    const change = bad.changes.find((c) => c.action === 'update')!;
    expect(change.after).toContain(`cpu: "${BAD_CPU_REQUEST}"`);
    const started = Date.now();
    // A generous health timeout: only the Deployment's own progress deadline may end the wait.
    const outcome = await applyPlan({ plan: bad, repo, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), history, cacheDir, tools: toolPaths, timeoutMs: 120_000 });
    expect(outcome.status).toBe('failed');
    const deployment = outcome.results.find((r) => r.key.kind === 'Deployment')!;
    expect(deployment.outcome).toBe('unhealthy');
    expect(deployment.message).toMatch(/ProgressDeadlineExceeded/);
    // The migration ran first; the smoke test, after an app that never became healthy, did not.
    expect(outcome.results.filter((r) => r.hook).map((r) => `${r.hook} ${r.key.name} ${r.outcome}`)).toEqual(['PreSync storefront-db-migrate healthy', 'PostSync storefront-smoke-test skipped']);
    expect(Date.now() - started).toBeLessThan(90_000);

    const recover = await plan('v1.2.0');
    expect(proposed(recover)).toEqual([`update Deployment ${ns}/storefront`]);
    expect((await applyPlan({ plan: recover, repo, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), history, cacheDir, tools: toolPaths, timeoutMs: 60_000 })).status).toBe('succeeded');

    // The screenshots' destroy plan: with prune, the configuration the new release no longer has is deleted.
    const stateless = await plan('v2.1.0');
    expect(proposed(stateless)).toEqual([`delete ConfigMap ${ns}/storefront-config`, `delete Secret ${ns}/storefront-db`, `update Deployment ${ns}/storefront`]);
    expect(stateless.hooks).toEqual([]);
  }, 150_000);
});
