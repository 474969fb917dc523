/**
 * The re-plan fast path against the real local cluster: after a succeeded apply, planning again
 * with the history as the "last apply" lookup skips the server-side dry-run of every object whose
 * desired hash and live resourceVersion both equal what that apply recorded — and gives exactly
 * the plan the full dry-run gives. Anything that changed since must still be seen: a live edit
 * (kubectl scale / patch), a new commit, a Secret changed in the cluster or in Git. A failed
 * apply's results are never used.
 *
 * Dry-runs are counted by watching KubeClient.apply (every server-side apply the plan sends).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import Sqlite from 'better-sqlite3';
import { createHandlers } from '../../core/api/handlers.js';
import { DiskCache } from '../../core/disk-cache/disk-cache.js';
import { diskCache, useDiskCache } from '../../core/disk-cache/process.js';
import { NOOP_YAML_NAMESPACE } from '../../core/plan/noop-yaml.js';
import { applyPlan, type ApplyOutcome } from '../../core/apply/service.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { KubeClient } from '../../core/kube/client.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import type { KubeObject } from '../../core/kube/types.js';
import { formatKey, type ResourceKey } from '../../core/model/resource.js';
import { planApp } from '../../core/plan/service.js';
import type { Plan } from '../../core/plan/types.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { cleanUp } from '../support/cleanup.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const toolPaths = { kubectl: tools.kubectl, helm: tools.helm, kustomize: tools.kustomize };
const kubeconfig = loadKubeconfig({ path: kubeconfigPath });
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });

const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = `replan-it-${suffix}`;
const password = { old: `pw-${randomBytes(6).toString('hex')}`, git: `pw-${randomBytes(6).toString('hex')}`, live: `pw-${randomBytes(6).toString('hex')}` };
const tmp = mkdtempSync(join(tmpdir(), 'slipway-replan-it-'));
const cacheDir = join(tmp, 'trees');
let fixture: TestRepo;
let repo: Repository;
let history: History;
const oid: Record<string, string> = {};

const yamlDocs = (...docs: object[]): string => docs.map((d) => JSON.stringify(d, null, 2)).join('\n---\n');
const deployment = (name: string, extra: { nodeSelector?: Record<string, string>; annotations?: Record<string, string> } = {}): object => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, annotations: extra.annotations ?? {} },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { ...(extra.nodeSelector && { nodeSelector: extra.nodeSelector }), containers: [{ name: 'app', image: 'nginx:1.27' }] } },
  },
});
const files = (opts: { logLevel: string; password: string }): Record<string, string> => ({
  'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: fast\n    path: apps/fast\n    destination: {namespace: ${NS}}\n    options: {prune: true}\n`,
  'apps/fast/config.yaml': yamlDocs({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { LOG_LEVEL: opts.logLevel } }),
  'apps/fast/secret.yaml': yamlDocs({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', stringData: { password: opts.password } }),
  'apps/fast/web.yaml': yamlDocs(deployment('web'), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  }),
  'apps/fast/rbac.yaml': yamlDocs(
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
  ),
});

/** Every server-side apply with dryRun the plan sent, as "Kind name". */
let dryRuns: string[] = [];
const nameOf = (k: ResourceKey): string => `${k.kind} ${k.name}`;

async function plan(rev: string, opts: { fast: boolean } = { fast: true }): Promise<Plan> {
  dryRuns = [];
  return planApp({ repo, rev, selection: { app: 'fast' }, kubeconfig, context: 'slipway-admin', cacheDir, tools: toolPaths, ...(opts.fast && { lastApply: history }) });
}
/** Forces conflicts: kubectl scale/patch leave fields that kubectl's managers own, which Git takes back. */
function apply(p: Plan, timeoutMs = 60_000): Promise<ApplyOutcome> {
  return applyPlan({ plan: p, repo, kubeconfig, history, cacheDir, tools: toolPaths, timeoutMs, forceConflicts: true });
}
const proposed = (p: Plan): string[] =>
  p.changes
    .filter((c) => c.action !== 'noop')
    .map((c) => `${c.action} ${nameOf(c.key)}`)
    .sort();
const explain = (p: Plan): string => `${JSON.stringify(p.summary)}\n${p.changes.map((c) => `  ${c.action} ${formatKey(c.key)} ${JSON.stringify(c.changedPaths)} ${c.message ?? ''}`).join('\n')}`;
/** The plan without when it was made, for comparing the fast path's plan with the full one. */
const body = (p: Plan): unknown => ({ ...p, createdAt: undefined });

/** Waits until no object of the namespace changes for a second (controllers settle after an apply). */
async function settle(): Promise<void> {
  const read = (): string => kubectl(['get', 'deploy,rs,cm,secret,svc,sa,role', '-n', NS, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}']);
  let last = read();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = read();
    if (now === last) return;
    last = now;
  }
}

beforeAll(async () => {
  fixture = createTestRepo({ prefix: 'slipway-replan-it-' });
  fixture.write(files({ logLevel: 'info', password: password.old }));
  oid.rev1 = fixture.commit('rev1');
  fixture.write({ 'apps/fast/config.yaml': files({ logLevel: 'debug', password: password.old })['apps/fast/config.yaml']! });
  oid.rev2 = fixture.commit('rev2: debug logs');
  fixture.write({ 'apps/fast/secret.yaml': files({ logLevel: 'debug', password: password.git })['apps/fast/secret.yaml']! });
  oid.rev3 = fixture.commit('rev3: new password');
  // rev4: a new LOG_LEVEL (wave 0) and a Deployment that can never become Available (wave 1): the apply fails half-way.
  fixture.write({
    'apps/fast/config.yaml': files({ logLevel: 'trace', password: password.git })['apps/fast/config.yaml']!,
    'apps/fast/stuck.yaml': yamlDocs(deployment('stuck', { nodeSelector: { 'slipway.test/no-such-node': 'true' }, annotations: { 'slipway.dev/wave': '1' } })),
  });
  oid.rev4 = fixture.commit('rev4: trace logs and a Deployment that never becomes Available');
  repo = await openRepository(fixture.dir);
  history = openHistory({ path: join(tmp, 'history.db') });
  kubectl(['create', 'namespace', NS]);
  const original = KubeClient.prototype.apply;
  vi.spyOn(KubeClient.prototype, 'apply').mockImplementation(function (this: KubeClient, obj, opts) {
    if (opts.dryRun) dryRuns.push(`${obj.kind} ${(obj.metadata as { name: string }).name}`);
    return original.call(this, obj, opts);
  });
});

afterEach(() => {
  dryRuns = [];
});

afterAll(async () => {
  vi.restoreAllMocks();
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => history?.close(), () => repo?.close?.(), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

const EVERY_OBJECT = ['ConfigMap settings', 'Deployment web', 'Role reader', 'Secret db', 'Service web', 'ServiceAccount web'];

describe('re-planning after a succeeded apply', () => {
  it('skips every dry-run and gives 0 changes — the same plan as with every dry-run', async () => {
    const first = await plan(oid.rev1!);
    expect(first.summary.create, explain(first)).toBe(EVERY_OBJECT.length);
    expect(dryRuns.sort()).toEqual(EVERY_OBJECT); // nothing applied yet: nothing to skip
    const outcome = await apply(first);
    expect(outcome.status, outcome.error).toBe('succeeded');
    await settle();

    const again = await plan(oid.rev1!);
    const skippedEverything = [...dryRuns];
    console.error(`[replan-fast] dry-runs after the first apply: ${JSON.stringify(skippedEverything)}`);
    expect(proposed(again), explain(again)).toEqual([]);
    const full = await plan(oid.rev1!, { fast: false });
    expect(dryRuns.sort()).toEqual(EVERY_OBJECT);
    expect(body(again)).toEqual(body(full));
    // The Deployment's status settles after its health wait (its resourceVersion moves on): it may be dry-run once more, nothing else is.
    expect(skippedEverything.filter((d) => d !== 'Deployment web')).toEqual([]);
  });

  it('a later process takes the unchanged objects\' YAML from the disk cache, never a Secret\'s, and plans the same', async () => {
    await settle();
    const file = join(tmp, 'noop-cache.db');
    useDiskCache(new DiskCache(file));
    try {
      const writing = await plan(oid.rev1!);
      expect(proposed(writing), explain(writing)).toEqual([]);
      // Objects not dry-run were planned unchanged: their YAML is kept, but never the Secret's (the Deployment's status may have moved on since its apply).
      const unchanged = EVERY_OBJECT.filter((o) => !dryRuns.includes(o) && o !== 'Secret db');
      expect(unchanged.length).toBeGreaterThanOrEqual(4);
      // What a second process finds: the disk cache's file, opened anew.
      useDiskCache(new DiskCache(file));
      const reading = await plan(oid.rev1!);
      const stats = diskCache()!.statistics()[NOOP_YAML_NAMESPACE];
      expect(stats).toMatchObject({ hits: unchanged.length, misses: 0, writes: 0 });
      expect(body(reading)).toEqual(body(writing));
      expect(reading.id).toBe(writing.id);
      const db = new Sqlite(file, { readonly: true });
      const kept = (db.prepare('SELECT value FROM entries WHERE ns = ?').all(NOOP_YAML_NAMESPACE) as { value: string }[]).map((r) => r.value);
      db.close();
      expect(kept).toHaveLength(unchanged.length);
      expect(kept.filter((y) => /^kind: Secret$/m.test(y) || y.includes(password.old))).toEqual([]);
    } finally {
      useDiskCache(undefined);
    }
  });

  it('the engine behind the UI takes the same fast path from the same history', async () => {
    const engine = createHandlers({ transport: 'memory', historyPath: join(tmp, 'history.db'), settingsPath: join(tmp, 'settings.json'), env: { HOME: tmp, KUBECONFIG: kubeconfigPath } });
    try {
      await engine.saveSettings({ ...(await engine.getSettings({})).settings, tools: toolPaths });
      const opened = await engine.openRepository({ path: fixture.dir });
      dryRuns = [];
      const p = await engine.plan({ repoId: opened.id, rev: oid.rev1!, app: 'fast', context: 'slipway-admin', kubeconfig: kubeconfigPath });
      expect(p.summary, JSON.stringify(p.summary)).toMatchObject({ create: 0, update: 0, delete: 0, replace: 0, error: 0 });
      expect(dryRuns.filter((d) => d !== 'Deployment web')).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('still sees a live edit: kubectl scale and kubectl patch', async () => {
    kubectl(['scale', 'deployment/web', '-n', NS, '--replicas=3']);
    kubectl(['patch', 'configmap/settings', '-n', NS, '--type=merge', '-p', JSON.stringify({ data: { LOG_LEVEL: 'warn' } })]);
    await settle();
    const p = await plan(oid.rev1!);
    expect(proposed(p), explain(p)).toEqual(['update ConfigMap settings', 'update Deployment web']);
    expect(p.changes.find((c) => c.key.kind === 'Deployment')?.changedPaths).toEqual(['spec.replicas']);
    expect(p.changes.find((c) => c.key.kind === 'ConfigMap')?.changedPaths).toEqual(['data.LOG_LEVEL']);
    expect(dryRuns).toEqual(expect.arrayContaining(['ConfigMap settings', 'Deployment web']));
    expect(dryRuns).not.toContain('Service web');
    expect(body(p)).toEqual(body(await plan(oid.rev1!, { fast: false })));
    // Put it back the way Git has it, so the next tests start from a succeeded apply of everything.
    const outcome = await apply(p);
    expect(outcome.status, outcome.error).toBe('succeeded');
    await settle();
    expect(proposed(await plan(oid.rev1!))).toEqual([]);
  });

  it('still sees a change in Git (a new commit)', async () => {
    const p = await plan(oid.rev2!);
    expect(proposed(p), explain(p)).toEqual(['update ConfigMap settings']);
    expect(dryRuns).toContain('ConfigMap settings');
    expect(dryRuns).not.toContain('Secret db');
    expect(body(p)).toEqual(body(await plan(oid.rev2!, { fast: false })));
    const outcome = await apply(p);
    expect(outcome.status, outcome.error).toBe('succeeded');
    await settle();
    const again = await plan(oid.rev2!);
    expect(proposed(again)).toEqual([]);
    expect(dryRuns.filter((d) => d !== 'Deployment web')).toEqual([]);
  });

  it('still sees a Secret changed in the cluster, and in Git, without showing its values', async () => {
    kubectl(['patch', 'secret/db', '-n', NS, '--type=merge', '-p', JSON.stringify({ stringData: { password: password.live } })]);
    await settle();
    const live = await plan(oid.rev2!);
    expect(proposed(live), explain(live)).toEqual(['update Secret db']);
    expect(live.changes.find((c) => c.key.kind === 'Secret')?.secretKeys).toEqual({ password: 'changed' });
    expect(dryRuns).toContain('Secret db');
    expect(JSON.stringify(live)).not.toContain(password.live);
    expect(JSON.stringify(live)).not.toContain(Buffer.from(password.live).toString('base64'));

    const git = await plan(oid.rev3!);
    expect(proposed(git), explain(git)).toEqual(['update Secret db']);
    expect(dryRuns).toContain('Secret db');
    const outcome = await apply(git);
    expect(outcome.status, outcome.error).toBe('succeeded');
    await settle();
    expect(proposed(await plan(oid.rev3!))).toEqual([]);
    expect(dryRuns).not.toContain('Secret db');
    const recorded = history.run(outcome.runId)?.objects.find((o) => o.key.kind === 'Secret');
    expect(recorded).toMatchObject({ outcome: 'healthy', desiredHash: git.changes.find((c) => c.key.kind === 'Secret')?.desiredHash, resultResourceVersion: expect.any(String) });
  });

  it('never uses what a failed (partial) apply recorded', async () => {
    const p = await plan(oid.rev4!);
    expect(proposed(p), explain(p)).toEqual(['create Deployment stuck', 'update ConfigMap settings']);
    const outcome = await apply(p, 4_000);
    expect(outcome.status, outcome.error).toBe('failed');
    // Wave 0 went through: the ConfigMap is healthy at rev4 and its hash and resourceVersion are in that run's record…
    const cm = history.run(outcome.runId)?.objects.find((o) => o.key.kind === 'ConfigMap');
    expect(cm).toMatchObject({ outcome: 'healthy', desiredHash: expect.any(String), resultResourceVersion: expect.any(String) });
    const admin = new KubeClient(kubeconfig, 'slipway-admin');
    const cmLive = (await admin.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: NS, name: 'settings' }).finally(() => admin.close())) as KubeObject;
    expect(cmLive.metadata.resourceVersion).toBe(cm?.resultResourceVersion);
    // …but the run failed, so re-planning dry-runs the ConfigMap again rather than trusting it.
    const again = await plan(oid.rev4!);
    expect(dryRuns).toContain('ConfigMap settings');
    expect(dryRuns).toContain('Deployment stuck');
    expect(body(again)).toEqual(body(await plan(oid.rev4!, { fast: false })));
    expect(proposed(again)).toEqual([]);
  });
});
