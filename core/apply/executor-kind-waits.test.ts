/**
 * The app's wait per kind (slipway.yaml options.wait, carried in the plan's inputs.app.wait) in the
 * executor, against the in-memory cluster: a kind the option says `applied` is done once sent and
 * never read again, `strict` gives up no settling, an object's slipway.dev/wait annotation still
 * wins, and hooks run to the end whatever the option says of their kind.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/types.js';
import type { KindWaits } from '../model/kind-waits.js';
import { formatKey, identityOf, keyOfObject } from '../model/resource.js';
import { hookId } from '../plan/hooks.js';
import type { JsonObject } from '../plan/json.js';
import type { Change, PlannedHook } from '../plan/types.js';
import { executePlan, type ApplyResult, type ObjectResult } from './executor.js';
import { FAIL_ANNOTATION, FakeCluster, type StatusOf } from './testing/fake-cluster.js';
import { testPlan } from './testing/plan.js';

const NS = 'shop';

function deployment(name: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, ...(annotations && { annotations }) },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  };
}
/** No controller of the fake cluster gives it an address. */
const loadBalancer = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80 }] } });
/** A rollout that never makes a replica available. */
const stuck: StatusOf = (o) => ({ observedGeneration: o.metadata.generation, replicas: 1, updatedReplicas: 1, availableReplicas: 0 });

/** A PreSync hook Job that fails (the fake cluster fails Jobs with FAIL_ANNOTATION). */
function failingHook(name: string): { hook: PlannedHook; manifest: JsonObject } {
  const manifest = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS, annotations: { 'argocd.argoproj.io/hook': 'PreSync', [FAIL_ANNOTATION]: 'yes' } },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'busybox' }] } } },
  } as JsonObject;
  return { manifest, hook: { key: { group: 'batch', version: 'v1', kind: 'Job', namespace: NS, name }, phases: ['PreSync'], wave: 0, deletePolicies: ['BeforeHookCreation'], from: 'argocd', after: stringify(manifest) } };
}

interface Applied {
  readonly fake: FakeCluster;
  readonly result: ApplyResult;
  readonly outcome: (o: KubeObject) => ObjectResult | undefined;
}

/** Creates `objects` with the app's `wait`; Deployments never become available. */
async function apply(objects: readonly KubeObject[], wait: KindWaits | undefined, hooks: readonly ReturnType<typeof failingHook>[] = []): Promise<Applied> {
  const fake = new FakeCluster();
  fake.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  for (const o of objects) if (o.kind === 'Deployment') fake.rollout(keyOfObject(o), [stuck]);
  const changes = objects.map((o): Change => ({ key: keyOfObject(o), action: 'create', flags: [], changedPaths: [], after: stringify(o) }));
  const plain = testPlan(fake, changes, hooks.map((h) => h.hook));
  const plan = wait ? { ...plain, inputs: { ...plain.inputs, app: { ...plain.inputs.app, wait } } } : plain;
  const result = await executePlan({
    plan,
    desired: { objects: new Map(objects.map((o) => [identityOf(keyOfObject(o)), { manifest: o as JsonObject }])), hooks: new Map(hooks.map((h) => [hookId(h.hook), { settled: { manifest: h.manifest } }])) },
    cluster: fake,
    holder: 'me@here/pid-1',
    pollMs: 2,
    timeoutMs: 100,
  });
  return { fake, result, outcome: (o) => result.results.find((r) => formatKey(r.key) === formatKey(keyOfObject(o))) };
}

const web = deployment('web');
const lb = loadBalancer('frontend-external');

describe("the app's wait per kind", () => {
  it('without it, a Deployment that never rolls out fails the run at its timeout, and the LoadBalancer Service ends progressing', async () => {
    const { result, outcome } = await apply([web, lb], undefined);
    expect(result.status).toBe('failed');
    expect(outcome(web)).toMatchObject({ outcome: 'timeout' });
    expect(outcome(lb)).toMatchObject({ outcome: 'progressing' });
  });

  it('Service and Deployment.apps applied: both done once the API server accepted them, never read again; the run succeeds', async () => {
    const { fake, result, outcome } = await apply([web, lb], { Service: 'applied', 'Deployment.apps': 'applied' });
    expect(result.status, result.error).toBe('succeeded');
    expect(outcome(web)).toMatchObject({ outcome: 'applied', message: "not waited for (the app's wait for Deployment.apps: applied)" });
    expect(outcome(lb)).toMatchObject({ outcome: 'applied', message: "not waited for (the app's wait for Service: applied)" });
    expect(fake.calls('get').filter((l) => l === `get ${formatKey(keyOfObject(web))}` || l === `get ${formatKey(keyOfObject(lb))}`)).toEqual([]);
  });

  it('a bare kind covers the kind in its group too', async () => {
    const { result, outcome } = await apply([web], { Deployment: 'applied' });
    expect(result.status, result.error).toBe('succeeded');
    expect(outcome(web)).toMatchObject({ outcome: 'applied', message: "not waited for (the app's wait for Deployment: applied)" });
  });

  it('Service strict: the LoadBalancer Service is not settled as progressing; its timeout fails the run', async () => {
    const { result, outcome } = await apply([lb], { Service: 'strict' });
    expect(result.status).toBe('failed');
    expect(outcome(lb)).toMatchObject({ outcome: 'timeout' });
  });

  it("an object's slipway.dev/wait annotation wins over its kind's entry", async () => {
    const annotated = deployment('api', { 'slipway.dev/wait': 'healthy' });
    const { result, outcome } = await apply([annotated, web], { 'Deployment.apps': 'applied' });
    expect(result.status).toBe('failed');
    expect(outcome(annotated)).toMatchObject({ outcome: 'timeout' });
    expect(outcome(web)).toMatchObject({ outcome: 'applied' });
  });

  it('a bad annotation value falls back to the kind\'s entry, and the result says why', async () => {
    const annotated = deployment('api', { 'slipway.dev/wait': 'sometimes' });
    const { result, outcome } = await apply([annotated], { 'Deployment.apps': 'applied' });
    expect(result.status, result.error).toBe('succeeded');
    expect(outcome(annotated)?.message).toBe(
      `not waited for (the app's wait for Deployment.apps: applied); annotation slipway.dev/wait: "sometimes" is not one of healthy, strict, applied; Deployment.apps shop/api is waited for as "applied"`,
    );
  });

  it('hooks run to the end whatever the option says of their kind: a failing PreSync Job still stops the apply', async () => {
    const { result, outcome } = await apply([web], { 'Job.batch': 'applied', 'Deployment.apps': 'applied' }, [failingHook('migrate')]);
    expect(result.status).toBe('failed');
    expect(result.error).toContain('PreSync hook Job.batch shop/migrate');
    expect(outcome(web)).toMatchObject({ outcome: 'skipped' });
  });
});
