/**
 * Helm renders for the target, as Argo CD does: a plan gives `helm template` the target's version
 * (--kube-version) and every group/version and group/version/Kind its discovery serves
 * (--api-versions). A chart (testdata/render-capabilities/chart) that tests
 * `.Capabilities.APIVersions.Has` and reads `.Capabilities.KubeVersion` plans on the real cluster
 * what it would install there: a ConfigMap gated on "apps/v1/Deployment" and one gated on a CRD's
 * group the test serves are in the plan, one gated on a made-up group is not, and the version is
 * the server's. Apply renders it for the target again, byte for byte, and a re-plan is empty.
 * Without a target (`slipway render`) Helm's defaults apply.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyPlan } from '../../core/apply/service.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { KubeClient } from '../../core/kube/client.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { discover, resolveTarget } from '../../core/kube/target.js';
import { planApp } from '../../core/plan/service.js';
import type { Change, Plan } from '../../core/plan/types.js';
import { helmCapabilities, helmCapabilityArgs } from '../../core/render/capabilities.js';
import { renderApp } from '../../core/render/render.js';
import { selectApp } from '../../core/source/load.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const toolPaths = { kubectl: tools.kubectl, helm: tools.helm, kustomize: tools.kustomize };
const kubeconfig = loadKubeconfig({ path: kubeconfigPath });
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });

const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const ns = `caps-it-${suffix}`;
/** A CRD's group the cluster serves only while this test runs, as an operator's monitoring.coreos.com would be. */
const group = `caps-${suffix}.slipway.test`;
const crdName = `gadgets.${group}`;
const chartDir = new URL('./testdata/render-capabilities/chart', import.meta.url).pathname;

const tmp = mkdtempSync(join(tmpdir(), 'slipway-caps-it-'));
const cacheDir = join(tmp, 'trees');
let fixture: TestRepo;
let repo: Repository;
let history: History;

/** The chart's files under apps/caps, as they are in testdata. */
function chartFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[join('apps/caps', relative(chartDir, p))] = readFileSync(p, 'utf8');
    }
  };
  walk(chartDir);
  return out;
}

const slipwayYaml = `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: caps
    path: apps/caps
    source:
      type: helm
      helm:
        set: {crdGroup: ${group}}
    destination: {namespace: ${ns}}
`;

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: crdName },
  spec: {
    group,
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

function plan(): Promise<Plan> {
  return planApp({ repo, rev: 'main', selection: { app: 'caps' }, kubeconfig, context: 'slipway-admin', cacheDir, tools: toolPaths });
}

const nameOf = (c: Change): string => `${c.action} ${c.key.kind} ${c.key.namespace ?? ''}/${c.key.name}`;
const dataOf = (p: Plan, name: string): Record<string, string> => {
  const change = p.changes.find((c) => c.key.kind === 'ConfigMap' && c.key.name === name);
  if (!change?.after) throw new Error(`no ConfigMap ${name} in the plan: ${p.changes.map(nameOf).join(', ')}`);
  return (parse(change.after) as { data: Record<string, string> }).data;
};

/** The server's gitVersion the plan was made against. */
const clusterVersion = (p: Plan): string => {
  if (!p.inputs.cluster) throw new Error(`plan ${p.id} names no cluster`);
  return p.inputs.cluster.version;
};

/** The server's version as Helm reads it from --kube-version "1.35.4": "v1.35.4", major "1", minor "35". */
function helmKubeVersion(gitVersion: string): { major: string; minor: string; version: string } {
  const [major, minor, patch] = /^v?(\d+)\.(\d+)\.(\d+)/.exec(gitVersion)!.slice(1) as [string, string, string];
  return { major, minor, version: `v${major}.${minor}.${patch}` };
}

beforeAll(async () => {
  kubectl(['apply', '-f', '-'], { input: JSON.stringify(crd) });
  kubectl(['wait', '--for=condition=Established', `customresourcedefinition/${crdName}`, '--timeout=60s']);
  kubectl(['create', 'namespace', ns]);
  fixture = createTestRepo({ prefix: 'slipway-caps-repo-' });
  fixture.write({ 'slipway.yaml': slipwayYaml, ...chartFiles() });
  fixture.commit('a chart that reads the target');
  repo = await openRepository(fixture.dir);
  history = openHistory({ path: join(tmp, 'history.db') });
});

afterAll(async () => {
  await cleanUp([
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => kubectl(['delete', 'customresourcedefinition', crdName, '--ignore-not-found', '--wait=false']),
    () => history?.close(),
    () => repo?.close?.(),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ]);
});

describe('Helm renders for the target (.Capabilities from its version and discovery)', () => {
  it('plans what the chart renders on this cluster: served group/version/Kinds and CRD groups, not made-up ones, and its version', async () => {
    const p = await plan();
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(p.changes.map(nameOf).sort()).toEqual([`create ConfigMap ${ns}/crd-served`, `create ConfigMap ${ns}/deployments-served`, `create ConfigMap ${ns}/kube-version`]);
    expect(dataOf(p, 'deployments-served')).toEqual({ 'apps-v1-deployment': 'served' });
    expect(dataOf(p, 'crd-served')).toEqual({ 'group-version': `${group}/v1`, 'kind-served': 'true' });
    expect(dataOf(p, 'kube-version')).toEqual(helmKubeVersion(clusterVersion(p)));
  });

  it('apply renders for the target again (the same bytes as planned), and a re-plan proposes nothing', async () => {
    const p = await plan();
    const outcome = await applyPlan({ plan: p, repo, kubeconfig, history, cacheDir, tools: toolPaths, timeoutMs: 60_000 });
    expect(outcome.status, outcome.error).toBe('succeeded');
    expect(kubectl(['get', 'configmap', 'kube-version', '-n', ns, '-o', 'jsonpath={.data.version}'])).toBe(helmKubeVersion(clusterVersion(p)).version);
    const again = await plan();
    expect(again.inputs.renderedHash).toBe(p.inputs.renderedHash);
    expect(again.changes.filter((c) => c.action !== 'noop').map(nameOf)).toEqual([]);
  });

  it("without a target (slipway render) Helm's defaults apply: nothing gated on the cluster's APIs renders", async () => {
    const revision = await repo.resolve('main');
    const { app } = await selectApp(repo, revision, { app: 'caps' });
    const result = await renderApp(repo, revision, app, { cacheDir, tools: toolPaths });
    expect(result.objects.map((o) => o.key.name)).toEqual(['kube-version']);
  });

  it('passes the local cluster in a sane number of arguments', async () => {
    const client = new KubeClient(kubeconfig, 'slipway-admin');
    try {
      const target = await resolveTarget(client);
      const args = helmCapabilityArgs(helmCapabilities(target, await discover(client)));
      const values = args.filter((_, i) => args[i - 1] === '--api-versions');
      expect(args.slice(0, 2)).toEqual(['--kube-version', helmKubeVersion(target.serverVersion.gitVersion).version.slice(1)]);
      expect(values).toHaveLength(1);
      const list = values[0]!.split(',');
      expect(list).toEqual(expect.arrayContaining(['v1', 'v1/ConfigMap', 'apps/v1', 'apps/v1/Deployment', `${group}/v1`, `${group}/v1/Gadget`]));
      expect(list).not.toContain('example.invalid/v1');
      expect(values[0]!.length).toBeLessThan(32 * 1024);
    } finally {
      await client.close();
    }
  });
});
