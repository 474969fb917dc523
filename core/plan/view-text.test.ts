/**
 * Like Terraform's jsonformat renderer tests: a plan in, the exact text out (golden files in
 * testdata/views), plus table-driven checks of the closing lines.
 */
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../test/support/golden.js';
import { fixture, INPUTS as inputs, key as k } from '../../test/support/view-plans.js';
import type { ResourceKey } from '../model/resource.js';
import { buildChange, buildErrorChange, buildReplaceChange, changeFromObjects, finalizePlan } from './assemble.js';
import type { JsonObject } from './json.js';
import { normalize } from './normalize.js';
import type { Change, Plan, PlannedHook, PlanSummary } from './types.js';
import { renderPlanText } from './view-text.js';
import { computeFindings, sortFindings } from './findings/index.js';

const ESC = String.fromCharCode(27);
const viewsDir = new URL('./testdata/views/', import.meta.url);

const service = (clusterIP: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'db', namespace: 'shop' },
  spec: {
    clusterIP,
    clusterIPs: [clusterIP],
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [{ name: 'postgres', port: 5432, protocol: 'TCP', targetPort: 5432 }],
    selector: { app: 'db' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
  },
});

function everyKindOfChange(): Change[] {
  const fromCase = (name: string, key: ResourceKey, extra: Partial<Parameters<typeof changeFromObjects>[0]> = {}) =>
    changeFromObjects({ key, live: fixture(name, 'live.yaml'), predicted: fixture(name, 'predicted.yaml'), ...extra });
  const monitor = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'web', namespace: 'shop' }, spec: { endpoints: [{ port: 'http', interval: '30s' }], selector: { matchLabels: { app: 'web' } } } };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-env', namespace: 'shop', labels: { app: 'web' } }, data: { LOG_LEVEL: 'info' } };
  const pvc = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'old-data', namespace: 'shop', finalizers: ['kubernetes.io/pvc-protection'] },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: 'pvc-1b2c' },
    status: { phase: 'Bound' },
  };
  return [
    fromCase('deployment-image', k('Deployment', 'web', { group: 'apps', namespace: 'shop' }), { source: { file: 'apps/shop/web/deployment.yaml', documentIndex: 0, line: 1 } }),
    fromCase('deployment-freshly-applied', k('Deployment', 'api', { group: 'apps', namespace: 'shop' })),
    fromCase('secret-value-changed', k('Secret', 'db-credentials', { namespace: 'shop' }), { flags: ['adopt'] }),
    buildChange({ key: k('ConfigMap', 'web-env', { namespace: 'shop' }), after: configMap, desired: configMap, flags: ['approximate'], source: { file: 'apps/shop/web/configmap.yaml', line: 1 } }),
    buildChange({ key: k('ServiceMonitor', 'web', { group: 'monitoring.coreos.com', namespace: 'shop' }), after: monitor, desired: monitor, flags: ['after-crd'] }),
    buildReplaceChange({
      key: k('Service', 'db', { namespace: 'shop' }),
      before: service('10.96.14.7'),
      after: service('10.96.0.20'),
      message: 'spec.clusterIP: Invalid value: "10.96.0.20": field is immutable',
    }),
    buildChange({ key: k('PersistentVolumeClaim', 'old-data', { namespace: 'shop' }), before: normalize(pvc), liveResourceVersion: '40112' }),
    buildErrorChange({
      key: k('Deployment', 'worker', { group: 'apps', namespace: 'shop' }),
      message: 'Deployment.apps "worker" is invalid: spec.template.spec.containers[0].image: Required value',
      source: { file: 'apps/shop/worker/deployment.yaml', line: 1 },
    }),
  ];
}

function planOf(changes: Change[], diagnostics: Plan['diagnostics'] = [], findings: Plan['findings'] = []): Plan {
  return finalizePlan({ inputs, changes, diagnostics, findings, createdAt: '2025-03-20T16:12:30Z' });
}

/** The plan's findings as the plan computes them, with a risk the plan's changes do not show (a Namespace it deletes). */
const findingsOf = (changes: Change[]): Plan['findings'] =>
  sortFindings([
    ...computeFindings({ changes }),
    { kind: 'risk', rule: 'namespace-deleted', severity: 'danger', subject: k('Namespace', 'old-shop'), message: 'Deleting Namespace old-shop deletes everything in it; the 3 objects it holds now go with it: 2 Pods and 1 ConfigMap.' },
  ]);

const richPlan = () =>
  planOf(
    everyKindOfChange(),
    [
    {
      severity: 'warning',
      code: 'ignore-rule-unsupported',
      message: 'ignoreDifferences rule for Deployment.apps: jqPathExpressions are not supported yet, ".spec.template.spec.containers[] | select(.name == "istio-proxy")" is not applied and its differences stay in the plan; use jsonPointers or managedFieldsManagers',
    },
    { severity: 'error', code: 'duplicate-resource', message: 'ConfigMap shop/web-env is declared twice', location: { file: 'apps/shop/web/configmap-2.yaml', line: 1 } },
    ],
    findingsOf(everyKindOfChange()),
  );

describe('renderPlanText', () => {
  it('every kind of change: risks and impact first, create, update, replace, delete, error, a Secret, flags, unchanged not listed', () => {
    expectGolden(new URL('plan.txt', viewsDir).pathname, renderPlanText(richPlan()));
  });

  it('colour only when asked for', () => {
    const plan = richPlan();
    expect(renderPlanText(plan)).not.toContain(ESC);
    const coloured = renderPlanText(plan, { color: true });
    expect(coloured).toContain(`${ESC}[32m`);
    // Removing the escapes gives the plain text back: colour adds nothing else.
    expect(coloured.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')).toBe(renderPlanText(plan));
    expectGolden(new URL('plan.color.txt', viewsDir).pathname, coloured);
  });

  it('an up-to-date cluster', () => {
    const plan = planOf([changeFromObjects({ key: k('Deployment', 'web', { group: 'apps', namespace: 'shop' }), live: fixture('deployment-freshly-applied', 'live.yaml'), predicted: fixture('deployment-freshly-applied', 'predicted.yaml') })]);
    expectGolden(new URL('no-changes.txt', viewsDir).pathname, renderPlanText(plan));
  });

  it('an app that says what to wait for per kind: one line under the header', () => {
    const plan = finalizePlan({ inputs: { ...inputs, app: { ...inputs.app, wait: { 'Deployment.apps': 'strict', Service: 'applied' } } }, changes: [], diagnostics: [], createdAt: '2026-01-01T00:00:00.000Z' });
    const lines = renderPlanText(plan).split('\n');
    expect(lines.filter((l) => l.includes('waits'))).toEqual(["  waits     Deployment.apps: strict, Service: applied (options.wait; an object's slipway.dev/wait wins)"]);
    expect(lines.indexOf("  waits     Deployment.apps: strict, Service: applied (options.wait; an object's slipway.dev/wait wins)")).toBe(lines.findIndex((l) => l.startsWith('  applyset')) + 1);
    expect(renderPlanText(finalizePlan({ inputs, changes: [], diagnostics: [], createdAt: '2026-01-01T00:00:00.000Z' }))).not.toContain('waits');
  });

  it('why this change (plan --why): the commits behind an object, newest first, with the after-side lines blame gives each', () => {
    const change: Change = {
      key: k('ConfigMap', 'web', { namespace: 'shop' }),
      action: 'update',
      flags: [],
      before: 'data:\n  a: "1"\n',
      after: 'data:\n  a: "2"\n',
      changedPaths: ['data.a'],
      source: { file: 'apps/shop/web/cm.yaml', documentIndex: 0, line: 1 },
      why: [
        { oid: ':working', author: 'working copy', date: '2026-01-03T00:00:00Z', subject: 'not committed', files: ['apps/shop/web/cm.yaml'], lines: [2] },
        { oid: '4f2a9c1d0e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c', author: 'Grace Hopper', date: '2026-01-02T10:00:00Z', subject: 'web: a=2', files: ['apps/shop/web/cm.yaml'], lines: [2, 3] },
        { oid: '0123456789abcdef0123456789abcdef01234567', author: 'Ada Lovelace', date: '2026-01-01T10:00:00Z', subject: 'web: first', files: ['apps/shop/web/cm.yaml'] },
      ],
    };
    const text = renderPlanText(planOf([change]));
    expect(text).toContain(
      [
        '      # apps/shop/web/cm.yaml:1',
        '      Why: the commits that changed its sources',
        '        working not committed (apps/shop/web/cm.yaml; line 2 of the after side)',
        '        4f2a9c1 2026-01-02 Grace Hopper: web: a=2 (apps/shop/web/cm.yaml; lines 2, 3 of the after side)',
        '        0123456 2026-01-01 Ada Lovelace: web: first (apps/shop/web/cm.yaml)',
        '      @@ -1,2 +1,2 @@',
      ].join('\n'),
    );
  });

  const summary = (s: Partial<PlanSummary>): PlanSummary => ({ create: 0, update: 0, delete: 0, replace: 0, noop: 0, error: 0, ...s });
  it.each<[Partial<PlanSummary>, number, string[]]>([
    [{}, 0, ['No changes. The cluster matches the revision.']],
    [{ noop: 12 }, 0, ['12 unchanged objects are not shown.', 'No changes. The cluster matches the revision.']],
    [{ noop: 1, create: 1 }, 0, ['1 unchanged object is not shown.', 'Plan: 1 to add, 0 to change, 0 to destroy.']],
    [{ create: 3, update: 2, delete: 1 }, 0, ['Plan: 3 to add, 2 to change, 1 to destroy.']],
    [{ replace: 1 }, 0, ['Plan: 1 to add, 0 to change, 1 to destroy.']],
    [{ update: 1, error: 1 }, 0, ['Plan: 0 to add, 1 to change, 0 to destroy.', '1 error: this plan cannot be applied.']],
    [{ error: 1 }, 1, ['Plan: 0 to add, 0 to change, 0 to destroy.', '2 errors: this plan cannot be applied.']],
  ])('closing lines for %j with %i error diagnostics', (counts, errorDiagnostics, lines) => {
    const plan: Plan = {
      ...planOf([]),
      summary: summary(counts),
      diagnostics: Array.from({ length: errorDiagnostics }, () => ({ severity: 'error' as const, code: 'x', message: 'broken' })),
    };
    expect(renderPlanText(plan).trimEnd().split('\n').slice(-lines.length)).toEqual(lines);
  });
});

describe('renderPlanText: Argo CD sync options', () => {
  const cm = (name: string, annotations: Record<string, string> = {}): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', resourceVersion: '5', annotations }, data: { a: '1' } });
  it('shows a delete that needs confirmation, the sync options a change is sent with, and the objects kept', () => {
    const plan = planOf([
      changeFromObjects({ key: k('ConfigMap', 'asks', { namespace: 'shop' }), live: cm('asks'), message: 'no longer in the revision; asks for a confirmation', flags: ['confirm'], syncOptions: ['Prune=confirm'] }),
      changeFromObjects({ key: k('ConfigMap', 'loose', { namespace: 'shop' }), predicted: cm('loose'), desired: cm('loose'), syncOptions: ['Validate=false'] }),
      changeFromObjects({ key: k('ConfigMap', 'keep', { namespace: 'shop' }), live: cm('keep'), predicted: cm('keep'), message: 'not pruned: it asks to be kept (argocd.argoproj.io/sync-options: Prune=false)', flags: ['kept'] }),
    ]);
    const text = renderPlanText(plan);
    expect(text).toContain('  - delete ConfigMap shop/asks [needs confirmation]\n      no longer in the revision; asks for a confirmation\n      sync options: Prune=confirm\n');
    expect(text).toContain('  + create ConfigMap shop/loose\n      sync options: Validate=false\n');
    expect(text).toContain('Kept, although no longer in the revision:\n  = keep ConfigMap shop/keep: not pruned: it asks to be kept (argocd.argoproj.io/sync-options: Prune=false)\n');
    expect(text).toContain('1 unchanged object is not shown.');
  });
});

describe('renderPlanText: hooks', () => {
  const job = (name: string, h: Partial<PlannedHook> = {}): PlannedHook => ({ key: k('Job', name, { group: 'batch', namespace: 'shop' }), phases: ['PreSync'], wave: 0, deletePolicies: ['BeforeHookCreation'], from: 'argocd', after: 'kind: Job\n', desiredHash: 'sha256:j', ...h });
  const withHooks = (changes: Change[], hooks: PlannedHook[]): Plan => ({ ...planOf(changes), hooks });

  it('lists the hooks that run, in the order they run, and those left out with why; they are no changes', () => {
    const plan = withHooks(
      [],
      [
        job('upgrade-sql-schema-', { generateName: true, source: { file: 'apps/shop/migrate.yaml', line: 3 } }),
        job('smoke', { phases: ['PostSync'], wave: 2, deletePolicies: ['HookSucceeded'], from: 'helm' }),
        job('test-connection', { phases: [], skipped: 'test: a Helm test (helm test runs it, not an install): not applied', from: 'helm' }),
      ],
    );
    const text = renderPlanText(plan);
    expect(text).toContain(
      [
        'Hooks: on apply, 2 hooks run (no changes: created on every apply, then deleted by their policy):',
        '  PreSync   Job.batch shop/upgrade-sql-schema-… (Argo CD hook; deleted BeforeHookCreation; named when it runs)  apps/shop/migrate.yaml:3',
        '  PostSync  Job.batch shop/smoke (Helm hook; wave 2; deleted HookSucceeded)',
        'Hooks not run (1):',
        '  Job.batch shop/test-connection: test: a Helm test (helm test runs it, not an install): not applied',
      ].join('\n'),
    );
    expect(text.trimEnd().split('\n').slice(-2)).toEqual(['No changes. The cluster matches the revision.', 'Nothing is applied, so its 2 hooks do not run: hooks run with an apply that has changes to make.']);
  });
});
