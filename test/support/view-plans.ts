/**
 * Plans for the golden tests of the document views (Markdown, HTML): every kind of change, flags,
 * findings of each severity, why-this-change commits, hooks, kept objects, diagnostics, a
 * comparison, an app of apps — and Secrets whose values are a canary string that no view may show.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ResourceKey } from '../../core/model/resource.js';
import { buildChange, buildErrorChange, buildReplaceChange, changeFromObjects, finalizePlan } from '../../core/plan/assemble.js';
import type { JsonObject } from '../../core/plan/json.js';
import { normalize } from '../../core/plan/normalize.js';
import type { PlanSet } from '../../core/plan/plan-set.js';
import type { Change, Finding, Plan, PlanInputs, PlannedHook } from '../../core/plan/types.js';

/** Seeded into Secret values (data, stringData, an error message, a label-changing update): never in any view. */
export const CANARY = 'slipway-canary-7f3c9e1a4b2d';
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

const changesDir = new URL('../../core/plan/testdata/changes/', import.meta.url);
/** A live or predicted object of core/plan/testdata/changes/<name>/. */
export const fixture = (name: string, file: string): JsonObject => parse(readFileSync(new URL(`${name}/${file}`, changesDir), 'utf8')) as JsonObject;

export const INPUTS: PlanInputs = {
  app: { name: 'shop', path: 'apps/shop', sourceType: 'kustomize', namespace: 'shop' },
  repo: '/home/dev/src/shop-deploy',
  commit: '3f9c2a7e1b4d5c6a8e9f0b1c2d3e4f5a6b7c8d9e',
  treeOid: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  renderedHash: 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
  cluster: { context: 'kind-dev', server: 'https://127.0.0.1:6443', uid: '6c1f0d3a-4b2e-4e8f-9a71-0d2c5b8e1f44', version: 'v1.31.2' },
  mode: { kind: 'normal' },
  applySet: { parent: 'Secret/shop/applyset-shop', id: 'applyset-0pDG5M3jYq0ZbDQ5p0fQk2yXbRQ-v1' },
};

export const key = (kind: string, name: string, opts: { namespace?: string; group?: string; version?: string } = {}): ResourceKey => ({
  group: opts.group ?? '',
  version: opts.version ?? 'v1',
  kind,
  name,
  ...(opts.namespace && { namespace: opts.namespace }),
});

const service = (clusterIP: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'db', namespace: 'shop' },
  spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'postgres', port: 5432, protocol: 'TCP', targetPort: 5432 }], selector: { app: 'db' }, type: 'ClusterIP' },
});

/** A Secret holding the canary in data and stringData. */
export const canarySecret = (name: string, labels: Record<string, string> = {}, extra = ''): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'shop', labels },
  type: 'Opaque',
  data: { password: b64(`${CANARY}${extra}`), 'tls.key': b64(`-----BEGIN KEY-----${CANARY}`) },
  stringData: { token: `${CANARY}-token${extra}` },
});

const WHY = [
  { oid: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', author: 'Ada Lovelace', date: '2025-03-19T10:02:11Z', subject: 'web: 1.5.0 (fixes the cart <total> | rounding)', files: ['apps/shop/web/deployment.yaml'], lines: [32] },
  { oid: 'b2c3d4e5f60718293a4b5c6d7e8f9012345678a1', author: 'Grace Hopper', date: '2025-03-18T08:45:00Z', subject: 'kustomize: set the image tag in one place', files: ['apps/shop/kustomization.yaml'] },
];

/** Every kind of change, each way a change is shown. */
export function everyKindOfChange(): Change[] {
  const fromCase = (name: string, k: ResourceKey, extra: Partial<Parameters<typeof changeFromObjects>[0]> = {}) => changeFromObjects({ key: k, live: fixture(name, 'live.yaml'), predicted: fixture(name, 'predicted.yaml'), ...extra });
  const monitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'web', namespace: 'shop' }, spec: { endpoints: [{ port: 'http', interval: '30s' }], selector: { matchLabels: { app: 'web' } } } };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-env', namespace: 'shop', labels: { app: 'web' } }, data: { LOG_LEVEL: 'info', GREETING: 'say ```hello``` & <b>welcome</b>' } };
  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'old-data', namespace: 'shop' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' },
  };
  const cm = (name: string): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', resourceVersion: '5' }, data: { a: '1' } });
  const web = fromCase('deployment-image', key('Deployment', 'web', { group: 'apps', namespace: 'shop' }), { source: { file: 'apps/shop/web/deployment.yaml', documentIndex: 0, line: 1 } });
  return [
    { ...web, why: WHY },
    fromCase('deployment-freshly-applied', key('Deployment', 'api', { group: 'apps', namespace: 'shop' })),
    fromCase('secret-value-changed', key('Secret', 'db-credentials', { namespace: 'shop' }), { flags: ['adopt'] }),
    // A new Secret: its values masked on the after side.
    changeFromObjects({ key: key('Secret', 'api-keys', { namespace: 'shop' }), predicted: canarySecret('api-keys'), desired: canarySecret('api-keys'), source: { file: 'apps/shop/api/secret.yaml', line: 1 } }),
    // A Secret whose label and value change: the diff shows (label), the values stay masked.
    changeFromObjects({ key: key('Secret', 'tls', { namespace: 'shop' }), live: canarySecret('tls', { tier: 'old' }), predicted: canarySecret('tls', { tier: 'new' }, '-rotated'), desired: canarySecret('tls', { tier: 'new' }, '-rotated') }),
    // The server refused a Secret and quoted its value: scrubbed from the message.
    buildErrorChange({ key: key('Secret', 'refused', { namespace: 'shop' }), desired: canarySecret('refused'), message: `Secret "refused" is invalid: data[password]: Invalid value: "${CANARY}": must be base64` }),
    buildChange({ key: key('ConfigMap', 'web-env', { namespace: 'shop' }), after: configMap, desired: configMap, flags: ['approximate'], source: { file: 'apps/shop/web/configmap.yaml', line: 1 }, syncOptions: ['Validate=false'] }),
    buildChange({ key: key('ServiceMonitor', 'web', { group: 'monitoring.coreos.com', namespace: 'shop' }), after: monitor, desired: monitor, flags: ['after-crd'] }),
    buildReplaceChange({ key: key('Service', 'db', { namespace: 'shop' }), before: service('10.96.14.7'), after: service('10.96.0.20'), message: 'spec.clusterIP: Invalid value: "10.96.0.20": field is immutable\nthe Service is deleted, then created again' }),
    buildChange({ key: key('PersistentVolumeClaim', 'old-data', { namespace: 'shop' }), before: normalize(pvc), liveResourceVersion: '40112' }),
    changeFromObjects({ key: key('ConfigMap', 'asks', { namespace: 'shop' }), live: cm('asks'), message: 'no longer in the revision; asks for a confirmation', flags: ['confirm'], syncOptions: ['Prune=confirm'] }),
    changeFromObjects({ key: key('ConfigMap', 'keep', { namespace: 'shop' }), live: cm('keep'), predicted: cm('keep'), message: 'not pruned: it asks to be kept (argocd.argoproj.io/sync-options: Prune=false)', flags: ['kept'] }),
    buildErrorChange({ key: key('Deployment', 'worker', { group: 'apps', namespace: 'shop' }), message: 'Deployment.apps "worker" is invalid: spec.template.spec.containers[0].image: Required value', source: { file: 'apps/shop/worker/deployment.yaml', line: 1 } }),
  ];
}

export const FINDINGS: Finding[] = [
  { kind: 'risk', rule: 'service-selector-changed', severity: 'danger', subject: key('Service', 'db', { namespace: 'shop' }), message: 'The Service is replaced: connections to it drop while it is created again.', paths: ['spec.clusterIP'] },
  { kind: 'impact', rule: 'pod-template-changed', severity: 'warning', subject: key('Deployment', 'web', { group: 'apps', namespace: 'shop' }), message: 'Its Pods are replaced by a rolling update (maxSurge 25%, maxUnavailable 25%): spec.template.spec.containers[name=web].image changed.', paths: ['spec.template.spec.containers[name=web].image'] },
  { kind: 'impact', rule: 'configmap-env', severity: 'info', subject: key('Deployment', 'api', { group: 'apps', namespace: 'shop' }), cause: key('ConfigMap', 'web-env', { namespace: 'shop' }), message: 'Running Pods keep the old value of LOG_LEVEL until they restart (env from *web-env*).' },
];

export const HOOKS: PlannedHook[] = [
  { key: key('Job', 'upgrade-sql-schema-', { group: 'batch', namespace: 'shop' }), generateName: true, phases: ['PreSync'], wave: 0, deletePolicies: ['BeforeHookCreation'], from: 'argocd', after: 'kind: Job\n', desiredHash: 'sha256:j', source: { file: 'apps/shop/migrate.yaml', line: 3 } },
  { key: key('Job', 'smoke', { group: 'batch', namespace: 'shop' }), phases: ['PostSync'], wave: 2, deletePolicies: ['HookSucceeded'], from: 'helm', after: 'kind: Job\n', desiredHash: 'sha256:k' },
  { key: key('Pod', 'test-connection', { namespace: 'shop' }), phases: [], wave: 0, deletePolicies: [], from: 'helm', skipped: 'test: a Helm test (helm test runs it, not an install): not applied' },
];

const DIAGNOSTICS: Plan['diagnostics'] = [
  { severity: 'warning', code: 'ignore-rule-unsupported', message: 'ignoreDifferences rule for Deployment.apps: jqPathExpressions are not supported yet, ".spec.template.spec.containers[] | select(.name == "istio-proxy")" is not applied' },
  { severity: 'error', code: 'duplicate-resource', message: 'ConfigMap shop/web-env is declared twice', location: { file: 'apps/shop/web/configmap-2.yaml', line: 1 } },
  { severity: 'info', code: 'note', message: '1 object of the revision is a hook', resource: key('Job', 'smoke', { group: 'batch', namespace: 'shop' }) },
];

const CREATED_AT = '2025-03-20T16:12:30Z';

/** The plan every document-view golden starts from. */
export function richPlan(): Plan {
  return finalizePlan({ inputs: INPUTS, changes: everyKindOfChange(), diagnostics: DIAGNOSTICS, hooks: HOOKS, findings: FINDINGS, createdAt: CREATED_AT });
}

export function noChangesPlan(): Plan {
  const d = key('Deployment', 'web', { group: 'apps', namespace: 'shop' });
  return finalizePlan({ inputs: INPUTS, changes: [changeFromObjects({ key: d, live: fixture('deployment-freshly-applied', 'live.yaml'), predicted: fixture('deployment-freshly-applied', 'predicted.yaml') })], diagnostics: [], createdAt: CREATED_AT });
}

/** Two revisions compared without a cluster (`slipway diff --from origin/main --to HEAD`). */
export function comparisonPlan(): Plan {
  const { cluster: _cluster, ...rest } = INPUTS;
  const inputs: PlanInputs = { ...rest, commit: ':working', mode: { kind: 'compare', compared: 'revisions', before: 'origin/main', after: 'HEAD' } };
  const d = key('Deployment', 'web', { group: 'apps', namespace: 'shop' });
  return finalizePlan({
    inputs,
    changes: [
      changeFromObjects({ key: d, live: fixture('deployment-image', 'live.yaml'), predicted: fixture('deployment-image', 'predicted.yaml') }),
      changeFromObjects({ key: key('Secret', 'api-keys', { namespace: 'shop' }), live: canarySecret('api-keys'), predicted: canarySecret('api-keys', {}, '-next') }),
    ],
    diagnostics: [],
    createdAt: CREATED_AT,
  });
}

/** An app of apps: the parent creates two Applications; one child has a change, one could not be planned. */
export function planSet(): PlanSet {
  const app = (name: string): JsonObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' }, spec: { source: { path: `apps/${name}` } } });
  const parent = finalizePlan({
    inputs: { ...INPUTS, app: { name: 'apps', path: 'apps', sourceType: 'directory', namespace: 'argocd' } },
    changes: ['web', 'db'].map((n) => buildChange({ key: key('Application', n, { group: 'argoproj.io', version: 'v1alpha1', namespace: 'argocd' }), after: app(n), desired: app(n) })),
    diagnostics: [],
    createdAt: CREATED_AT,
  });
  const web = finalizePlan({
    inputs: { ...INPUTS, app: { name: 'web', path: 'apps/web', sourceType: 'directory', namespace: 'shop' } },
    changes: [changeFromObjects({ key: key('Secret', 'web-creds', { namespace: 'shop' }), predicted: canarySecret('web-creds'), desired: canarySecret('web-creds') })],
    diagnostics: [],
    createdAt: CREATED_AT,
  });
  return {
    plan: parent,
    children: [
      { app: 'db', parent: 'apps', path: 'apps/db', error: { code: 'render-failed', message: 'apps/db/kustomization.yaml: no such file' }, children: [] },
      { app: 'web', parent: 'apps', path: 'apps/web', plan: web, children: [] },
    ],
  };
}
