/**
 * Jsonnet directory apps through the CLI against the local cluster: Argo CD's jsonnet-guestbook
 * layout (guestbook-ui.jsonnet + params.libsonnet), and an Application giving extVars, tlas and a
 * lib folder; plan → apply → re-plan with no changes; a jsonnet error names file:line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { showRun, slipwayCli } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const ns = `jsonnet-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-jsonnet-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db')];

const PARAMS = `{\n  containerPort: 80,\n  image: "gcr.io/heptio-images/ks-guestbook-demo:0.2",\n  name: "jsonnet-guestbook-ui",\n  replicas: 1,\n  servicePort: 80,\n  type: "ClusterIP",\n}\n`;
const GUESTBOOK = `local params = import 'params.libsonnet';

[
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: params.name },
    spec: { ports: [{ port: params.servicePort, targetPort: params.containerPort }], selector: { app: params.name }, type: params.type },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: params.name },
    spec: {
      replicas: params.replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { app: params.name } },
      template: {
        metadata: { labels: { app: params.name } },
        spec: { containers: [{ image: params.image, name: params.name, ports: [{ containerPort: params.containerPort }] }] },
      },
    },
  },
]
`;
const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: settings
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://example.com/repo.git
    path: settings
    directory:
      jsonnet:
        extVars:
          - name: env
            value: prod
        tlas:
          - name: replicas
            value: "2"
            code: true
          - name: app
            value: $ARGOCD_APP_NAME
        libs:
          - vendor
  destination:
    namespace: ${ns}
`;
const SETTINGS = `local common = import 'common.libsonnet';
function(replicas, app) {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: app + '-' + std.extVar('env') }, data: common { replicas: std.toString(replicas) } },
  ],
}
`;

let repo: TestRepo;

beforeAll(() => {
  repo = createTestRepo({ prefix: 'slipway-jsonnet-' });
  repo.write({
    'jsonnet-guestbook/guestbook-ui.jsonnet': GUESTBOOK,
    'jsonnet-guestbook/params.libsonnet': PARAMS,
    'jsonnet-guestbook/README.md': '# guestbook\n',
    'argocd/settings.yaml': APPLICATION,
    'settings/main.jsonnet': SETTINGS,
    'vendor/common.libsonnet': '{ team: "web" }\n',
    'broken/main.jsonnet': "local p = import 'p.libsonnet';\n{\n  apiVersion: 'v1',\n  kind: 'ConfigMap',\n  metadata: { name: p.missing },\n}\n",
    'broken/p.libsonnet': '{ name: "x" }\n',
  });
  repo.commit('jsonnet apps');
});

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => repo.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('Jsonnet directory apps', () => {
  it("Argo CD's jsonnet-guestbook: plan, apply, re-plan with no changes; README.md is named as skipped", () => {
    const app = ['--repo', repo.dir, '--path', 'jsonnet-guestbook', '-n', ns, '--create-namespace'];
    const plan = slipway(['plan', ...app, '--json', ...target]);
    expect(plan.status, showRun(plan)).toBe(0);
    const json = JSON.parse(plan.stdout) as { changes: { key: { kind: string; name: string }; action: string }[]; diagnostics: { code: string; message: string }[] };
    expect(json.changes.filter((c) => c.action === 'create').map((c) => `${c.key.kind}/${c.key.name}`).sort()).toEqual(['Deployment/jsonnet-guestbook-ui', `Namespace/${ns}`, 'Service/jsonnet-guestbook-ui']);
    expect(json.diagnostics.find((d) => d.code === 'files-skipped')?.message).toMatch(/README\.md/);
    const applied = slipway(['apply', ...app, '--auto-approve', ...target]);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(kubectl(['get', 'deployment', 'jsonnet-guestbook-ui', '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    const again = slipway(['plan', ...app, '--detailed-exitcode', ...target]);
    expect(again.status, showRun(again)).toBe(0);
  });

  it('an Application with extVars, tlas (code and $ARGOCD_APP_NAME) and libs', () => {
    const app = ['--repo', repo.dir, '--app', 'settings', '--create-namespace'];
    const applied = slipway(['apply', ...app, '--auto-approve', ...target]);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(kubectl(['get', 'configmap', 'settings-prod', '-n', ns, '-o', 'jsonpath={.data.replicas}/{.data.team}'])).toBe('2/web');
    const again = slipway(['plan', ...app, '--detailed-exitcode', ...target]);
    expect(again.status, showRun(again)).toBe(0);
  });

  it('a jsonnet error names file:line', () => {
    const r = slipway(['plan', '--repo', repo.dir, '--path', 'broken', '-n', ns, ...target]);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/broken\/main\.jsonnet:5/);
    expect(r.stdout + r.stderr).toMatch(/Field does not exist: missing/);
  });
});
