/**
 * Jobs really finish on the test cluster's kwok node (what Argo CD hook support stands on): a
 * Job's Pod Succeeds by default, Fails when labelled `fail` (the Job fails after its
 * backoffLimit), runs forever when labelled `hang`; and a Pod's log streams through the API
 * server from kwok's kubelet server. The labels and texts are test/support/kwok-outcomes.ts.
 */
import { execFileSync } from 'node:child_process';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import {
  CONTAINER_LOGS,
  DEFAULT_CONTAINER_LOG,
  DEFAULT_FAIL_MESSAGE,
  FAIL_EXIT_CODE,
  FAIL_MESSAGE_ANNOTATION,
  FAIL_REASON,
  OUTCOME_FAIL,
  OUTCOME_HANG,
  outcomeLabels,
} from '../support/kwok-outcomes.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfigPath);
kc.setCurrentContext('slipway-admin');
const core = kc.makeApiClient(k8s.CoreV1Api);
const batch = kc.makeApiClient(k8s.BatchV1Api);
const ns = `it-kwok-jobs-${Date.now().toString(36)}`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` returns a value, or fails with the last thing it saw. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function job(name: string, opts: { labels?: Record<string, string>; annotations?: Record<string, string>; container?: string } = {}): k8s.V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { app: name, ...opts.labels }, annotations: opts.annotations },
        spec: { restartPolicy: 'Never', containers: [{ name: opts.container ?? 'main', image: 'busybox:1.37', command: ['true'] }] },
      },
    },
  };
}

/** The Job's condition that ends it (Complete or Failed), once it has one. */
async function finished(name: string): Promise<k8s.V1JobCondition> {
  return eventually(`Job ${name} to finish`, async () => {
    const j = await batch.readNamespacedJob({ name, namespace: ns });
    return j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  });
}

async function podOf(jobName: string): Promise<k8s.V1Pod> {
  return eventually(`a Pod of Job ${jobName}`, async () => (await core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=${jobName}` })).items[0]);
}

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await eventually('the default ServiceAccount', async () => (await core.listNamespacedServiceAccount({ namespace: ns })).items.find((s) => s.metadata?.name === 'default'));
  await Promise.all([
    batch.createNamespacedJob({ namespace: ns, body: job('succeeds') }),
    batch.createNamespacedJob({ namespace: ns, body: job('fails', { labels: outcomeLabels(OUTCOME_FAIL), container: 'migrate' }) }),
    batch.createNamespacedJob({ namespace: ns, body: job('fails-with-message', { labels: outcomeLabels(OUTCOME_FAIL), annotations: { [FAIL_MESSAGE_ANNOTATION]: 'exit status 3: lock timeout' } }) }),
    batch.createNamespacedJob({ namespace: ns, body: job('hangs', { labels: outcomeLabels(OUTCOME_HANG) }) }),
  ]);
});

afterAll(async () => {
  await cleanUp([() => core.deleteNamespace({ name: ns })]);
});

describe('Jobs on the kwok node', () => {
  it('a Job without an outcome label completes: its Pod Succeeded with exit code 0', async () => {
    expect(await finished('succeeds')).toMatchObject({ type: 'Complete' });
    const pod = await podOf('succeeds');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('a Job labelled fail fails after its backoffLimit: its Pod Failed, the container terminated with Error', async () => {
    expect(await finished('fails')).toMatchObject({ type: 'Failed', reason: 'BackoffLimitExceeded' });
    const pod = await podOf('fails');
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: FAIL_EXIT_CODE, reason: FAIL_REASON, message: DEFAULT_FAIL_MESSAGE });
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  });

  it('a failing Pod takes its terminated message from the annotation', async () => {
    expect(await finished('fails-with-message')).toMatchObject({ type: 'Failed' });
    const pod = await podOf('fails-with-message');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ reason: FAIL_REASON, message: 'exit status 3: lock timeout' });
  });

  it("streams a Pod's log through the API server: by container name, else the default", async () => {
    await finished('fails');
    const failed = await podOf('fails');
    const log = await core.readNamespacedPodLog({ name: failed.metadata!.name!, namespace: ns, container: 'migrate' });
    expect(log).toBe(CONTAINER_LOGS.migrate);
    expect(log).toContain('migration failed: table users is locked');
    // kubectl too (it goes through the same pods/log subresource).
    const viaKubectl = execFileSync(tools.kubectl, ['--kubeconfig', kubeconfigPath, '--context', 'slipway-admin', '-n', ns, 'logs', 'job/fails'], { encoding: 'utf8' });
    expect(viaKubectl).toBe(CONTAINER_LOGS.migrate);

    const succeeded = await podOf('succeeds');
    expect(await core.readNamespacedPodLog({ name: succeeded.metadata!.name!, namespace: ns })).toBe(DEFAULT_CONTAINER_LOG);
  });

  it('a Job labelled hang keeps its Pod Running and never finishes', async () => {
    const pod = await eventually('the hang Pod to run', async () => {
      const p = await podOf('hangs');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    await sleep(4_000);
    const later = await core.readNamespacedPod({ name: pod.metadata!.name!, namespace: ns });
    expect(later.status?.phase).toBe('Running');
    expect(later.status?.containerStatuses?.[0]?.state?.running).toBeDefined();
    const j = await batch.readNamespacedJob({ name: 'hangs', namespace: ns });
    expect(j.status?.conditions ?? []).toEqual([]);
    expect(j.status?.active).toBe(1);
  });
});
