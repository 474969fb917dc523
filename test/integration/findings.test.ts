/**
 * Rollout impact through the CLI against the real cluster (issue 19): a kustomize app applied
 * with `slipway apply`, then a revision that changes a ConfigMap read through env, another mounted
 * as a volume, a configMapGenerator literal (a new hash-suffixed name), one Deployment's image
 * and an OnDelete StatefulSet's image. `slipway plan` must name the right workloads with the
 * right reasons — and none on the Deployment that reads nothing that changed — in its text and
 * in its JSON; --detailed-exitcode stays 2 for changes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { slipwayCli, showRun } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = `findings-it-${suffix}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-findings-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'app', '-n', NS, '--create-namespace', '--prune'];
let repo: TestRepo;

interface Release {
  readonly logLevel: string;
  readonly page: string;
  readonly color: string;
  readonly rollImage: string;
  readonly dbImage: string;
}

const deployment = (name: string, spec: { image?: string; env?: object[]; envFrom?: object[]; volumeMounts?: object[]; volumes?: object[] } = {}): object => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [{ name, image: spec.image ?? 'registry.example/shop:1.0.0', ...(spec.env && { env: spec.env }), ...(spec.envFrom && { envFrom: spec.envFrom }), ...(spec.volumeMounts && { volumeMounts: spec.volumeMounts }) }],
        ...(spec.volumes && { volumes: spec.volumes }),
      },
    },
  },
});

function files(r: Release): Record<string, string> {
  const docs = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'env-settings' }, data: { LOG_LEVEL: r.logLevel } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site-files' }, data: { 'index.html': r.page } },
    deployment('api', { env: [{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'env-settings', key: 'LOG_LEVEL' } } }] }),
    deployment('web', { volumeMounts: [{ name: 'site', mountPath: '/usr/share/nginx/html' }], volumes: [{ name: 'site', configMap: { name: 'site-files' } }] }),
    deployment('front', { envFrom: [{ configMapRef: { name: 'generated' } }] }),
    deployment('worker'),
    deployment('rollme', { image: r.rollImage }),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        replicas: 1,
        updateStrategy: { type: 'OnDelete' },
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: r.dbImage }] } },
      },
    },
  ];
  return {
    'app/manifests.yaml': docs.map((d) => stringify(d)).join('---\n'),
    'app/kustomization.yaml': stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['manifests.yaml'], configMapGenerator: [{ name: 'generated', literals: [`COLOR=${r.color}`] }] }),
  };
}

const V1: Release = { logLevel: 'info', page: '<h1>spring sale</h1>', color: 'blue', rollImage: 'registry.example/shop:1.0.0', dbImage: 'registry.example/db:15.4' };
const V2: Release = { logLevel: 'debug', page: '<h1>summer sale</h1>', color: 'green', rollImage: 'registry.example/shop:1.1.0', dbImage: 'registry.example/db:15.8' };

interface PlanJson {
  changes: { key: { kind: string; name: string }; action: string }[];
  findings: { kind: string; rule: string; severity: string; subject: { kind: string; name: string; namespace?: string }; cause?: { kind: string; name: string }; message: string; paths?: string[] }[];
}

beforeAll(() => {
  repo = createTestRepo();
  repo.write(files(V1));
  repo.commit('v1');
  const applied = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve', '--timeout', '120']);
  expect(applied.status, showRun(applied)).toBe(0);
  // Not the app's: a PodDisruptionBudget that wants both of rollme's Pods available.
  kubectl(['apply', '-f', '-'], { input: stringify({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'rollme-pdb', namespace: NS }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'rollme' } } } }) });
  repo.write(files(V2));
  repo.commit('v2: debug logs, the summer page, a green front, rollme 1.1.0, db 15.8');
});

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('rollout impact of a plan, through the CLI', () => {
  let json: PlanJson;
  /** The generated ConfigMap's names: the applied one (v1) and the new one (v2). */
  let generated: { old: string; next: string };

  beforeAll(() => {
    const r = slipway(['plan', '--repo', repo.dir, ...target, '--json']);
    expect(r.status, showRun(r)).toBe(0);
    json = JSON.parse(r.stdout) as PlanJson;
    const names = (action: string) => json.changes.filter((c) => c.key.kind === 'ConfigMap' && c.key.name.startsWith('generated-') && c.action === action).map((c) => c.key.name);
    generated = { old: names('delete')[0] ?? '?', next: names('create')[0] ?? '?' };
  });

  it('the kustomize configMapGenerator change is a new name: the old ConfigMap is pruned, the new one created', () => {
    expect(generated.old).toMatch(/^generated-[a-z0-9]{10}$/);
    expect(generated.next).toMatch(/^generated-[a-z0-9]{10}$/);
    expect(generated.next).not.toBe(generated.old);
  });

  it('names the right workloads with the right reasons, and nothing on the one that reads nothing that changed', () => {
    const found = json.findings.map((f) => [f.rule, f.severity, `${f.subject.kind} ${f.subject.name}`, f.cause ? `${f.cause.kind} ${f.cause.name}` : null]);
    expect(found).toEqual([
      ['pdb-blocks-eviction', 'warning', 'Deployment rollme', 'PodDisruptionBudget rollme-pdb'],
      ['config-env', 'warning', 'Deployment api', 'ConfigMap env-settings'],
      ['pod-template-changed', 'warning', 'StatefulSet db', null],
      ['config-renamed', 'info', 'Deployment front', `ConfigMap ${generated.next}`],
      ['pod-template-changed', 'info', 'Deployment rollme', null],
      ['config-volume', 'info', 'Deployment web', 'ConfigMap site-files'],
    ]);
    expect(json.findings.every((f) => f.subject.namespace === NS)).toBe(true);
    expect(json.findings.filter((f) => f.subject.name === 'worker')).toEqual([]);
  });

  it('says why and how, in one sentence each', () => {
    const message = (rule: string, name: string): string => json.findings.find((f) => f.rule === rule && f.subject.name === name)?.message ?? '';
    expect(message('config-env', 'api')).toBe(`Running Pods of Deployment ${NS}/api keep the old value of ConfigMap ${NS}/env-settings until they restart: they read it as environment variables (env LOG_LEVEL in container api).`);
    expect(message('config-volume', 'web')).toBe(`ConfigMap ${NS}/site-files is updated in the running Pods of Deployment ${NS}/web within about a minute (volume site at /usr/share/nginx/html in container web); the program must read the files again to notice.`);
    expect(message('config-renamed', 'front')).toBe(
      `Deployment ${NS}/front replaces its 2 Pods by a rolling update (at most 1 extra and 0 unavailable at a time: maxSurge 25%, maxUnavailable 25%), because ConfigMap ${generated.old} is now ${generated.next} (a kustomize hash suffix: its content changed).`,
    );
    expect(message('pod-template-changed', 'rollme')).toBe(
      `Deployment ${NS}/rollme replaces its 2 Pods by a rolling update (at most 1 extra and 0 unavailable at a time: maxSurge 25%, maxUnavailable 25%), because its Pod template changes: image of container rollme: registry.example/shop:1.0.0 → registry.example/shop:1.1.0.`,
    );
    expect(message('pod-template-changed', 'db')).toBe(
      `StatefulSet ${NS}/db will NOT roll (updateStrategy OnDelete): running Pods keep the old template until each is deleted, although its Pod template changes: image of container db: registry.example/db:15.4 → registry.example/db:15.8.`,
    );
  });

  it('shows them in the text plan before the changes, one line per finding with its severity; --detailed-exitcode is still 2', () => {
    const r = slipway(['plan', '--repo', repo.dir, ...target, '--detailed-exitcode']);
    expect(r.status, showRun(r)).toBe(2);
    const impact = r.stdout.indexOf('\nImpact:\n');
    expect(impact, r.stdout).toBeGreaterThan(0);
    expect(impact).toBeLessThan(r.stdout.indexOf('Slipway will perform the following actions:'));
    const lines = r.stdout.slice(impact + 1).split('\n\n')[0]!.split('\n');
    const risks = r.stdout.indexOf('\nRisks:\n');
    expect(risks).toBeGreaterThan(0);
    expect(risks).toBeLessThan(impact);
    expect(r.stdout.slice(risks + 1, impact).trim().split('\n')).toEqual([
      'Risks:',
      `  warning  PodDisruptionBudget ${NS}/rollme-pdb lets no Pod of Deployment ${NS}/rollme be evicted (minAvailable 2 of 2 replicas): node drains and other evictions wait while it holds, during this rollout too (the rollout itself replaces Pods without evicting them).`,
    ]);
    expect(lines.map((l) => l.replace(/^ {2}(\w+) +(\S+ \S+).*$/, '$1 $2'))).toEqual([
      'Impact:',
      `warning Running Pods`,
      `warning StatefulSet ${NS}/db`,
      `info Deployment ${NS}/front`,
      `info Deployment ${NS}/rollme`,
      `info ConfigMap ${NS}/site-files`,
    ]);
    expect(r.stdout).toContain(`StatefulSet ${NS}/db will NOT roll (updateStrategy OnDelete)`);
  });
});

describe('a Namespace the plan deletes: what it holds, from the live cluster', () => {
  const HOME = `findings-home-${suffix}`;
  const GONE = `findings-gone-${suffix}`;
  const gone = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'gone', '-n', HOME, '--create-namespace', '--prune'];
  const keep = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', namespace: HOME }, data: { a: '1' } };

  afterAll(async () => {
    await cleanUp([GONE, HOME].map((ns) => () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'])));
  });

  it('counts its objects by kind', () => {
    repo.write({
      'gone/all.yaml': [keep, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: GONE } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: GONE }, data: { a: '1' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: GONE }, data: { b: '1' } }]
        .map((d) => stringify(d))
        .join('---\n'),
    });
    repo.commit('gone: a namespace with two ConfigMaps');
    const applied = slipway(['apply', '--repo', repo.dir, ...gone, '--auto-approve', '--timeout', '60']);
    expect(applied.status, showRun(applied)).toBe(0);
    repo.write({ 'gone/all.yaml': stringify(keep) });
    repo.commit('gone: without the namespace');

    const r = slipway(['plan', '--repo', repo.dir, ...gone, '--json']);
    expect(r.status, showRun(r)).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    const deleted = plan.findings.filter((f) => f.rule === 'namespace-deleted');
    expect(deleted.map((f) => [f.severity, f.subject.name])).toEqual([['danger', GONE]]);
    // Its two ConfigMaps and the one the cluster puts in every namespace (kube-root-ca.crt), its default ServiceAccount.
    expect(deleted[0]!.message).toMatch(new RegExp(`^Deleting Namespace ${GONE} deletes everything in it; the \\d+ objects it holds now go with it: .*3 ConfigMaps.*\\.$`));
    expect(deleted[0]!.message).toContain('1 ServiceAccount');
  });
});
