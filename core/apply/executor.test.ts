/**
 * The executor as a step machine, against an in-memory cluster (testing/fake-cluster.ts): kind
 * order and waves, waiting for health before the next wave, cancellation, failures and what they
 * skip, stale-plan refusal, the early-workload rule, the lease, and prune waiting until objects
 * are gone. The same behaviour against a real API server is in test/integration/apply.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/types.js';
import { formatKey, identityOf, keyOfObject, type ResourceKey } from '../model/resource.js';
import type { Action, Change, Plan } from '../plan/types.js';
import { executePlan, type ApplyEvent, type ApplyResult, type ExecuteOptions, type ObjectResult } from './executor.js';
import type { ObjectsToSend } from './step.js';
import { FakeCluster, kubeError, type StatusOf } from './testing/fake-cluster.js';
import { testPlan } from './testing/plan.js';

const NS = 'shop';
const PARENT = { group: '', version: 'v1', kind: 'Secret', namespace: NS, name: 'applyset-shop' };
const LEASE = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', namespace: NS, name: 'applyset-shop' };

interface ObjOptions {
  readonly namespace?: string | null;
  readonly annotations?: Record<string, string>;
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

function obj(apiVersion: string, kind: string, name: string, o: ObjOptions = {}): KubeObject {
  const namespace = o.namespace === undefined ? NS : o.namespace;
  return {
    apiVersion,
    kind,
    metadata: { name, ...(namespace !== null && { namespace }), ...(o.annotations && { annotations: o.annotations }) },
    ...(o.spec && { spec: o.spec }),
    ...(o.data && { data: o.data }),
  };
}

const namespace = (name: string): KubeObject => obj('v1', 'Namespace', name, { namespace: null });
const configMap = (name: string, o: ObjOptions = {}): KubeObject => obj('v1', 'ConfigMap', name, { data: { key: name }, ...o });
const service = (name: string): KubeObject => obj('v1', 'Service', name, { spec: { ports: [{ port: 80 }] } });
const role = (name: string): KubeObject => obj('rbac.authorization.k8s.io/v1', 'Role', name);
const wave = (n: number): Record<string, string> => ({ 'slipway.dev/wave': String(n) });
const crd = (): KubeObject => obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', { namespace: null, spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced' } });
const widget = (name: string): KubeObject => obj('example.com/v1', 'Widget', name, { spec: { size: 1 } });

/** A Deployment; `configMap`: the ConfigMap its container reads (envFrom). */
function deployment(name: string, o: { readonly configMap?: string; readonly annotations?: Record<string, string> } = {}): KubeObject {
  const container = { name: 'app', image: 'nginx', ...(o.configMap && { envFrom: [{ configMapRef: { name: o.configMap } }] }) };
  return obj('apps/v1', 'Deployment', name, { ...(o.annotations && { annotations: o.annotations }), spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } } } });
}

/** Deployment statuses a controller writes: available replicas so far (of 1), or a failed rollout. */
const rolling = (available: number): StatusOf => (o) => ({ observedGeneration: o.metadata.generation, replicas: 1, updatedReplicas: 1, availableReplicas: available });
const deadlineExceeded: StatusOf = (o) => ({
  observedGeneration: o.metadata.generation,
  replicas: 1,
  updatedReplicas: 1,
  availableReplicas: 0,
  conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }],
});

const key = (o: KubeObject): ResourceKey => keyOfObject(o);
const name = (o: KubeObject): string => formatKey(key(o));

/** A plan the way the planner makes it, against what the fake cluster holds now, and the manifests apply sends. */
function planFor(fake: FakeCluster, planned: readonly (readonly [Action, KubeObject])[]): { plan: Plan; desired: ObjectsToSend } {
  const changes: Change[] = planned.map(([action, o]) => {
    const live = fake.peek(key(o));
    return {
      key: key(o),
      action,
      flags: [],
      changedPaths: [],
      ...(live && { liveResourceVersion: live.metadata.resourceVersion, before: stringify(live) }),
      ...(action !== 'delete' && { after: stringify(o) }),
    };
  });
  const plan = testPlan(fake, changes);
  const objects = new Map(planned.filter(([action]) => action !== 'delete').map(([, o]) => [identityOf(key(o)), { manifest: o }]));
  return { plan, desired: { objects } };
}

interface Run {
  readonly result: ApplyResult;
  readonly events: readonly ApplyEvent[];
  /** By formatKey. */
  readonly outcome: (o: KubeObject) => ObjectResult | undefined;
}

async function run(fake: FakeCluster, planned: readonly (readonly [Action, KubeObject])[], opts: Partial<ExecuteOptions> = {}): Promise<Run> {
  const { plan, desired } = planFor(fake, planned);
  const events: ApplyEvent[] = [];
  const result = await executePlan({
    plan,
    desired,
    cluster: fake,
    holder: 'me@here/pid-1',
    pollMs: 2,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'object') fake.log.push(`${e.state} ${formatKey(e.key)}`);
      if (e.type === 'step-started') fake.log.push(`step ${e.step}: wave ${e.wave} ${e.phase} ${e.group}${e.early ? ' (early)' : ''}`);
    },
    ...opts,
  });
  return { result, events, outcome: (o) => result.results.find((r) => formatKey(r.key) === name(o)) };
}

/** A cluster with the app's namespace. */
function cluster(): FakeCluster {
  const fake = new FakeCluster();
  fake.seed(namespace(NS));
  return fake;
}

/** The plan's objects in the order they were sent (server-side apply or delete); the ApplySet parent and the lease left out. */
function sent(fake: FakeCluster): string[] {
  const own = new Set([formatKey(PARENT), formatKey(LEASE)]);
  return fake.log.filter((l) => /^(apply|delete) /.test(l) && !own.has(l.replace(/^\S+ /, '')));
}

describe('order: kind groups and waves', () => {
  it.each<[string, readonly (readonly [Action, KubeObject])[], string[]]>([
    [
      'kind order within a wave: Namespace, CRD, Service, RBAC, config, workloads, custom resources',
      [
        ['create', widget('w1')],
        ['create', deployment('web', { configMap: 'settings' })],
        ['create', configMap('settings')],
        ['create', role('reader')],
        ['create', service('web')],
        ['create', crd()],
        ['create', namespace('extra')],
      ],
      ['apply Namespace extra', 'apply CustomResourceDefinition.apiextensions.k8s.io widgets.example.com', 'apply Service shop/web', 'apply Role.rbac.authorization.k8s.io shop/reader', 'apply ConfigMap shop/settings', 'apply Deployment.apps shop/web', 'apply Widget.example.com shop/w1'],
    ],
    [
      'waves before kind order: wave -1, then 0, then 2',
      [
        ['create', configMap('late', { annotations: wave(2) })],
        ['create', service('web')],
        ['create', configMap('first', { annotations: wave(-1) })],
        ['create', configMap('plain')],
      ],
      ['apply ConfigMap shop/first', 'apply Service shop/web', 'apply ConfigMap shop/plain', 'apply ConfigMap shop/late'],
    ],
    [
      'deletions after every upsert, in reverse: highest wave and last kind group first',
      [
        ['delete', configMap('old-settings')],
        ['delete', deployment('old-web')],
        ['delete', configMap('old-early', { annotations: wave(-1) })],
        ['create', configMap('new')],
      ],
      ['apply ConfigMap shop/new', 'delete Deployment.apps shop/old-web', 'delete ConfigMap shop/old-settings', 'delete ConfigMap shop/old-early'],
    ],
  ])('%s', async (_case, planned, expected) => {
    const fake = cluster();
    for (const [action, o] of planned) if (action === 'delete') fake.seed(o);
    const { result } = await run(fake, planned);
    expect(result.status, result.error).toBe('succeeded');
    expect(sent(fake)).toEqual(expected);
  });

  it('reports the steps it runs, with their wave, phase and kind group, and one result per object', async () => {
    const fake = cluster();
    fake.seed(configMap('gone'));
    const { result, events } = await run(fake, [
      ['create', configMap('a')],
      ['create', service('web')],
      ['create', configMap('b', { annotations: wave(1) })],
      ['delete', configMap('gone')],
    ]);
    expect(events[0]).toEqual({ type: 'started', steps: 4, changes: 4 });
    expect(events.filter((e) => e.type === 'step-started')).toEqual([
      { type: 'step-started', step: 0, wave: 0, phase: 'upsert', group: 'services', count: 1, syncPhase: 'Sync' },
      { type: 'step-started', step: 1, wave: 0, phase: 'upsert', group: 'config', count: 1, syncPhase: 'Sync' },
      { type: 'step-started', step: 2, wave: 1, phase: 'upsert', group: 'config', count: 1, syncPhase: 'Sync' },
      { type: 'step-started', step: 3, wave: 0, phase: 'delete', group: 'config', count: 1, syncPhase: 'Sync' },
    ]);
    expect(result.results.map((r) => [formatKey(r.key), r.outcome, r.step, r.wave])).toEqual([
      ['Service shop/web', 'healthy', 0, 0],
      ['ConfigMap shop/a', 'healthy', 1, 0],
      ['ConfigMap shop/b', 'healthy', 2, 1],
      ['ConfigMap shop/gone', 'deleted', 3, 0],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'succeeded' });
  });

  it('leaves the ApplySet parent listing exactly the desired set, and forgets discovery after a CRD step', async () => {
    const fake = cluster();
    const { result } = await run(fake, [
      ['create', crd()],
      ['create', widget('w1')],
      ['create', configMap('settings')],
    ]);
    expect(result.status, result.error).toBe('succeeded');
    const parent = fake.peek(PARENT);
    expect(parent?.metadata.labels).toEqual({ 'applyset.kubernetes.io/id': 'applyset-shop-v1' });
    expect((parent?.metadata.annotations as Record<string, string>)['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,CustomResourceDefinition.apiextensions.k8s.io,Widget.example.com');
    expect(fake.kindsChangedCalls).toBe(1);
    expect(fake.peek(LEASE)).toBeUndefined();
  });
});

describe('waiting: health before going on', () => {
  it('sends the next wave only once the previous wave is healthy', async () => {
    const fake = cluster();
    fake.rollout(key(deployment('web')), [rolling(0), rolling(0), rolling(0), rolling(1)]);
    const { result, outcome } = await run(fake, [
      ['create', deployment('web')],
      ['create', configMap('after', { annotations: wave(1) })],
    ]);
    expect(result.status, result.error).toBe('succeeded');
    const log = fake.log;
    expect(log.indexOf('healthy Deployment.apps shop/web')).toBeLessThan(log.indexOf('apply ConfigMap shop/after'));
    expect(log.filter((l) => l === 'get Deployment.apps shop/web')).toHaveLength(3);
    expect(outcome(deployment('web'))).toMatchObject({ outcome: 'healthy', message: '1 of 1 replica available', after: { status: { availableReplicas: 1 } } });
  });

  it.each<[string, KubeObject, string, boolean]>([
    ['a Deployment: later kind groups of its wave go ahead while it rolls out', deployment('web'), 'Deployment.apps shop/web', false],
    ['a CRD: later kind groups wait until it is established', crd(), 'CustomResourceDefinition.apiextensions.k8s.io widgets.example.com', true],
  ])('%s', async (_case, first, firstName, waitsBeforeNext) => {
    const fake = cluster();
    const progressing: StatusOf = first.kind === 'Deployment' ? rolling(0) : () => ({ conditions: [{ type: 'Established', status: 'False', reason: 'Installing' }] });
    const done: StatusOf = first.kind === 'Deployment' ? rolling(1) : () => ({ conditions: [{ type: 'Established', status: 'True' }] });
    fake.rollout(key(first), [progressing, progressing, progressing, done]);
    const { result } = await run(fake, [
      ['create', first],
      ['create', obj('networking.k8s.io/v1', 'Ingress', 'web', { spec: { rules: [] } })],
    ]);
    expect(result.status, result.error).toBe('succeeded');
    const log = fake.log;
    const sentLater = log.indexOf('apply Ingress.networking.k8s.io shop/web');
    const healthy = log.indexOf(`healthy ${firstName}`);
    expect(healthy < sentLater).toBe(waitsBeforeNext);
    // Either way the wave (here: the run) ends only once it is healthy: the parent is narrowed to the desired set after that.
    expect(healthy).toBeGreaterThan(-1);
    expect(healthy).toBeLessThan(log.lastIndexOf(`apply ${formatKey(PARENT)}`));
  });

  it.each<[string, string, ObjectResult['outcome'], RegExp]>([
    // The PV controller's provisioner annotation alone would say "provisioning": the class says the claim waits for its Pod.
    ['binds on first consumer: healthy once Pending', 'WaitForFirstConsumer', 'healthy', /^Pending until a Pod uses it: StorageClass fast binds on first consumer$/],
    // A provisioner is outside the app (health/assess.ts OUTSIDE_WAITS): the claim ends progressing, not failed.
    ['binds at once: waits for the volume, then goes on progressing', 'Immediate', 'progressing', /^Pending: waiting for csi\.example\.com to provision a volume \(the provisioner made no volume in 0\.2 s\)$/],
  ])("a claim whose StorageClass %s (the class is read once for the wait)", async (_case, mode, outcome, message) => {
    const fake = cluster();
    fake.seed({ ...obj('storage.k8s.io/v1', 'StorageClass', 'fast'), metadata: { name: 'fast' }, provisioner: 'csi.example.com', volumeBindingMode: mode });
    const claim = obj('v1', 'PersistentVolumeClaim', 'data', {
      annotations: { 'volume.kubernetes.io/storage-provisioner': 'csi.example.com' },
      spec: { storageClassName: 'fast', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    fake.rollout(key(claim), [() => ({ phase: 'Pending' })]);
    const { result, outcome: of } = await run(fake, [['create', claim]], { timeoutMs: 200 });
    expect(of(claim)).toMatchObject({ outcome, message: expect.stringMatching(message) });
    expect(result.status).toBe(outcome === 'healthy' ? 'succeeded' : 'progressing');
    expect(fake.calls('list').filter((c) => c.startsWith('list StorageClass'))).toHaveLength(1);
  });

  it('polls one LIST per kind and namespace when several objects of a kind are waited for', async () => {
    const fake = cluster();
    for (const n of ['a', 'b', 'c']) fake.rollout(key(deployment(n)), [rolling(0), rolling(0), rolling(1)]);
    const { result } = await run(fake, [
      ['create', deployment('a')],
      ['create', deployment('b')],
      ['create', deployment('c')],
    ]);
    expect(result.status, result.error).toBe('succeeded');
    expect(fake.calls('get').filter((l) => l.includes('Deployment'))).toEqual([]);
    expect(fake.calls('list').filter((l) => l === `list Deployment ${NS}`).length).toBeGreaterThanOrEqual(2);
  });
});

describe('progressing: what waits for something outside the app does not fail the run (as Argo CD: sync succeeded, health Progressing)', () => {
  /** A LoadBalancer Service: no controller of the fake cluster gives it an address. */
  const loadBalancer = (n: string, annotations?: Record<string, string>): KubeObject =>
    obj('v1', 'Service', n, { ...(annotations && { annotations }), spec: { type: 'LoadBalancer', selector: { app: n }, ports: [{ port: 80 }] } });
  const lb = loadBalancer('frontend-external');
  const LB_MESSAGE = 'waiting for the load balancer to get an address (no load-balancer controller answered in 0.1 s)';

  it('a LoadBalancer Service without an address ends progressing after its settle time; the next wave still runs, after it', async () => {
    const fake = cluster();
    // --timeout shorter than the 30 s settle time: the object settles at its timeout, progressing all the same.
    const { result, outcome } = await run(fake, [
      ['create', deployment('frontend')],
      ['create', lb],
      ['create', configMap('after', { annotations: wave(1) })],
    ], { timeoutMs: 100 });
    expect(result.status, result.error).toBe('progressing');
    expect(result.error).toBeUndefined();
    expect(outcome(lb)).toMatchObject({ outcome: 'progressing', message: LB_MESSAGE, after: { spec: { type: 'LoadBalancer' } } });
    expect(outcome(deployment('frontend'))).toMatchObject({ outcome: 'healthy' });
    expect(outcome(configMap('after'))).toMatchObject({ outcome: 'healthy', wave: 1 });
    const log = fake.log;
    expect(log).toContain(`progressing ${name(lb)}`);
    expect(log.indexOf(`progressing ${name(lb)}`)).toBeLessThan(log.indexOf('apply ConfigMap shop/after'));
    // Waited for: read again until it settled, not given up at once.
    expect(fake.calls('get').filter((l) => l === `get ${name(lb)}`).length).toBeGreaterThanOrEqual(2);
    // The apply succeeded: the ApplySet parent is narrowed to the desired set, as after a succeeded run.
    expect(log.lastIndexOf(`apply ${formatKey(PARENT)}`)).toBeGreaterThan(log.indexOf('apply ConfigMap shop/after'));
    expect(result.results.filter((r) => r.outcome === 'progressing')).toHaveLength(1);
  });

  it('the finished event says progressing', async () => {
    const fake = cluster();
    const { events } = await run(fake, [['create', lb]], { timeoutMs: 50 });
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'progressing' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'object', state: 'progressing', key: key(lb) }));
  });

  it('an address that comes within the settle time makes it healthy, and the run succeeded', async () => {
    const fake = cluster();
    fake.rollout(key(lb), [() => ({}), () => ({}), () => ({ loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } })]);
    const { result, outcome } = await run(fake, [['create', lb]], { timeoutMs: 5000 });
    expect(result.status, result.error).toBe('succeeded');
    expect(outcome(lb)).toMatchObject({ outcome: 'healthy', message: 'load balancer at 203.0.113.10' });
  });

  it('what truly fails still fails the run: a Deployment that never becomes available times out beside a progressing Service', async () => {
    const fake = cluster();
    fake.rollout(key(deployment('frontend')), [rolling(0)]);
    const { result, outcome } = await run(fake, [
      ['create', deployment('frontend')],
      ['create', lb],
      ['create', configMap('after', { annotations: wave(1) })],
    ], { timeoutMs: 100 });
    expect(result.status).toBe('failed');
    expect(outcome(deployment('frontend'))).toMatchObject({ outcome: 'timeout' });
    expect(outcome(lb)).toMatchObject({ outcome: 'progressing' });
    expect(outcome(configMap('after'))).toMatchObject({ outcome: 'skipped' });
  });

  it.each<[string, Record<string, string>, ObjectResult['outcome'], string, ApplyResult['status']]>([
    ['strict: no settling, the timeout fails it', { 'slipway.dev/wait': 'strict' }, 'timeout', 'timed out after 0 s; last status: waiting for the load balancer to get an address', 'failed'],
    ['applied: not waited for at all', { 'slipway.dev/wait': 'applied' }, 'applied', 'not waited for (slipway.dev/wait: applied)', 'succeeded'],
    [
      'a bad value: waited for as healthy, and the result says why',
      { 'slipway.dev/wait': 'sometimes' },
      'progressing',
      `${LB_MESSAGE}; annotation slipway.dev/wait: "sometimes" is not one of healthy, strict, applied; Service shop/frontend-external is waited for as "healthy"`,
      'progressing',
    ],
  ])('slipway.dev/wait %s', async (_case, annotations, outcomeOfLb, message, status) => {
    const fake = cluster();
    const annotated = loadBalancer('frontend-external', annotations);
    const { result, outcome } = await run(fake, [['create', annotated]], { timeoutMs: 100 });
    expect(result.status).toBe(status);
    expect(outcome(annotated)).toMatchObject({ outcome: outcomeOfLb, message });
  });

  it('slipway.dev/wait: applied on a Deployment that never rolls out: done once sent, never read again', async () => {
    const fake = cluster();
    const web = deployment('web', { annotations: { 'slipway.dev/wait': 'applied' } });
    fake.rollout(key(web), [rolling(0)]);
    const { result, outcome } = await run(fake, [['create', web]], { timeoutMs: 100 });
    expect(result.status, result.error).toBe('succeeded');
    expect(outcome(web)).toMatchObject({ outcome: 'applied', message: 'not waited for (slipway.dev/wait: applied)' });
    expect(fake.calls('get').filter((l) => l === `get ${name(web)}`)).toEqual([]);
  });
});

describe('cancellation', () => {
  it('mid-wave: what was sent is applied (not healthy), the next wave is not started, the run is cancelled', async () => {
    const fake = cluster();
    const abort = new AbortController();
    fake.rollout(key(deployment('web')), [rolling(0)]);
    let reads = 0;
    fake.beforeCall = (verb, k) => {
      if (verb === 'get' && k?.name === 'web' && ++reads === 2) abort.abort();
    };
    const { result, outcome } = await run(fake, [
      ['create', deployment('web')],
      ['create', configMap('after', { annotations: wave(1) })],
    ], { signal: abort.signal });
    expect(result.status).toBe('cancelled');
    expect(result.error).toBe('cancelled during step 1 of 2');
    expect(outcome(deployment('web'))).toMatchObject({ outcome: 'applied', message: 'cancelled while waiting for it to become healthy' });
    expect(outcome(configMap('after'))).toMatchObject({ outcome: 'skipped', message: 'cancelled before this step started', step: 1, wave: 1 });
    expect(sent(fake)).toEqual(['apply Deployment.apps shop/web']);
    expect(fake.peek(LEASE)).toBeUndefined();
  });

  it('between steps: the next step is not started', async () => {
    const fake = new FakeCluster();
    const abort = new AbortController();
    // The plan creates the lease's namespace: the lease is taken right after that step, and the run is cancelled then.
    fake.beforeCall = (verb, k) => {
      if (verb === 'create' && k?.kind === 'Lease') abort.abort();
    };
    const { result, outcome } = await run(fake, [
      ['create', namespace(NS)],
      ['create', configMap('settings')],
    ], { signal: abort.signal });
    expect(result.status).toBe('cancelled');
    expect(result.error).toBe('cancelled before step 2 of 2');
    expect(outcome(namespace(NS))).toMatchObject({ outcome: 'healthy' });
    expect(outcome(configMap('settings'))).toMatchObject({ outcome: 'skipped', message: 'cancelled before this step started' });
  });
});

describe('failure: a failed step ends the run and skips the rest', () => {
  const web = deployment('web');
  const later = configMap('later', { annotations: wave(1) });

  it.each<[string, (fake: FakeCluster) => void, Partial<ExecuteOptions>, ObjectResult['outcome'], string]>([
    [
      'the API server rejects the object',
      (fake) => fake.fail('apply', key(web), () => kubeError('invalid', 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1', { status: 422 })),
      {},
      'failed',
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1',
    ],
    [
      'another field manager owns a field',
      (fake) => fake.fail('apply', key(web), () => kubeError('conflict', 'Apply failed with 1 conflict', { status: 409, conflicts: [{ manager: 'kubectl-edit', field: '.spec.replicas' }] })),
      {},
      'failed',
      'conflict: .spec.replicas managed by kubectl-edit; apply again taking over these fields (--force-conflicts, or "Take over these fields" in the app) or remove them from the manifest',
    ],
    [
      'the rollout exceeds its progress deadline',
      (fake) => fake.rollout(key(web), [rolling(0), deadlineExceeded]),
      {},
      'unhealthy',
      'ProgressDeadlineExceeded: ReplicaSet "web-1" has timed out progressing.',
    ],
    [
      'it does not become healthy in time',
      (fake) => fake.rollout(key(web), [rolling(0)]),
      { timeoutMs: 40 },
      'timeout',
      'timed out after 0 s; last status: 0 of 1 replica available',
    ],
    [
      'the write gets no answer',
      (fake) => fake.fail('apply', key(web), () => kubeError('cluster-unreachable', 'the API server stopped answering', { mayHaveTakenEffect: true })),
      {},
      'unknown',
      'no answer from the API server, so the change may or may not have been made: the API server stopped answering; plan again to see the object as it is',
    ],
  ])('%s', async (_case, arrange, opts, outcomeOfWeb, message) => {
    const fake = cluster();
    arrange(fake);
    const { result, outcome } = await run(fake, [
      ['create', web],
      ['create', later],
    ], opts);
    expect(result.status).toBe('failed');
    expect(result.error).toBe(`step 1 of 2 (wave 0) failed: Deployment.apps shop/web: ${message}`);
    expect(outcome(web)).toMatchObject({ outcome: outcomeOfWeb, message });
    expect(outcome(later)).toMatchObject({ outcome: 'skipped', message: 'not started: an earlier step failed', step: 1, wave: 1 });
    expect(sent(fake).filter((l) => l.includes('later'))).toEqual([]);
  });

  it('many objects failing the same way: the run\'s error says it once, with how many and a few names', async () => {
    const fake = cluster();
    const services = Array.from({ length: 300 }, (_, i) => configMap(`c${String(i).padStart(3, '0')}`));
    // As a full Service IP range answers each create: the same error, naming the object.
    for (const c of services) fake.fail('apply', key(c), () => kubeError('invalid', `ConfigMap shop/${c.metadata.name} is invalid: spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full`, { status: 422 }));
    const other = configMap('other');
    fake.fail('apply', key(other), () => kubeError('invalid', 'ConfigMap shop/other is invalid: data: Too long', { status: 422 }));
    const { result } = await run(fake, [...services, other].map((c) => ['create', c] as const));
    expect(result.status).toBe('failed');
    expect(result.error).toBe(
      'step 1 of 1 (wave 0) failed: 300 objects, e.g. ConfigMap shop/c000: ConfigMap shop/c000 is invalid: spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full (also ConfigMap shop/c001, ConfigMap shop/c002 and 297 more); ConfigMap shop/other: ConfigMap shop/other is invalid: data: Too long',
    );
  });

  it('a cluster that stops answering: the objects of the step not sent yet are skipped, not tried', async () => {
    const fake = cluster();
    fake.fail('apply', key(configMap('a')), () => kubeError('cluster-unreachable', 'connect ECONNREFUSED 127.0.0.1:6443'), 100);
    const { result, outcome } = await run(fake, [
      ['create', configMap('a')],
      ['create', configMap('b')],
    ], { concurrency: 1 });
    expect(result.status).toBe('failed');
    expect(outcome(configMap('a'))).toMatchObject({ outcome: 'failed', message: 'connect ECONNREFUSED 127.0.0.1:6443' });
    expect(outcome(configMap('b'))).toMatchObject({ outcome: 'skipped', message: 'not sent: the cluster stopped answering (connect ECONNREFUSED 127.0.0.1:6443)' });
    expect(fake.calls('apply').filter((l) => l.includes('ConfigMap'))).toEqual(['apply ConfigMap shop/a']);
  });
});

describe('why: a waited-for workload\'s Pods say why it is not ready (kubectl describe pod)', () => {
  const web = deployment('web');
  const UNSCHEDULABLE = '0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';

  /** A Pod of the Deployment (labels app=web), with this status. */
  const pod = (name: string, status: Record<string, unknown>, labels: Record<string, string> = { app: 'web' }): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels, creationTimestamp: `2026-01-01T00:00:0${name.length % 10}Z` }, spec: { containers: [{ name: 'app', image: 'nginx', env: [{ name: 'TOKEN', value: 'env-value-never-shown' }] }] }, status });
  const pending = (name: string): KubeObject => pod(name, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE }] });
  const crashing = (name: string): KubeObject =>
    pod(name, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'app', ready: false, restartCount: 3, lastState: { terminated: { exitCode: 1, reason: 'Error' } }, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } } }] });
  const podCalls = (fake: FakeCluster): string[] => fake.log.filter((l) => /^list (Pod|Event) |^get log /.test(l));

  it('a rollout past its progress deadline: the result names the Pods that are Pending and why, and so does the run\'s error', async () => {
    const fake = cluster();
    fake.rollout(key(web), [rolling(0), deadlineExceeded]);
    for (const name of ['web-1-aaaaa', 'web-1-bbbbb', 'web-1-ccccc']) fake.seed(pending(name));
    fake.seed(pod('other-1-zzzzz', { phase: 'Pending' }, { app: 'other' })); // another app's Pod in the namespace: not this Deployment's
    fake.seed({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'web-1-aaaaa.1', namespace: NS }, involvedObject: { kind: 'Pod', name: 'web-1-aaaaa' }, type: 'Warning', reason: 'FailedScheduling', message: UNSCHEDULABLE } as KubeObject);
    const { result, outcome } = await run(fake, [['create', web]]);
    const message = 'ProgressDeadlineExceeded: ReplicaSet "web-1" has timed out progressing; 3 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. shop/web-1-aaaaa';
    expect(outcome(web)).toMatchObject({ outcome: 'unhealthy', message });
    expect(result.error).toBe(`step 1 of 1 (wave 0) failed: Deployment.apps shop/web: ${message}`);
    // One LIST of its Pods by its selector in its namespace, one of the namespace's Events.
    expect(podCalls(fake)).toEqual(['list Pod app=web in shop', 'list Event shop']);
  });

  it('a rollout that times out: the result says why after its last status; a crashing container\'s log of its previous run is read', async () => {
    const fake = cluster();
    fake.rollout(key(web), [rolling(0)]);
    fake.seed(crashing('web-1-aaaaa'));
    fake.logs.set(`${NS}/web-1-aaaaa (previous)`, 'starting\npanic: DATABASE_URL is not set\n');
    const { outcome } = await run(fake, [['create', web]], { timeoutMs: 40 });
    expect(outcome(web)).toMatchObject({
      outcome: 'timeout',
      message: 'timed out after 0 s; last status: 0 of 1 replica available; Pod shop/web-1-aaaaa crash-looping: container app keeps exiting with code 1 (CrashLoopBackOff); its log (container app, previous run) ends: starting / panic: DATABASE_URL is not set',
    });
    expect(podCalls(fake)).toEqual(['list Pod app=web in shop', 'list Event shop', `get log ${NS}/web-1-aaaaa (previous)`]);
    expect(JSON.stringify(outcome(web)?.message)).not.toContain('env-value-never-shown');
  });

  it('while it waits: the waiting message says its status and why, sent again only when it changes', async () => {
    const fake = cluster();
    fake.rollout(key(web), [rolling(0), rolling(0), rolling(0), rolling(0), rolling(0), rolling(0), rolling(1)]);
    fake.seed(pending('web-1-aaaaa'));
    const { result, events } = await run(fake, [['create', web]], { reasonEveryMs: 0 });
    expect(result.status).toBe('succeeded');
    const waiting = events.flatMap((e) => (e.type === 'object' && e.state === 'waiting' ? [e.message ?? '(none)'] : []));
    expect(waiting).toEqual(['(none)', '0 of 1 replica available; Pod shop/web-1-aaaaa Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)']);
  });

  it('bounded: a rollout that becomes healthy within a few seconds never reads its Pods (not on every poll)', async () => {
    const fake = cluster();
    fake.rollout(key(web), [...Array.from({ length: 20 }, () => rolling(0)), rolling(1)]);
    fake.seed(pending('web-1-aaaaa'));
    const { result, outcome } = await run(fake, [['create', web]]);
    expect(result.status).toBe('succeeded');
    expect(outcome(web)?.message).toBe('1 of 1 replica available');
    expect(podCalls(fake)).toEqual([]);
  });

  it('Pods it cannot read leave the result as it was: the reason helps, it never fails a run', async () => {
    const fake = cluster();
    fake.rollout(key(web), [rolling(0), deadlineExceeded]);
    fake.seed(pending('web-1-aaaaa'));
    fake.beforeCall = (verb) => {
      if (verb === 'list' && /^list (Pod|Event) /.test(fake.log.at(-1) ?? '')) throw kubeError('forbidden', 'pods is forbidden: User "me" cannot list resource "pods"', { status: 403 });
    };
    const { outcome } = await run(fake, [['create', web]]);
    expect(outcome(web)).toMatchObject({ outcome: 'unhealthy', message: 'ProgressDeadlineExceeded: ReplicaSet "web-1" has timed out progressing.' });
  });
});

describe('stale plans are refused, and nothing is written', () => {
  it.each<[string, (fake: FakeCluster) => void, string]>([
    ['an object changed since the plan', (fake) => fake.touch(key(configMap('settings'))), 'plan is stale: ConfigMap shop/settings changed; plan again'],
    ['an object was deleted since the plan', (fake) => fake.remove(key(configMap('settings'))), 'plan is stale: ConfigMap shop/settings was deleted; plan again'],
    ['an object the plan creates exists now', (fake) => fake.seed(configMap('new')), 'plan is stale: ConfigMap shop/new now exists; plan again'],
    [
      'the context points at another cluster',
      (fake) => (fake.identityAnswer = { server: 'https://other.invalid:6443', clusterUid: 'kube-system-uid-2' }),
      'plan is stale: it was made for cluster fake (https://fake.invalid:6443, kube-system uid kube-system-uid-1), but context fake is https://other.invalid:6443 (uid kube-system-uid-2); plan again',
    ],
  ])('%s', async (_case, change, error) => {
    const fake = cluster();
    fake.seed(configMap('settings'));
    const { plan, desired } = planFor(fake, [
      ['update', configMap('settings', { data: { key: 'new value' } })],
      ['create', configMap('new')],
    ]);
    change(fake);
    const events: ApplyEvent[] = [];
    const result = await executePlan({ plan, desired, cluster: fake, pollMs: 2, onEvent: (e) => events.push(e) });
    expect(result).toEqual({ status: 'refused', error, results: [] });
    expect(events).toEqual([{ type: 'finished', status: 'refused', error, elapsedMs: expect.any(Number) as number }]);
    expect(fake.calls('apply')).toEqual([]);
    expect(fake.peek(LEASE)).toBeUndefined();
  });
});

describe('early workloads: a workload goes as soon as what it names is there', () => {
  it.each<[string, KubeObject, string[], boolean]>([
    ['naming nothing of its wave, it goes right after the Services, before RBAC and config', deployment('web'), ['apply Service shop/web', 'apply Deployment.apps shop/web', 'apply Role.rbac.authorization.k8s.io shop/reader', 'apply ConfigMap shop/settings', 'apply ConfigMap shop/unrelated'], true],
    ['reading a ConfigMap, it goes after the config group, in kind order', deployment('web', { configMap: 'settings' }), ['apply Service shop/web', 'apply Role.rbac.authorization.k8s.io shop/reader', 'apply ConfigMap shop/settings', 'apply ConfigMap shop/unrelated', 'apply Deployment.apps shop/web'], false],
  ])('%s', async (_case, web, expected, early) => {
    const fake = cluster();
    const { result, events } = await run(fake, [
      ['create', configMap('unrelated')],
      ['create', configMap('settings')],
      ['create', role('reader')],
      ['create', service('web')],
      ['create', web],
    ]);
    expect(result.status, result.error).toBe('succeeded');
    expect(sent(fake)).toEqual(expected);
    const workloads = events.filter((e) => e.type === 'step-started' && e.group === 'workloads');
    expect(workloads).toEqual([{ type: 'step-started', step: early ? 1 : 3, wave: 0, phase: 'upsert', group: 'workloads', ...(early && { early: true }), count: 1, syncPhase: 'Sync' }]);
  });
});

describe('the lease: one apply of an app at a time', () => {
  const heldBy = (holder: string): KubeObject => ({
    ...obj('coordination.k8s.io/v1', 'Lease', LEASE.name),
    spec: { holderIdentity: holder, leaseDurationSeconds: 60, acquireTime: '2026-01-01T00:00:00.000000Z', renewTime: new Date().toISOString() },
  });

  it('refuses while someone else holds it, naming them, and writes nothing', async () => {
    const fake = cluster();
    fake.seed(heldBy('alice@laptop/pid-4242'));
    const { result } = await run(fake, [['create', configMap('settings')]]);
    expect(result).toEqual({ status: 'refused', error: `another apply of this app is running: lease ${NS}/${LEASE.name} is held by alice@laptop/pid-4242 since 2026-01-01T00:00:00.000000Z`, results: [] });
    expect(fake.calls('apply')).toEqual([]);
    expect(fake.peek(LEASE)?.spec).toMatchObject({ holderIdentity: 'alice@laptop/pid-4242' });
  });

  it('takes over a lease whose holder stopped renewing it, and releases it at the end', async () => {
    const fake = cluster();
    const expired = heldBy('bob@crashed/pid-1');
    (expired.spec as Record<string, unknown>).renewTime = '2026-01-01T00:00:00.000000Z';
    fake.seed(expired);
    const { result } = await run(fake, [['create', configMap('settings')]]);
    expect(result.status, result.error).toBe('succeeded');
    expect(fake.log).toContain(`update ${formatKey(LEASE)}`);
    expect(fake.peek(LEASE)).toBeUndefined();
  });

  it('when the plan creates its namespace: taken right after that step; refused if someone took it first', async () => {
    const fake = new FakeCluster();
    fake.beforeCall = (verb, k) => {
      if (verb === 'create' && k?.kind === 'Lease' && !fake.peek(LEASE)) fake.seed(heldBy('carol@desk/pid-7'));
    };
    const { result, outcome } = await run(fake, [
      ['create', namespace(NS)],
      ['create', configMap('settings')],
    ]);
    expect(result.status).toBe('refused');
    expect(result.error).toMatch(/^another apply of this app is running: lease shop\/applyset-shop is held by carol@desk\/pid-7/);
    expect(outcome(namespace(NS))).toMatchObject({ outcome: 'healthy' });
    expect(outcome(configMap('settings'))).toMatchObject({ outcome: 'skipped', message: 'not started: another apply holds the lease' });
    expect(sent(fake)).toEqual(['apply Namespace shop']);
  });
});

describe('prune: deletions wait until the object is gone', () => {
  it.each<[string, number, Partial<ExecuteOptions>, ObjectResult['outcome'], string | undefined]>([
    ['gone at once', 0, {}, 'deleted', undefined],
    ['held by a finalizer for a few reads', 3, {}, 'deleted', undefined],
    ['held by a finalizer nobody removes', Infinity, { timeoutMs: 40 }, 'timeout', 'still present after 0 s (finalizers?)'],
  ])('%s', async (_case, reads, opts, expected, message) => {
    const fake = cluster();
    const old = fake.seed(configMap('old'));
    if (reads > 0) fake.lingerOnDelete(key(old), reads);
    const { result, outcome } = await run(fake, [['delete', configMap('old')]], opts);
    expect(result.status).toBe(expected === 'deleted' ? 'succeeded' : 'failed');
    expect(outcome(old)).toEqual({
      key: key(old),
      action: 'delete',
      outcome: expected,
      ...(message !== undefined && { message }),
      step: 0,
      wave: 0,
      startedAt: expect.any(String) as string,
      finishedAt: expect.any(String) as string,
      before: old,
    });
    const log = fake.log;
    if (expected === 'deleted') expect(log.indexOf('deleted ConfigMap shop/old')).toBeGreaterThan(log.lastIndexOf('get ConfigMap shop/old'));
    expect(log).toContain('deleting ConfigMap shop/old');
    expect(fake.peek(key(old)) === undefined).toBe(expected === 'deleted');
  });

  it('an object of the same name with a new uid means the old one is gone', async () => {
    const fake = cluster();
    const old = fake.seed(configMap('old'));
    fake.lingerOnDelete(key(old), Infinity);
    fake.beforeCall = (verb, k) => {
      if (verb === 'get' && k?.name === 'old' && fake.peek(key(old))?.metadata.uid === old.metadata.uid) {
        fake.remove(key(old));
        fake.seed(configMap('old'));
      }
    };
    const { result, outcome } = await run(fake, [['delete', configMap('old')]], { timeoutMs: 5000 });
    expect(result.status, result.error).toBe('succeeded');
    expect(outcome(old)?.outcome).toBe('deleted');
  });

  it('a replace deletes the old object, waits until it is gone, then creates the new one', async () => {
    const fake = cluster();
    const old = fake.seed(configMap('settings'));
    fake.lingerOnDelete(key(old), 2);
    const { result, outcome } = await run(fake, [['replace', configMap('settings', { data: { key: 'immutable change' } })]]);
    expect(result.status, result.error).toBe('succeeded');
    expect(fake.log.filter((l) => l.endsWith('ConfigMap shop/settings') && !l.startsWith('list'))).toEqual([
      'deleting ConfigMap shop/settings',
      'delete ConfigMap shop/settings',
      'get ConfigMap shop/settings',
      'get ConfigMap shop/settings',
      'applying ConfigMap shop/settings',
      'apply ConfigMap shop/settings',
      'applied ConfigMap shop/settings',
      'healthy ConfigMap shop/settings',
    ]);
    expect(outcome(old)).toMatchObject({ outcome: 'healthy', after: { data: { key: 'immutable change' } } });
    expect(fake.peek(key(old))?.metadata.uid).not.toBe(old.metadata.uid);
  });
});
