/**
 * The foundation every later test stands on: a real API server (defaulting, server-side apply,
 * dryRun=All, RBAC), real controllers and a kwok node (Deployments become Available), and a
 * second, independent cluster for context switching.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { KUBERNETES_VERSION } from '../cluster/versions.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');

function kubeConfig(context: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return kc;
}

const admin = kubeConfig('slipway-admin');
const objects = k8s.KubernetesObjectApi.makeApiClient(admin);
const apps = admin.makeApiClient(k8s.AppsV1Api);
const ns = `it-foundation-${Date.now().toString(36)}`;

const namespace: k8s.V1Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
const deployment: k8s.V1Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: ns },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
};

async function serverSideApply<T extends k8s.KubernetesObject>(obj: T, opts: { dryRun?: 'All' } = {}): Promise<T> {
  return objects.patch(obj, undefined, opts.dryRun, 'slipway-test', false, k8s.PatchStrategy.ServerSideApply);
}

afterAll(async () => {
  await objects.delete(namespace).catch(() => undefined);
});

describe('the local cluster', () => {
  it('reports the real Kubernetes version through kubectl', () => {
    const out = execFileSync(tools.kubectl, ['--kubeconfig', kubeconfigPath, '--context', 'slipway-admin', 'get', '--raw', '/version'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ gitVersion: `v${KUBERNETES_VERSION}`, major: '1', minor: KUBERNETES_VERSION.split('.')[1] });
  });

  it('creates a Namespace and a Deployment with server-side apply', async () => {
    await serverSideApply(namespace);
    const applied = await serverSideApply(deployment);
    expect(applied.metadata?.uid).toBeTruthy();
    expect(applied.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toContainEqual(['slipway-test', 'Apply']);
  });

  it('returns server-defaulted fields from a dryRun=All apply without persisting it', async () => {
    const changed: k8s.V1Deployment = { ...deployment, metadata: { ...deployment.metadata, name: 'web-dry-run' } };
    const predicted = await serverSideApply(changed, { dryRun: 'All' });
    expect(predicted.spec?.strategy?.type).toBe('RollingUpdate');
    expect(predicted.spec?.revisionHistoryLimit).toBe(10);
    expect(predicted.spec?.template.spec?.containers[0]?.imagePullPolicy).toBe('IfNotPresent');
    await expect(apps.readNamespacedDeployment({ name: 'web-dry-run', namespace: ns })).rejects.toMatchObject({ code: 404 });
  });

  it('sees the Deployment become Available on the kwok node', async () => {
    const deadline = Date.now() + 120_000;
    let last: k8s.V1DeploymentStatus | undefined;
    while (Date.now() < deadline) {
      last = (await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).status;
      const available = last?.conditions?.find((c) => c.type === 'Available');
      if (available?.status === 'True' && last?.availableReplicas === 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(last?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
    expect(last?.availableReplicas).toBe(2);
    const pods = await admin.makeApiClient(k8s.CoreV1Api).listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
    // On any of kwok's Nodes (test/cluster/capacity.ts): the scheduler spreads them.
    expect(pods.items.map((p) => [p.spec?.nodeName, p.status?.phase])).toEqual([
      [expect.stringMatching(/^kwok-node-\d+$/), 'Running'],
      [expect.stringMatching(/^kwok-node-\d+$/), 'Running'],
    ]);
  });

  it('refuses a patch from slipway-readonly with 403 but lets it read', async () => {
    const readonly = kubeConfig('slipway-readonly');
    const roObjects = k8s.KubernetesObjectApi.makeApiClient(readonly);
    await expect(roObjects.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns } })).resolves.toMatchObject({ metadata: { name: 'web' } });
    const patch = roObjects.patch({ ...deployment, spec: { ...deployment.spec!, replicas: 3 } }, undefined, undefined, 'slipway-test', false, k8s.PatchStrategy.ServerSideApply);
    await expect(patch).rejects.toMatchObject({ code: 403 });
    await expect(patch).rejects.toThrow(/forbidden/i);
  });

  it('lists namespaces in slipway-second, an independent cluster', async () => {
    const second = kubeConfig('slipway-second').makeApiClient(k8s.CoreV1Api);
    const main = admin.makeApiClient(k8s.CoreV1Api);
    const names = (await second.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system']));
    expect(names).not.toContain(ns);
    const uid = async (api: k8s.CoreV1Api): Promise<string | undefined> => (await api.readNamespace({ name: 'kube-system' })).metadata?.uid;
    expect(await uid(second)).not.toBe(await uid(main));
  });
});

describe('client tools for tests', () => {
  it.each([
    ['kubectl', ['version', '--client', '-o', 'json'], /"gitVersion": "v1\.35\./],
    ['helm', ['version', '--short'], /^v4\./],
    ['kustomize', ['version'], /^v5\.7\.1/],
  ] as const)('%s runs at a version matching the cluster', (tool, args, expected) => {
    expect(execFileSync(tools[tool], [...args], { encoding: 'utf8' }).trim()).toMatch(expected);
  });

  it('renders a kustomization with kubectl kustomize and a chart with helm template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-tools-'));
    writeFileSync(join(dir, 'kustomization.yaml'), 'namespace: tools\nresources: [cm.yaml]\n');
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n');
    expect(execFileSync(tools.kubectl, ['kustomize', dir], { encoding: 'utf8' })).toMatch(/namespace: tools/);
    expect(execFileSync(tools.kustomize, ['build', dir], { encoding: 'utf8' })).toMatch(/namespace: tools/);
    const chart = join(dir, 'chart');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    writeFileSync(join(chart, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\n');
    expect(execFileSync(tools.helm, ['template', 'rel', chart], { encoding: 'utf8' })).toMatch(/name: rel/);
  });
});
