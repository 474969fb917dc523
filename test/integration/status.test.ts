/**
 * `slipway status` against the real local cluster (kwok runs the Pods): after `slipway apply` of a
 * Deployment, a Service, a Job and a Secret, the tree shows Deployment → ReplicaSet → Pods healthy,
 * Service → EndpointSlice, Job → its succeeded Pod, and the app's Events; a context that may not
 * list Pods shows the rest and says what it could not read; a member deleted behind Slipway's back
 * is missing (exit 3); a Pod that asks for 250 CPUs shows the scheduler's reason (exit 2). No form of
 * the Secret's value appears in any output.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dispatchCommand } from '../../core/api/dispatch.js';
import type { EngineEvent } from '../../core/api/contract.js';
import { createHandlers } from '../../core/api/handlers.js';
import { watchLiveTreeOf, type AppLiveTree } from '../../core/engine/live-tree.js';
import { openRepository } from '../../core/git/repository.js';
import { openHistory } from '../../core/history/history.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { showRun, slipwayCli, type CliRun } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const NS = `status-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-status-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const history = join(tmp, 'history.db');
const CANARY = `status-canary-${randomBytes(4).toString('hex')}`;
const app = ['--repo', '', '--path', 'app', '-n', NS];
const admin = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', history];
let repo: TestRepo;

const APP = {
  'app/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
          ports: [{containerPort: 80}]
          env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: creds, key: token}}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`,
  'app/migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: busybox:1.37, command: ["true"]}]
`,
  'app/creds.yaml': `apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {token: ${CANARY}}
`,
};

/** A Deployment of one Pod asking for 250 CPUs: the kwok node has 32, so it stays Pending. */
const BIG = `apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: 1
  progressDeadlineSeconds: 600
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec:
      containers: [{name: app, image: nginx:1.27.0, resources: {requests: {cpu: "250"}}}]
`;

interface JsonNode {
  key: { kind: string; name: string };
  health: string;
  message: string;
  reason?: string;
  phase?: string;
  old?: boolean;
  gone?: boolean;
  unread?: string[];
  children: JsonNode[];
}
interface JsonTree {
  health: string;
  roots: JsonNode[];
  events: { type: string; reason: string; object: { kind: string; name: string }; count: number }[];
  gaps: { kind: string; of: string; namespace?: string; message: string }[];
  app: { name: string; namespace: string };
  context: string;
}

const status = (...extra: string[]): CliRun => slipway(['status', ...app, ...admin, ...extra]);
const json = (r: CliRun): JsonTree => JSON.parse(r.stdout) as JsonTree;
const root = (t: JsonTree, kind: string, name: string): JsonNode | undefined => t.roots.find((n) => n.key.kind === kind && n.key.name === name);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** No form of the Secret's value in a run's output. */
const leaks = (r: CliRun): string[] => [CANARY, Buffer.from(CANARY).toString('base64')].filter((s) => r.stdout.includes(s) || r.stderr.includes(s));

/** Runs `slipway status` until `done` holds for its run (the cluster settles: endpoints, Events), or returns the last run. */
async function statusUntil(done: (r: CliRun) => boolean, args: readonly string[] = [], timeoutMs = 45_000): Promise<CliRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = status(...args);
    if (done(r) || Date.now() > deadline) return r;
    await sleep(1000);
  }
}

beforeAll(() => {
  repo = createTestRepo({ prefix: 'slipway-status-' });
  app[1] = repo.dir;
  repo.write(APP);
  repo.commit('web, its Service, a migration Job and its credentials');
  const r = slipway(['apply', ...app, ...admin, '--create-namespace', '--auto-approve']);
  if (r.status !== 0) throw new Error(`the first apply failed:\n${showRun(r)}`);
});

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('slipway status', () => {
  it('shows Deployment → ReplicaSet → Pods, Service → EndpointSlice and Job → its succeeded Pod healthy, with the app’s Events, and exits 0', async () => {
    const r = await statusUntil((x) => x.status === 0 && /2 of 2 endpoints ready/.test(x.stdout));
    expect(r.status, showRun(r)).toBe(0);
    const text = r.stdout;
    expect(text).toContain(`app app (app) on context slipway-admin, namespace ${NS}: healthy`);
    expect(text).toMatch(new RegExp(`${NS}\\s+Deployment\\.apps/web\\s+healthy\\s+\\S+\\s+2 of 2 replicas available`));
    expect(text).toMatch(/└─ ReplicaSet\.apps\/web-[a-z0-9]+\s+healthy/);
    expect(text.match(/[├└]─ Pod\/web-[a-z0-9]+-[a-z0-9]{5}\s+healthy\s+\S+\s+Running and Ready/g), text).toHaveLength(2);
    expect(text).toMatch(/└─ EndpointSlice\.discovery\.k8s\.io\/web-[a-z0-9]+\s+healthy\s+\S+\s+2 of 2 endpoints ready/);
    expect(text).toMatch(/Job\.batch\/migrate\s+healthy\s+\S+\s+Complete: 1 of 1 succeeded/);
    expect(text).toMatch(/└─ Pod\/migrate-[a-z0-9]{5}\s+healthy\s+\S+\s+Succeeded: ran to completion/);
    expect(text).toMatch(/Secret\/creds\s+healthy/);
    expect(text).toMatch(/Events \(newest first.*\):\nLAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);

    const j = await statusUntil((x) => x.status === 0 && json(x).events.some((e) => e.reason === 'Completed'), ['--json', '--events', '100']);
    expect(j.status, showRun(j)).toBe(0);
    const tree = json(j);
    expect(tree).toMatchObject({ health: 'healthy', app: { name: 'app', namespace: NS }, context: 'slipway-admin', gaps: [] });
    const web = root(tree, 'Deployment', 'web')!;
    expect(web.children.map((c) => c.key.kind)).toEqual(['ReplicaSet']);
    expect(web.children[0]!.children.map((p) => [p.key.kind, p.health, p.phase])).toEqual([
      ['Pod', 'healthy', 'Running'],
      ['Pod', 'healthy', 'Running'],
    ]);
    expect(root(tree, 'Service', 'web')!.children.map((c) => [c.key.kind, c.health])).toEqual([['EndpointSlice', 'healthy']]);
    expect(root(tree, 'Job', 'migrate')!.children.map((c) => [c.key.kind, c.health, c.phase])).toEqual([['Pod', 'healthy', 'Succeeded']]);
    // An EndpointSlice carries its Service's labels, part-of included: still no member.
    expect(tree.roots.map((n) => `${n.key.kind}/${n.key.name}`).sort()).toEqual(['Deployment/web', 'Job/migrate', 'Secret/creds', 'Service/web']);
    const said = (kind: string, reason: string): boolean => tree.events.some((e) => e.object.kind === kind && e.reason === reason);
    expect(said('Deployment', 'ScalingReplicaSet'), JSON.stringify(tree.events)).toBe(true);
    expect(said('ReplicaSet', 'SuccessfulCreate')).toBe(true);
    expect(said('Pod', 'Scheduled')).toBe(true);
    expect(said('Job', 'Completed')).toBe(true);
    expect([...leaks(r), ...leaks(j)]).toEqual([]);
  });

  it('answers the UI’s liveTree command through the contract with the same tree', async () => {
    const engine = createHandlers({ transport: 'memory', historyPath: history, settingsPath: join(tmp, 'settings.json'), env: { HOME: tmp, KUBECONFIG: kubeconfigPath } });
    try {
      const opened = await dispatchCommand(engine, 'openRepository', { path: repo.dir });
      if (!opened.ok) throw new Error(opened.error.message);
      const { id } = opened.value as { id: string };
      const refused = await dispatchCommand(engine, 'liveTree', { repoId: id, app: 'app', path: 'app', context: 'slipway-admin' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
      const reply = await dispatchCommand(engine, 'liveTree', { repoId: id, path: 'app', context: 'slipway-admin', namespace: NS, events: 5 });
      if (!reply.ok) throw new Error(reply.error.message);
      const tree = reply.value as JsonTree & { moreEvents: number };
      expect(tree).toMatchObject({ health: 'healthy', context: 'slipway-admin', app: { namespace: NS } });
      expect(tree.roots.map((n) => `${n.key.kind}/${n.key.name}`).sort()).toEqual(['Deployment/web', 'Job/migrate', 'Secret/creds', 'Service/web']);
      expect(root(tree, 'Deployment', 'web')!.children[0]!.children).toHaveLength(2);
      expect(tree.events).toHaveLength(5);
      expect(tree.moreEvents).toBeGreaterThan(0);
      expect(JSON.stringify(reply)).not.toContain(CANARY);
    } finally {
      await engine.close();
    }
  });

  it('keeps the tree current through the shared watches: kubectl scale → a third Pod appears, scaled back → it goes', async () => {
    const opened = await openRepository(repo.dir);
    const h = openHistory({ path: history });
    const trees: AppLiveTree[] = [];
    const watch = await watchLiveTreeOf({ repo: opened, selection: { path: 'app' }, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), context: 'slipway-admin', overrides: { namespace: NS }, cacheDir: join(tmp, 'cache'), lastApply: h, onTree: (t) => trees.push(t), debounceMs: 50 });
    const webPods = (t: AppLiveTree): string[] => (t.roots.find((n) => n.key.kind === 'Deployment' && n.key.name === 'web')?.children ?? []).flatMap((rs) => rs.children.filter((p) => p.health === 'healthy' && !p.deleting).map((p) => p.key.name));
    const until = async (what: string, ok: (t: AppLiveTree) => boolean): Promise<AppLiveTree> => {
      const deadline = Date.now() + 30_000;
      while (!ok(watch.tree())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the tree: ${JSON.stringify(watch.tree().roots.map((r) => r.key.name))}, watches: ${JSON.stringify(watch.states())}`);
        await sleep(100);
      }
      return watch.tree();
    };
    try {
      await until('the watches to sync', () => watch.states().every((s) => s.state.phase === 'synced'));
      expect(webPods(watch.tree())).toHaveLength(2);
      expect(watch.states().map((s) => s.key)).toEqual(expect.arrayContaining([`apps/v1/deployments@${NS}`, `apps/v1/replicasets@${NS}`, `v1/pods@${NS}`, `v1/events@${NS}`, `discovery.k8s.io/v1/endpointslices@${NS}`]));
      expect(watch.states().some((s) => s.key.startsWith('v1/secrets'))).toBe(false);
      kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas=3']);
      const scaled = await until('a third Pod', (t) => webPods(t).length === 3 && t.health === 'healthy');
      expect(scaled.roots.find((n) => n.key.name === 'web' && n.key.kind === 'Service')?.children[0]?.message).toMatch(/of 3 endpoints ready|of 2 endpoints ready/);
      kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas=2']);
      await until('back to two Pods', (t) => webPods(t).length === 2);
      expect(trees.length).toBeGreaterThan(2);
      expect(JSON.stringify(trees)).not.toContain(CANARY);
    } finally {
      await watch.close();
      h.close();
      await opened.close();
    }
  });

  it('streams the live tree to the UI through the contract (watchLiveTree, live-tree events, stopLiveTree)', async () => {
    const engine = createHandlers({ transport: 'memory', historyPath: history, settingsPath: join(tmp, 'settings.json'), env: { HOME: tmp, KUBECONFIG: kubeconfigPath } });
    const events: EngineEvent[] = [];
    const unsubscribe = engine.events.subscribe((e) => events.push(e));
    try {
      const opened = await dispatchCommand(engine, 'openRepository', { path: repo.dir });
      if (!opened.ok) throw new Error(opened.error.message);
      const { id } = opened.value as { id: string };
      const started = await dispatchCommand(engine, 'watchLiveTree', { streamId: 'tree-1', repoId: id, path: 'app', context: 'slipway-admin', namespace: NS });
      if (!started.ok) throw new Error(started.error.message);
      expect(started.value).toMatchObject({ streamId: 'tree-1', health: 'healthy' });
      const pods = (t: JsonTree): number => root(t, 'Deployment', 'web')?.children.flatMap((rs) => rs.children.filter((p) => p.health === 'healthy')).length ?? 0;
      /** Healthy Pods of web in the stream's last live-tree event. */
      const lastCount = (): number => {
        const e = events.filter((x) => x.type === 'live-tree' && x.streamId === 'tree-1').at(-1);
        return e?.type === 'live-tree' ? pods(e.tree as unknown as JsonTree) : 0;
      };
      kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas=3']);
      const deadline = Date.now() + 30_000;
      while (lastCount() !== 3 && Date.now() < deadline) await sleep(100);
      expect(lastCount()).toBe(3);
      kubectl(['scale', 'deployment', 'web', '-n', NS, '--replicas=2']);
      const stopped = await dispatchCommand(engine, 'stopLiveTree', { streamId: 'tree-1' });
      expect(stopped).toEqual({ ok: true, value: { stopped: true } });
      await sleep(50);
      expect(events.at(-1)).toEqual({ type: 'live-tree-ended', streamId: 'tree-1', reason: 'stopped' });
      expect(JSON.stringify(events)).not.toContain(CANARY);
    } finally {
      unsubscribe();
      await engine.close();
    }
  });

  it('shows what a context that may not list Pods (nor Namespaces) can read, says what it could not, and calls the app unknown', () => {
    // A ServiceAccount that may read the app's kinds in the namespace, but not Pods.
    kubectl(['create', 'serviceaccount', 'no-pods', '-n', NS]);
    kubectl(['create', 'role', 'no-pods', '-n', NS, '--verb=get,list,watch', '--resource=secrets,services,events,deployments.apps,replicasets.apps,jobs.batch,endpointslices.discovery.k8s.io']);
    kubectl(['create', 'rolebinding', 'no-pods', '-n', NS, '--role=no-pods', `--serviceaccount=${NS}:no-pods`]);
    const token = kubectl(['create', 'token', 'no-pods', '-n', NS, '--duration=1h']).trim();
    const config = parse(readFileSync(kubeconfigPath, 'utf8')) as { clusters: { name: string }[] };
    const limited = join(tmp, 'no-pods.kubeconfig');
    writeFileSync(limited, stringify({ apiVersion: 'v1', kind: 'Config', clusters: config.clusters, users: [{ name: 'no-pods', user: { token } }], contexts: [{ name: 'no-pods', context: { cluster: 'slipway', user: 'no-pods', namespace: NS } }], 'current-context': 'no-pods' }), { mode: 0o600 });

    const r = slipway(['status', ...app, '--context', 'no-pods', '--kubeconfig', limited, '--no-history']);
    // The app's Namespace (created by its first apply, named in its ApplySet) cannot be listed: its health is unknown.
    expect(r.status, showRun(r)).toBe(2);
    expect(r.stdout).toContain(': unknown');
    expect(r.stdout).toMatch(/Deployment\.apps\/web\s+healthy/);
    expect(r.stdout).toMatch(/ReplicaSet\.apps\/web-[a-z0-9]+\s+healthy/);
    expect(r.stdout).toMatch(/└─ Pods not read \(see "Not read" below\)/);
    expect(r.stdout).toMatch(/EndpointSlice\.discovery\.k8s\.io\/web-[a-z0-9]+\s+healthy/);
    expect(r.stdout).toMatch(new RegExp(`Not read:\\n  Pod objects under the app's in ${NS}: system:serviceaccount:${NS}:no-pods may not list pods in namespace ${NS}\\n  the app's Namespace objects: system:serviceaccount:${NS}:no-pods may not list namespaces at cluster scope`));
    expect(r.stdout).not.toMatch(/Pod\/web-/);
    expect(leaks(r)).toEqual([]);

    const j = slipway(['status', ...app, '--context', 'no-pods', '--kubeconfig', limited, '--no-history', '--json']);
    expect(json(j).gaps).toEqual([
      { group: '', kind: 'Pod', namespace: NS, of: 'children', message: expect.stringContaining('may not list pods') },
      { group: '', kind: 'Namespace', of: 'members', message: expect.stringContaining('may not list namespaces') },
    ]);
    expect(root(json(j), 'Job', 'migrate')?.unread).toEqual(['Pod']);
  });

  it('shows a member deleted behind its back as missing (gone), and exits 3', () => {
    kubectl(['delete', 'service', 'web', '-n', NS]);
    const r = status();
    expect(r.status, showRun(r)).toBe(3);
    expect(r.stdout).toContain(': missing');
    expect(r.stdout).toMatch(new RegExp(`${NS}\\s+Service/web\\s+missing\\s+-\\s+\\(gone\\) not found: the last apply left it, and it is gone`));
    expect(r.stdout).toMatch(/Deployment\.apps\/web\s+healthy/);
    expect(leaks(r)).toEqual([]);
  });

  it('says why a Pod cannot be scheduled, on the Pod and its Deployment, with the scheduler’s Event, and exits 2 while it progresses', async () => {
    repo.write({ 'app/big.yaml': BIG });
    repo.commit('big: 250 CPUs');
    const a = slipway(['apply', ...app, ...admin, '--auto-approve', '--timeout', '5']);
    expect(a.status, showRun(a)).toBe(1);
    const r = await statusUntil((x) => /FailedScheduling/.test(x.stdout) && /Pod\/big-.*Pending: 0\/\d+ nodes are available/.test(x.stdout));
    expect(r.status, showRun(r)).toBe(2);
    expect(r.stdout).toContain(': progressing');
    // The Service is back (the apply put it back), healthy.
    expect(r.stdout).toMatch(/Service\/web\s+healthy/);
    expect(r.stdout).toMatch(/Deployment\.apps\/big\s+progressing\s+\S+\s+0 of 1 replica available\n\s+↳ Pod \S+\/big-[a-z0-9]+-[a-z0-9]{5} Pending: 0\/\d+ nodes are available: \d+ Insufficient cpu \(FailedScheduling\)/);
    expect(r.stdout).toMatch(/└─ Pod\/big-[a-z0-9]+-[a-z0-9]{5}\s+progressing\s+\S+\s+Pending: 0\/\d+ nodes are available: \d+ Insufficient cpu \(FailedScheduling\)/);
    expect(r.stdout).toMatch(/Warning\s+FailedScheduling\s+Pod\/big-[a-z0-9]+-[a-z0-9]{5}\s+0\/\d+ nodes are available: \d+ Insufficient cpu/);
    const j = json(status('--json'));
    const pod = root(j, 'Deployment', 'big')!.children[0]!.children[0]!;
    expect(pod).toMatchObject({ health: 'progressing', phase: 'Pending', reason: expect.stringMatching(/^0\/\d+ nodes are available: \d+ Insufficient cpu \(FailedScheduling\)$/) });
    expect(leaks(r)).toEqual([]);
  });
});
