/**
 * The apply engine against the real local cluster, end to end: plans made from a real Git
 * repository are applied with applyPlan (and the CLI), recorded in a history file, and checked
 * against what the cluster then holds.
 *
 * - shop: the plan tests' fixture app (every common kind, a CRD and its custom resource) applied,
 *   re-planned to zero changes, kubectl taking its turn on the same ApplySet, a second revision
 *   with updates and a pruned file, a rollback through the CLI, and a plan gone stale;
 * - waves: an object that never becomes healthy stops the apply at its wave;
 * - duo: two applies of one app at once, and a lease held by someone else;
 * - crash: the CLI killed in the middle of an apply.
 *
 * kwok fakes the only Node: Pods become Running and Ready, Deployments Available; nothing runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { acquireLease } from '../../core/apply/lease.js';
import type { ApplyEvent } from '../../core/apply/executor.js';
import { applyPlan, type ApplyOutcome } from '../../core/apply/service.js';
import { appParent } from '../support/applyset.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { KubeClient } from '../../core/kube/client.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import type { KubeObject } from '../../core/kube/types.js';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_ID_LABEL, APPLYSET_PART_OF_LABEL, APPLYSET_TOOLING_ANNOTATION, applySetId, groupKindString } from '../../core/model/applyset.js';
import type { ResourceKey } from '../../core/model/resource.js';
import { planApp } from '../../core/plan/service.js';
import type { Plan } from '../../core/plan/types.js';
import { renderPlanJson } from '../../core/plan/view-json.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { shopAppFiles, shopObjects } from '../support/shop-app.js';
import { cleanUp } from '../support/cleanup.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const toolPaths = { kubectl: tools.kubectl, helm: tools.helm, kustomize: tools.kustomize };
const kubeconfig = loadKubeconfig({ path: kubeconfigPath });
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const root = new URL('../..', import.meta.url).pathname;

const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
/** One namespace per app, so the tests do not see each other's objects. */
const NS = { shop: `apply-it-${suffix}`, waves: `apply-it-${suffix}-waves`, duo: `apply-it-${suffix}-duo`, crash: `apply-it-${suffix}-crash`, cancel: `apply-it-${suffix}-cancel`, overlap: `apply-it-${suffix}-overlap`, early: `apply-it-${suffix}-early` } as const;
type AppName = keyof typeof NS;
const group = `shop-${suffix}.slipway.test`;
const crdName = `promotions.${group}`;
const password = `pw-${randomBytes(9).toString('hex')}`;
/** The StatefulSet's volume: the local cluster has no StorageClass or provisioner, so its claim gets a PersistentVolume made for it. */
const pvName = `apply-it-${suffix}-db-data`;
/** As a Pod could never match it: the Deployment that carries it never becomes Available. */
const NO_NODE_SELECTOR = { 'slipway.test/no-such-node': 'true' };
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How a lease names an apply of this user on this machine: user@host/pid-<pid>/apply-<n>. */
const holderPattern = (pid: number): RegExp => new RegExp(`^${escapeRegExp(`${userInfo().username}@${hostname()}/pid-${pid}/`)}apply-\\d+$`);
/** RFC 3339 with microseconds, as Lease times are written. */
const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const tmp = mkdtempSync(join(tmpdir(), 'slipway-apply-it-'));
const cacheDir = join(tmp, 'trees');
const historyFile = join(tmp, 'history.db');
let fixture: TestRepo;
let repo: Repository;
let history: History;
let admin: KubeClient;
const children: ChildProcess[] = [];
/** Commit oids by revision name. */
const oid: Record<string, string> = {};

// ---- the apps -------------------------------------------------------------------------------

/** The plan tests' shop app (its HorizontalPodAutoscaler is healthy without a metrics pipeline: it can scale its target). */
function shopFiles(): Record<string, string> {
  return shopAppFiles({ namespace: NS.shop, group, password });
}

/** "Kind namespace/name" of every object of shop (cluster-scoped: "Kind name"). */
const SHOP_OBJECTS = shopObjects({ namespace: NS.shop, group }).sort();

const yamlDocs = (...docs: object[]): string => docs.map((d) => JSON.stringify(d, null, 2)).join('\n---\n');
const configMap = (name: string, annotations: Record<string, string> = {}): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations }, data: { name } });
const deployment = (name: string, spec: { minReadySeconds?: number; nodeSelector?: Record<string, string> }, annotations: Record<string, string> = {}): object => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, annotations },
  spec: {
    replicas: 1,
    ...(spec.minReadySeconds !== undefined && { minReadySeconds: spec.minReadySeconds }),
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { ...(spec.nodeSelector && { nodeSelector: spec.nodeSelector }), containers: [{ name: 'app', image: 'nginx:1.27' }] },
    },
  },
});

/** Wave 0: its namespace and a ConfigMap; wave 1: a Deployment that never becomes Available; wave 2: a ConfigMap. */
const wavesApp = (namespace: string): string =>
  yamlDocs(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    configMap('first'),
    deployment('unschedulable', { nodeSelector: NO_NODE_SELECTOR }, { 'slipway.dev/wave': '1' }),
    configMap('last', { 'slipway.dev/wave': '2' }),
  );

const slipwayYaml = `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
${(Object.keys(NS) as AppName[]).map((app) => `  - name: ${app}\n    path: apps/${app}\n    destination: {namespace: ${NS[app]}}\n    options: {prune: true}\n`).join('')}`;

// ---- helpers --------------------------------------------------------------------------------

function plan(rev: string, app: AppName): Promise<Plan> {
  return planApp({ repo, rev, selection: { app }, kubeconfig, context: 'slipway-admin', cacheDir, tools: toolPaths });
}

function apply(p: Plan, opts: { timeoutMs?: number; signal?: AbortSignal; onEvent?: (e: ApplyEvent) => void } = {}): Promise<ApplyOutcome> {
  return applyPlan({ plan: p, repo, kubeconfig, history, cacheDir, tools: toolPaths, timeoutMs: opts.timeoutMs ?? 90_000, ...(opts.signal && { signal: opts.signal }), ...(opts.onEvent && { onEvent: opts.onEvent }) });
}

const nameOf = (k: ResourceKey): string => `${k.kind} ${k.namespace ? `${k.namespace}/` : ''}${k.name}`;
/** "action Kind ns/name" of every change that is not a noop, sorted. */
const proposed = (p: Plan): string[] => p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${nameOf(c.key)}`).sort();
const summary = (counts: Partial<Plan['summary']>): Plan['summary'] => ({ create: 0, update: 0, delete: 0, replace: 0, noop: 0, error: 0, ...counts });
/** Object name → outcome, for results and for history records alike. */
const outcomes = (results: readonly { key: ResourceKey; outcome: string }[]): Record<string, string> => Object.fromEntries(results.map((r) => [nameOf(r.key), r.outcome]));
const explainPlan = (p: Plan): string =>
  [
    `plan ${p.id}: ${JSON.stringify(p.summary)}`,
    ...p.changes.filter((c) => c.action !== 'noop').map((c) => `  ${c.action} ${nameOf(c.key)} paths=${JSON.stringify(c.changedPaths)}${c.message ? ` message=${JSON.stringify(c.message)}` : ''}`),
    ...p.diagnostics.map((d) => `  diagnostic ${d.severity} ${d.code}: ${d.message}`),
  ].join('\n');
const explainOutcome = (o: ApplyOutcome): string =>
  [`run ${o.runId}: ${o.status}${o.error ? `: ${o.error}` : ''}`, ...o.results.map((r) => `  ${r.outcome} ${r.action} ${nameOf(r.key)}${r.message ? `: ${r.message}` : ''}`)].join('\n');

const key = (apiVersion: string, kind: string, namespace: string | undefined, name: string): ResourceKey => {
  const [g, v] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  return { group: g, version: v, kind, ...(namespace !== undefined && { namespace }), name };
};
const live = (k: ResourceKey): Promise<KubeObject | null> => admin.get(k);
const field = (obj: KubeObject | null, ...path: string[]): unknown => path.reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], obj);
const labels = (obj: KubeObject | null | undefined): Record<string, string> => (obj?.metadata.labels ?? {}) as Record<string, string>;
const annotations = (obj: KubeObject | null | undefined): Record<string, string> => (obj?.metadata.annotations ?? {}) as Record<string, string>;
/** Each app's ApplySet parent name (after the fixture repository's first commit and the app); its Lease has the same name. */
const parentNames = {} as Record<AppName, string>;
const parentKey = (app: AppName): ResourceKey => key('v1', 'Secret', NS[app], parentNames[app]);
const leaseKey = (app: AppName): ResourceKey => key('coordination.k8s.io/v1', 'Lease', NS[app], parentNames[app]);

/** resourceVersion of every object a plan names and of the app's ApplySet parent, once two reads a second apart agree (controllers settle). */
async function settledVersions(p: Plan, app: AppName): Promise<Record<string, string>> {
  const read = async (): Promise<Record<string, string>> => {
    const keys = [...p.changes.map((c) => c.key), parentKey(app)];
    const objs = await Promise.all(keys.map(live));
    return Object.fromEntries(keys.map((k, i) => [nameOf(k), objs[i]?.metadata.resourceVersion ?? 'absent']));
  };
  let last = await read();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error(`the objects never settled: ${JSON.stringify(last)}`);
}

const cliEnv = (): NodeJS.ProcessEnv => ({ ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cli-cache'), NO_COLOR: '1' });

function slipway(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8', env: cliEnv() });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// ---- setup ----------------------------------------------------------------------------------

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  fixture = createTestRepo({ prefix: 'slipway-apply-it-' });
  fixture.write({
    'slipway.yaml': slipwayYaml,
    ...shopFiles(),
    'apps/waves/app.yaml': wavesApp(NS.waves),
    'apps/crash/app.yaml': wavesApp(NS.crash),
    'apps/cancel/app.yaml': wavesApp(NS.cancel),
    // One wave, two kind groups: a Deployment that takes a few seconds to become Available (workloads), then its autoscaler (autoscaling).
    'apps/overlap/app.yaml': yamlDocs(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS.overlap } },
      deployment('slow', { minReadySeconds: 3 }),
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'slow' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'slow' }, minReplicas: 1, maxReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] } },
    ),
    // A Deployment reading one ConfigMap and one that names nothing, among ConfigMaps and RBAC neither needs.
    'apps/early/app.yaml': yamlDocs(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS.early } },
      ...Array.from({ length: 30 }, (_, i) => configMap(`unrelated-${String(i).padStart(2, '0')}`)),
      configMap('reader-config'),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'unrelated' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'unrelated' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'unrelated' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'unrelated' }, subjects: [{ kind: 'ServiceAccount', name: 'unrelated', namespace: NS.early }] },
      deployment('plain', {}),
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'reader' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'reader' } }, template: { metadata: { labels: { app: 'reader' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'reader-config' } }] }] } } },
      },
    ),
    // duo's namespace is made by hand (below), so the lease next to its ApplySet parent can be taken before anything is applied.
    'apps/duo/app.yaml': yamlDocs(configMap('duo-config'), deployment('slow', { minReadySeconds: 5 })),
  });
  oid.rev1 = fixture.commit('rev1: every app');
  fixture.tag('rev1');
  const shop = shopFiles();
  fixture.git('checkout', '-q', '-b', 'rev2');
  fixture.write({
    'apps/shop/config.yaml': shop['apps/shop/config.yaml']!.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'),
    'apps/shop/web.yaml': shop['apps/shop/web.yaml']!.replace('replicas: 2', 'replicas: 3'),
    'apps/shop/promotion.yaml': shop['apps/shop/promotion.yaml']!.replace('code: SPRING', 'code: SUMMER'),
    'apps/shop/cronjob.yaml': null,
  });
  oid.rev2 = fixture.commit('rev2: debug logs, 3 web replicas, summer sale, no report');
  fixture.git('checkout', '-q', 'main');

  repo = await openRepository(fixture.dir);
  for (const app of Object.keys(NS) as AppName[]) parentNames[app] = (await appParent(repo, { name: app, path: `apps/${app}`, namespace: NS[app] })).name;
  history = openHistory({ path: historyFile });
  admin = new KubeClient(kubeconfig, 'slipway-admin');
  kubectl(['create', 'namespace', NS.duo]);
  kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        hostPath: { path: `/tmp/${pvName}` },
        claimRef: { namespace: NS.shop, name: 'data-db-0' },
      },
    }),
  });
});

afterAll(async () => {
  const steps: (() => unknown)[] = [
    ...children.map((c) => () => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')),
    ...Object.values(NS).map((ns) => () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'])),
    () => kubectl(['delete', 'customresourcedefinition', crdName, '--ignore-not-found', '--wait=false']),
    () => kubectl(['delete', 'persistentvolume', pvName, '--ignore-not-found', '--wait=false']),
    () => admin?.close(),
    () => history?.close(),
    () => repo?.close?.(),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ];
  await cleanUp(steps);
});

// ---- the tests ------------------------------------------------------------------------------

describe('shop: apply, prune, rollback, stale plan', () => {
  let rev1: Plan;
  let rev1Run: string;

  it('applies rev1: every object healthy, one succeeded run with per-object results in history, and a re-plan with zero changes', async () => {
    rev1 = await plan('rev1', 'shop');
    expect(proposed(rev1), explainPlan(rev1)).toEqual(SHOP_OBJECTS.map((o) => `create ${o}`).sort());

    const out = await apply(rev1);
    expect(out.status, explainOutcome(out)).toBe('succeeded');
    expect(out.error).toBeUndefined();
    expect(outcomes(out.results), explainOutcome(out)).toEqual(Object.fromEntries(SHOP_OBJECTS.map((o) => [o, 'healthy'])));
    rev1Run = out.runId;

    const runs = history.runsOfApp({ repo: rev1.inputs.repo, app: 'shop' }).items;
    expect(runs.map((r) => [r.id, r.kind, r.status, r.commit, r.planId])).toEqual([[out.runId, 'apply', 'succeeded', oid.rev1, rev1.id]]);
    expect(runs[0]!.finishedAt).toBeDefined();
    const run = history.run(out.runId)!;
    expect(outcomes(run.objects)).toEqual(outcomes(out.results));
    expect(run.objects.filter((o) => o.afterHash === undefined || o.wave !== 0).map((o) => nameOf(o.key))).toEqual([]);
    // What history keeps of the Secret is masked (DESIGN.md rule 7).
    const secret = run.objects.find((o) => o.key.kind === 'Secret')!;
    const stored = JSON.stringify(history.snapshot(secret.afterHash!));
    expect(stored).toContain('shop-db');
    for (const leak of [password, Buffer.from(password).toString('base64')]) expect(stored).not.toContain(leak);

    const again = await plan('rev1', 'shop');
    expect(proposed(again), explainPlan(again)).toEqual([]);
    expect(again.summary, explainPlan(again)).toEqual(summary({ noop: SHOP_OBJECTS.length }));
    // Every object is a member of the app's ApplySet.
    const objects = await Promise.all(rev1.changes.map((c) => live(c.key)));
    expect(objects.map((o, i) => [nameOf(rev1.changes[i]!.key), labels(o)[APPLYSET_PART_OF_LABEL]])).toEqual(rev1.changes.map((c) => [nameOf(c.key), rev1.inputs.applySet.id]));
  });

  it("leaves an ApplySet parent with kubectl's id label and group-kinds", async () => {
    const parent = await live(parentKey('shop'));
    expect(labels(parent)[APPLYSET_ID_LABEL]).toBe(applySetId({ group: '', kind: 'Secret', namespace: NS.shop, name: parentNames.shop }));
    expect(labels(parent)[APPLYSET_ID_LABEL]).toBe(rev1.inputs.applySet.id);
    expect(annotations(parent)[APPLYSET_GROUP_KINDS_ANNOTATION]).toBe([...new Set(rev1.changes.map((c) => groupKindString(c.key)))].sort().join(','));
    expect(annotations(parent)[APPLYSET_TOOLING_ANNOTATION]).toMatch(/^kubectl\//);
  });

  // Two field managers applying the same Secret stringData or StatefulSet volumeClaimTemplates always conflict under
  // server-side apply (neither is stored as sent), so kubectl takes its turn either as Slipway's field manager or with force.
  it.each([
    ['as field manager slipway', ['--field-manager=slipway']],
    ["as kubectl's own field manager, forcing conflicts", ['--force-conflicts']],
  ])('kubectl apply --applyset --prune --dry-run=server (%s) accepts the parent and would prune nothing', (_how, flags) => {
    const r = kubectl.result(['apply', '--server-side', ...flags, `--applyset=${parentNames.shop}`, '--prune', '-n', NS.shop, '-f', join(fixture.dir, 'apps', 'shop'), '--dry-run=server']);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const applied = r.stdout.split('\n').filter((line) => line.endsWith(' serverside-applied (server dry run)'));
    expect(applied.length, r.stdout).toBe(SHOP_OBJECTS.length);
    expect(r.stdout).toContain('deployment.apps/web serverside-applied (server dry run)');
    expect(r.stdout).not.toMatch(/pruned/);
  });

  it('applies rev2: updates in place and prunes only the owned object whose file was removed', async () => {
    kubectl(['create', 'configmap', 'hand-made', '-n', NS.shop, '--from-literal=owner=someone-else']);
    const p = await plan('rev2', 'shop');
    const changed = [`update ConfigMap ${NS.shop}/shop-config`, `update Deployment ${NS.shop}/web`, `update Promotion ${NS.shop}/spring-sale`];
    expect(proposed(p), explainPlan(p)).toEqual([`delete CronJob ${NS.shop}/report`, ...changed].sort());

    const out = await apply(p);
    expect(out.status, explainOutcome(out)).toBe('succeeded');
    expect(outcomes(out.results), explainOutcome(out)).toEqual({
      [`CronJob ${NS.shop}/report`]: 'deleted',
      [`ConfigMap ${NS.shop}/shop-config`]: 'healthy',
      [`Deployment ${NS.shop}/web`]: 'healthy',
      [`Promotion ${NS.shop}/spring-sale`]: 'healthy',
    });

    expect(await live(key('batch/v1', 'CronJob', NS.shop, 'report'))).toBeNull();
    expect(field(await live(key('v1', 'ConfigMap', NS.shop, 'hand-made')), 'data', 'owner')).toBe('someone-else');
    expect(field(await live(key('v1', 'ConfigMap', NS.shop, 'shop-config')), 'data', 'LOG_LEVEL')).toBe('debug');
    expect(field(await live(key('apps/v1', 'Deployment', NS.shop, 'web')), 'spec', 'replicas')).toBe(3);
    expect(field(await live(key(`${group}/v1`, 'Promotion', NS.shop, 'spring-sale')), 'spec', 'code')).toBe('SUMMER');
    // The parent no longer lists the pruned kind.
    expect(annotations(await live(parentKey('shop')))[APPLYSET_GROUP_KINDS_ANNOTATION]).not.toContain('CronJob.batch');
    const again = await plan('rev2', 'shop');
    expect(proposed(again), explainPlan(again)).toEqual([]);
  });

  it('rolls back to the rev1 run with the CLI: live state is rev1 again and history records a rollback run pointing at it', () => {
    const r = slipway(['rollback', '--to', rev1Run, '--kubeconfig', kubeconfigPath, '--auto-approve', '--history', historyFile]);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stderr).toMatch(/Apply succeeded/);
    // Each step names its kind group.
    expect(r.stderr).toMatch(/^\[step 1\] wave 0 · upsert · (config|workloads|custom)/m);

    const runs = history.runsOfApp({ repo: rev1.inputs.repo, app: 'shop' }).items;
    expect(runs.map((x) => [x.kind, x.status, x.commit])).toEqual([
      ['rollback', 'succeeded', oid.rev1],
      ['apply', 'succeeded', oid.rev2],
      ['apply', 'succeeded', oid.rev1],
    ]);
    expect(runs[0]!.rollbackOf).toBe(rev1Run);
    expect(outcomes(history.run(runs[0]!.id)!.objects)).toEqual({
      [`CronJob ${NS.shop}/report`]: 'healthy',
      [`ConfigMap ${NS.shop}/shop-config`]: 'healthy',
      [`Deployment ${NS.shop}/web`]: 'healthy',
      [`Promotion ${NS.shop}/spring-sale`]: 'healthy',
    });
    const shown = slipway(['history', runs[0]!.id, '--history', historyFile]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`${runs[0]!.id}  rollback succeeded  shop @ ${oid.rev1!.slice(0, 12)}`);
  });

  it('after the rollback, a re-plan of rev1 shows zero changes (and the hand-made ConfigMap is still there)', async () => {
    const again = await plan('rev1', 'shop');
    expect(proposed(again), explainPlan(again)).toEqual([]);
    expect(again.summary, explainPlan(again)).toEqual(summary({ noop: SHOP_OBJECTS.length }));
    expect(await live(key('v1', 'ConfigMap', NS.shop, 'hand-made'))).not.toBeNull();
  });

  it('refuses a plan that kubectl scale made stale, naming the object; records a refused run; changes nothing', async () => {
    const p = await plan('rev2', 'shop');
    expect(proposed(p), explainPlan(p)).toContain(`update Deployment ${NS.shop}/web`);
    kubectl(['scale', 'deployment', 'web', '-n', NS.shop, '--replicas=4']);
    kubectl(['rollout', 'status', '-n', NS.shop, 'deployment/web', '--timeout=60s']);
    const before = await settledVersions(p, 'shop');

    const out = await apply(p);
    expect(out.status, explainOutcome(out)).toBe('refused');
    expect(out.error).toBe(`plan is stale: Deployment.apps ${NS.shop}/web changed; plan again`);
    expect(out.results).toEqual([]);
    const run = history.run(out.runId)!;
    expect([run.kind, run.status, run.error, run.objects]).toEqual(['apply', 'refused', out.error, []]);

    expect(await settledVersions(p, 'shop')).toEqual(before);
    expect(field(await live(key('apps/v1', 'Deployment', NS.shop, 'web')), 'spec', 'replicas')).toBe(4);
    expect(field(await live(key('v1', 'ConfigMap', NS.shop, 'shop-config')), 'data', 'LOG_LEVEL')).toBe('info');
    expect(await live(key('batch/v1', 'CronJob', NS.shop, 'report'))).not.toBeNull();
    expect(await live(leaseKey('shop'))).toBeNull();
  });
});

describe('waves: an object that never becomes healthy', () => {
  it('stops the apply at its wave with a message naming it and why; the later wave is skipped, not applied; history says exactly that', async () => {
    const p = await plan('rev1', 'waves');
    const started = Date.now();
    const out = await apply(p, { timeoutMs: 15_000 });
    expect(Date.now() - started).toBeLessThan(60_000);

    expect(out.status, explainOutcome(out)).toBe('failed');
    expect(out.error, explainOutcome(out)).toMatch(/\(wave 1\) failed: /);
    expect(out.error, explainOutcome(out)).toContain(`Deployment.apps ${NS.waves}/unschedulable`);
    expect(out.error, explainOutcome(out)).toMatch(/timed out after 15 s; last status: 0 of 1 replicas? available/);
    const expected = {
      [`Namespace ${NS.waves}`]: 'healthy',
      [`ConfigMap ${NS.waves}/first`]: 'healthy',
      [`Deployment ${NS.waves}/unschedulable`]: 'timeout',
      [`ConfigMap ${NS.waves}/last`]: 'skipped',
    };
    expect(outcomes(out.results), explainOutcome(out)).toEqual(expected);
    expect(out.results.map((r) => [nameOf(r.key), r.wave])).toEqual([
      [`Namespace ${NS.waves}`, 0],
      [`ConfigMap ${NS.waves}/first`, 0],
      [`Deployment ${NS.waves}/unschedulable`, 1],
      [`ConfigMap ${NS.waves}/last`, 2],
    ]);

    // The Deployment is there (applied, never Available); the wave-2 ConfigMap is not.
    expect(await live(key('apps/v1', 'Deployment', NS.waves, 'unschedulable'))).not.toBeNull();
    expect(await live(key('v1', 'ConfigMap', NS.waves, 'last'))).toBeNull();
    expect(await live(leaseKey('waves'))).toBeNull();

    const run = history.run(out.runId)!;
    expect([run.status, run.error]).toEqual(['failed', out.error]);
    expect(outcomes(run.objects)).toEqual(expected);
    expect(run.objects.find((o) => o.key.name === 'unschedulable')?.message).toMatch(/timed out after 15 s/);
    expect(run.objects.find((o) => o.key.name === 'last')?.message).toBe('not started: an earlier step failed');
  });
});

describe('cancel: while waiting for health', () => {
  it('ends the run cancelled at once: the waited-for object is recorded applied (not healthy), the later wave not started', async () => {
    const p = await plan('rev1', 'cancel');
    const abort = new AbortController();
    let cancelledAt = 0;
    const out = await apply(p, {
      timeoutMs: 120_000,
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === 'object' && e.state === 'waiting' && e.key.name === 'unschedulable') {
          cancelledAt = Date.now();
          abort.abort();
        }
      },
    });
    expect(cancelledAt).toBeGreaterThan(0);
    // Well before the 120 s health timeout: the wait notices the cancel within a poll.
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    expect([out.status, out.error], explainOutcome(out)).toEqual(['cancelled', expect.stringMatching(/^cancelled during step \d+ of \d+$/)]);
    expect(outcomes(out.results), explainOutcome(out)).toEqual({
      [`Namespace ${NS.cancel}`]: 'healthy',
      [`ConfigMap ${NS.cancel}/first`]: 'healthy',
      [`Deployment ${NS.cancel}/unschedulable`]: 'applied',
      [`ConfigMap ${NS.cancel}/last`]: 'skipped',
    });
    expect(out.results.find((r) => r.key.name === 'unschedulable')?.message).toBe('cancelled while waiting for it to become healthy');
    expect(await live(key('v1', 'ConfigMap', NS.cancel, 'last'))).toBeNull();
    const run = history.run(out.runId)!;
    expect(run.status).toBe('cancelled');
    expect(outcomes(run.objects)).toEqual(outcomes(out.results));
    expect(await live(leaseKey('cancel'))).toBeNull();
  });
});

describe('overlap: kind groups within one wave', () => {
  it('sends the later kind group while the Deployment becomes Available, and ends the wave only when both are healthy', async () => {
    const p = await plan('rev1', 'overlap');
    const events: string[] = [];
    const out = await apply(p, {
      onEvent: (e) => {
        if (e.type === 'object' && (e.state === 'applied' || e.state === 'healthy')) events.push(`${e.key.kind} ${e.state}`);
      },
    });
    expect([out.status, out.error], explainOutcome(out)).toEqual(['succeeded', undefined]);
    // As Argo CD does within a sync wave: kind order for sending, one health wait at the end of the wave.
    expect(events.indexOf('HorizontalPodAutoscaler applied'), JSON.stringify(events)).toBeLessThan(events.indexOf('Deployment healthy'));
    expect(outcomes(out.results), explainOutcome(out)).toEqual({
      [`Namespace ${NS.overlap}`]: 'healthy',
      [`Deployment ${NS.overlap}/slow`]: 'healthy',
      [`HorizontalPodAutoscaler ${NS.overlap}/slow`]: 'healthy',
    });
  });
});

describe('early: a workload goes as soon as what it names is there', () => {
  it('sends a Deployment before the ConfigMaps and RBAC it does not need, and after the ConfigMap it reads', async () => {
    const p = await plan('rev1', 'early');
    const applied: string[] = [];
    const out = await apply(p, { onEvent: (e) => void (e.type === 'object' && e.state === 'applying' && applied.push(nameOf(e.key))) });
    expect([out.status, out.error], explainOutcome(out)).toEqual(['succeeded', undefined]);
    expect(Object.values(outcomes(out.results)).every((o) => o === 'healthy'), explainOutcome(out)).toBe(true);
    const at = (name: string): number => applied.indexOf(name);
    const unrelated = applied.filter((n) => /\/unrelated/.test(n));
    expect(unrelated).toHaveLength(33);
    // plain names nothing: right after its Namespace, before every ConfigMap and RBAC object.
    expect(at(`Deployment ${NS.early}/plain`), applied.join('\n')).toBe(1);
    // reader waits for its ConfigMap (sent in the config step, with the unrelated ones), not for the kind groups after config.
    expect(at(`Deployment ${NS.early}/reader`), applied.join('\n')).toBeGreaterThan(at(`ConfigMap ${NS.early}/reader-config`));
    // The history's start times say the same.
    const started = Object.fromEntries(history.run(out.runId)!.objects.map((o) => [nameOf(o.key), o.startedAt]));
    expect(started[`Deployment ${NS.early}/plain`]! <= started[`ConfigMap ${NS.early}/reader-config`]!, JSON.stringify(started)).toBe(true);
    expect(started[`Deployment ${NS.early}/reader`]! >= started[`ConfigMap ${NS.early}/reader-config`]!, JSON.stringify(started)).toBe(true);
  });
});

describe('duo: one apply of an app at a time', () => {
  it('refuses an apply while someone else holds the lease, naming them; changes nothing', async () => {
    const p = await plan('rev1', 'duo');
    const client = new KubeClient(kubeconfig, 'slipway-admin');
    const held = await acquireLease(client, { namespace: NS.duo, name: parentNames.duo, holder: 'alice@laptop/pid-4242' });
    try {
      const out = await apply(p);
      expect(out.status, explainOutcome(out)).toBe('refused');
      expect(out.error).toMatch(new RegExp(`^another apply of this app is running: lease ${NS.duo}/${parentNames.duo} is held by alice@laptop/pid-4242 since `));
      expect(history.run(out.runId)?.status).toBe('refused');
      expect(await live(key('v1', 'ConfigMap', NS.duo, 'duo-config'))).toBeNull();
      expect(await live(key('apps/v1', 'Deployment', NS.duo, 'slow'))).toBeNull();
      expect(field(await live(leaseKey('duo')), 'spec', 'holderIdentity')).toBe('alice@laptop/pid-4242');
    } finally {
      await held.release();
      await client.close();
    }
  });

  it.each([
    ['no lease yet', undefined],
    ['an expired lease left behind by a crashed apply', 'bob@crashed/pid-1'],
  ])('two applies of the same app started together (%s): one succeeds, the other is refused naming the holder', async (_case, crashed) => {
    kubectl(['delete', 'deployment/slow', 'configmap/duo-config', '-n', NS.duo, '--ignore-not-found', '--wait']);
    if (crashed) {
      const long = microTime(new Date(Date.now() - 300_000));
      await admin.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: parentNames.duo, namespace: NS.duo }, spec: { holderIdentity: crashed, leaseDurationSeconds: 60, acquireTime: long, renewTime: long } });
    }
    const p = await plan('rev1', 'duo');
    expect(proposed(p), explainPlan(p)).toEqual([`create ConfigMap ${NS.duo}/duo-config`, `create Deployment ${NS.duo}/slow`]);
    // Watch who holds the lease while the applies run.
    const holders = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const holder = field(await live(leaseKey('duo')).catch(() => null), 'spec', 'holderIdentity');
        if (typeof holder === 'string') holders.add(holder);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let outs: ApplyOutcome[];
    try {
      outs = await Promise.all([apply(p), apply(p)]);
    } finally {
      watching = false;
      await watcher;
    }
    const explain = outs.map(explainOutcome).join('\n');
    expect(outs.map((o) => o.status).sort(), explain).toEqual(['refused', 'succeeded']);
    const refused = outs.find((o) => o.status === 'refused')!;
    const holder = /is held by (\S+) since /.exec(refused.error ?? '')?.[1];
    expect(holder, explain).toMatch(holderPattern(process.pid));
    expect([...holders], explain).toContain(holder);
    expect(refused.results).toEqual([]);
    expect(outs.map((o) => history.run(o.runId)?.status).sort()).toEqual(['refused', 'succeeded']);
    expect(field(await live(key('apps/v1', 'Deployment', NS.duo, 'slow')), 'status', 'availableReplicas')).toBe(1);
    expect(await live(leaseKey('duo'))).toBeNull();
  });
});

describe('crash: the CLI killed in the middle of an apply', () => {
  it('leaves a run marked interrupted, an intact database, a lease that expires, and a next plan that shows what is live', async () => {
    const crashHistory = join(tmp, 'crash-history.db');
    const planFile = join(tmp, 'crash-plan.json');
    const p = await plan('rev1', 'crash');
    expect(proposed(p), explainPlan(p)).toEqual([`create ConfigMap ${NS.crash}/first`, `create ConfigMap ${NS.crash}/last`, `create Deployment ${NS.crash}/unschedulable`, `create Namespace ${NS.crash}`]);
    writeFileSync(planFile, renderPlanJson(p));

    const child = spawn(process.execPath, [`${root}bin/slipway.js`, 'apply', planFile, '--kubeconfig', kubeconfigPath, '--auto-approve', '--history', crashHistory, '--timeout', '300'], { env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

    // Wait until the run is recorded as running with results, and the wave-1 Deployment has been sent.
    let runId = '';
    await vi.waitFor(
      async () => {
        expect(child.exitCode, output).toBeNull();
        expect(existsSync(crashHistory)).toBe(true);
        const h = openHistory({ path: crashHistory });
        try {
          const [run] = h.runsOfApp({ repo: p.inputs.repo, app: 'crash' }).items;
          expect(run?.status).toBe('running');
          expect(h.run(run!.id)!.objects.length).toBeGreaterThanOrEqual(1);
          runId = run!.id;
        } finally {
          h.close();
        }
        expect(await live(key('apps/v1', 'Deployment', NS.crash, 'unschedulable'))).not.toBeNull();
      },
      { timeout: 60_000, interval: 250 },
    );
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = openHistory({ path: crashHistory });
    try {
      const run = after.run(runId)!;
      expect(run.status, run.error).toBe('interrupted');
      expect(run.error).toContain(`(pid ${child.pid} on `);
      expect(outcomes(run.objects)).toEqual({ [`Namespace ${NS.crash}`]: 'healthy', [`ConfigMap ${NS.crash}/first`]: 'healthy' });
    } finally {
      after.close();
    }
    const db = new Sqlite(crashHistory, { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      db.close();
    }

    // The next plan shows what is live: what was applied is there as planned, the rest still to create, nothing else.
    const next = await plan('rev1', 'crash');
    expect(proposed(next), explainPlan(next)).toEqual([`create ConfigMap ${NS.crash}/last`]);
    expect(next.summary, explainPlan(next)).toEqual(summary({ create: 1, noop: 3 }));

    // The lease the killed process held is still there, so an apply now is refused, naming that process.
    const deadHolder = field(await live(leaseKey('crash')), 'spec', 'holderIdentity');
    expect(deadHolder).toMatch(holderPattern(child.pid!));
    const refused = await applyPlan({ plan: next, repo, kubeconfig, history, cacheDir, tools: toolPaths });
    expect(refused.status, explainOutcome(refused)).toBe('refused');
    expect(refused.error).toContain(`is held by ${String(deadHolder)}`);
    // Nobody renews it: 61 s on, it has expired and the next apply may take it over (the clock is moved instead of waiting a minute).
    const client = new KubeClient(kubeconfig, 'slipway-admin');
    try {
      const later = await acquireLease(client, { namespace: NS.crash, name: parentNames.crash, holder: 'cleanup-after-crash', now: () => new Date(Date.now() + 61_000) });
      expect(field(await live(leaseKey('crash')), 'spec', 'holderIdentity')).toBe('cleanup-after-crash');
      await later.release();
    } finally {
      await client.close();
    }
    const resumed = await apply(next);
    expect(resumed.status, explainOutcome(resumed)).toBe('succeeded');
    expect(outcomes(resumed.results)).toEqual({ [`ConfigMap ${NS.crash}/last`]: 'healthy' });
  });
});
