/**
 * The finding rules, table-driven like gitops-engine's pkg/health tests: fixture objects in
 * (testdata/rules/<rule>.yaml: the changes of a plan, before and after, and the live context),
 * findings out. Each rule fires on its fixture's `fires` case and stays quiet on its near miss.
 * The rollout of each workload kind and update strategy: testdata/rollout/<case>.yaml.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keyOfObject } from '../../model/resource.js';
import { buildChange, buildReplaceChange } from '../assemble.js';
import type { JsonObject } from '../json.js';
import type { Change, Finding } from '../types.js';
import { computeFindings, FINDING_RULES, planFindings, sortFindings, type FindingsContext } from './index.js';

interface FixtureChange {
  readonly before?: JsonObject;
  readonly after?: JsonObject;
  readonly action?: 'replace';
  readonly message?: string;
}
interface Case {
  readonly changes: readonly FixtureChange[];
  readonly live?: FindingsContext;
}

const rulesDir = new URL('./testdata/rules/', import.meta.url);
const rolloutDir = new URL('./testdata/rollout/', import.meta.url);
const read = <T>(dir: URL, name: string): T => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as T;

/** The plan's Changes of a fixture, built as the plan builds them (Secret values masked, noops where both sides are equal). */
export function fixtureChanges(list: readonly FixtureChange[]): Change[] {
  return list.map((c) => {
    const key = keyOfObject((c.after ?? c.before) as Parameters<typeof keyOfObject>[0]);
    if (c.action === 'replace') return buildReplaceChange({ key, before: c.before!, after: c.after!, message: c.message ?? '' });
    return buildChange({ key, ...(c.before && { before: c.before }), ...(c.after && { after: c.after }) });
  });
}

const findingsOf = (c: Case): Finding[] => computeFindings({ changes: fixtureChanges(c.changes), ...(c.live && { live: c.live }) });
/** "severity Kind namespace/name: message", what a reviewer reads. */
const line = (f: Finding): string => `${f.severity} ${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}: ${f.message}`;

const RULES: [rule: string, fires: string[]][] = [
  // Rollout impact
  ['pod-template-changed', ['info Deployment shop/web: Deployment shop/web replaces its 3 Pods by a rolling update (at most 1 extra and 0 unavailable at a time: maxSurge 25%, maxUnavailable 25%), because its Pod template changes: image of container web: nginx:1.26 → nginx:1.27.']],
  ['pods-kept', ['info Deployment shop/web: Deployment shop/web keeps its running Pods: its Pod template does not change (only spec.replicas).']],
  ['config-renamed', ['info Deployment shop/web: Deployment shop/web replaces its 2 Pods by a rolling update (at most 1 extra and 0 unavailable at a time: maxSurge 25%, maxUnavailable 25%), because ConfigMap web-config-5f7h8g9k2t is now web-config-hm2b7t6c5k (a kustomize hash suffix: its content changed).']],
  ['workload-replaced', ['warning Deployment shop/web: Deployment shop/web is deleted and created again, so all its Pods stop at once before new ones start: spec.selector cannot be changed in place (field is immutable); its Pod template changes: metadata.labels.tier.']],
  // Changed ConfigMaps and Secrets, per workload that uses them
  ['config-env', ['warning Deployment shop/api: Running Pods of Deployment shop/api keep the old value of ConfigMap shop/settings until they restart: they read it as environment variables (env LOG_LEVEL in container api).']],
  ['config-volume', ['info Deployment shop/web: ConfigMap shop/web-files is updated in the running Pods of Deployment shop/web within about a minute (volume files at /usr/share/nginx/html in container web); the program must read the files again to notice.']],
  ['config-subpath', ['warning Deployment shop/web: Running Pods of Deployment shop/web never see the change to Secret shop/tls: a subPath mount is not updated (subPath tls.key at /etc/nginx/tls.key in container web); they read it when they restart.']],
  ['config-immutable', ['warning Deployment shop/web: ConfigMap shop/flags is immutable, so it is deleted and created again, and running Pods of Deployment shop/web keep its old content until they restart (volume flags at /etc/flags in container web).']],
  ['config-rolls', ['info Deployment shop/api: Deployment shop/api starts its new Pods with the changed ConfigMap shop/settings (envFrom in container api): this plan replaces its Pods anyway.']],
  ['config-next-run', ["info CronJob shop/report: CronJob shop/report's next Jobs read the changed Secret shop/report-token (env TOKEN in container report); a Job already running keeps what it read."]],
  ['config-deleted-in-use', ['danger Deployment shop/api: ConfigMap shop/settings is deleted, but Deployment shop/api still uses it (envFrom in container api): its new Pods cannot start.']],
  // Risks
  ['replicas-to-zero', ['danger Deployment shop/web: Deployment shop/web scales from 3 replicas to 0: it stops serving.']],
  ['pvc-shrink', ['danger PersistentVolumeClaim shop/data: PersistentVolumeClaim shop/data shrinks from 10Gi to 5Gi: Kubernetes cannot shrink a claim, and deleting it to make it smaller loses its data.']],
  ['pvc-storage-class', ["danger PersistentVolumeClaim shop/data: PersistentVolumeClaim shop/data moves from storage class standard to fast: a claim's class cannot change in place, so it is deleted and created again, and its data is lost."]],
  ['service-type', ['warning Service shop/web: Service shop/web changes type from LoadBalancer to ClusterIP: clients outside the cluster lose the load balancer address they use.']],
  ['service-ports', ['warning Service shop/web: Service shop/web changes its ports (http (80/TCP) is now 8080/TCP and metrics (9090/TCP) removed): clients of the old ports lose their connection.']],
  ['service-selector', ['warning Service shop/web: Service shop/web selects other Pods (app=web → app=web-v2): its traffic moves to the Pods the new selector matches, and no workload of the app has Pods it matches.']],
  ['workload-selector', ['danger Deployment shop/web: Deployment shop/web changes its selector (app=web → app=web, tier=front): a selector cannot change in place, so it is deleted and created again, and all its Pods with it.']],
  ['rbac-widened', ['warning Role shop/deployer: Role shop/deployer now also grants delete pods and * secrets, with a wildcard (*) that covers every present and future verb, resource or group.']],
  ['rbac-wildcard', ['warning ClusterRole ops: ClusterRole ops grants * *.apps: a wildcard (*) covers every present and future verb, resource or group.']],
  ['rbac-subjects-added', ['warning RoleBinding shop/deployer: RoleBinding shop/deployer grants Role deployer to more subjects: ServiceAccount shop/default.']],
  [
    'rbac-cluster-scope',
    [
      'warning ClusterRoleBinding ci-view: ClusterRoleBinding ci-view grants ClusterRole view in every namespace of the cluster to ServiceAccount shop/ci.',
      'warning RoleBinding shop/deployer: RoleBinding shop/deployer now binds ClusterRole edit instead of Role deployer: the rules of a cluster-wide role, in namespace shop.',
    ],
  ],
  [
    'image-latest',
    [
      'warning Deployment shop/api: Container api of Deployment shop/api runs ghcr.io/acme/api (no tag: latest): what it runs changes whenever the tag moves, and a rollback cannot bring the old image back.',
      'warning Deployment shop/web: Container web of Deployment shop/web runs nginx:latest: what it runs changes whenever the tag moves, and a rollback cannot bring the old image back.',
    ],
  ],
  ['image-major', ['warning Deployment shop/db: Container db of Deployment shop/db moves to a new major version: postgres:15.4-alpine → postgres:16.1-alpine.']],
  ['hpa-min-above-max', ['danger HorizontalPodAutoscaler shop/web: HorizontalPodAutoscaler shop/web has minReplicas 5 above maxReplicas 3: the API server refuses it.']],
  ['crd-deleted', ['danger CustomResourceDefinition widgets.example.com: Deleting CustomResourceDefinition widgets.example.com deletes every Widget in the cluster with it (4 exist now).']],
  ['namespace-deleted', ['danger Namespace old-shop: Deleting Namespace old-shop deletes everything in it; the 9 objects it holds now go with it: 4 Pods, 2 ConfigMaps, 1 Deployment, 1 ReplicaSet and 1 Secret.']],
  [
    'pdb-blocks-eviction',
    ['warning Deployment shop/web: PodDisruptionBudget shop/web lets no Pod of Deployment shop/web be evicted (minAvailable 3 of 3 replicas): node drains and other evictions wait while it holds, during this rollout too (the rollout itself replaces Pods without evicting them).'],
  ],
];

describe('finding rules', () => {
  it.each(RULES)('%s fires', (rule, expected) => {
    const fixture = read<{ fires: Case }>(rulesDir, rule);
    expect(findingsOf(fixture.fires).filter((f) => f.rule === rule).map(line)).toEqual(expected);
  });

  it.each(RULES.map(([rule]) => rule))('%s does not fire on its near miss', (rule) => {
    const fixture = read<{ 'near-miss': Case }>(rulesDir, rule);
    expect(findingsOf(fixture['near-miss']).filter((f) => f.rule === rule).map(line)).toEqual([]);
  });

  it('has a fixture and a case for every rule of the tables, and no other', () => {
    const fixtures = readdirSync(rulesDir).map((f) => f.replace(/\.yaml$/, ''));
    expect([...FINDING_RULES].sort()).toEqual(fixtures.sort());
    expect(RULES.map(([rule]) => rule).sort()).toEqual(fixtures.sort());
  });

  it('names the workloads that use a changed ConfigMap, and none that do not', () => {
    const fixture = read<{ fires: Case }>(rulesDir, 'config-env');
    expect(findingsOf(fixture.fires).map((f) => [f.rule, f.subject.name, f.cause?.name])).toEqual([['config-env', 'api', 'settings']]);
  });

  it('says which fields of the config changed and which fields the risk read', () => {
    const [env] = findingsOf(read<{ fires: Case }>(rulesDir, 'config-env').fires);
    expect(env).toMatchObject({ kind: 'impact', cause: { kind: 'ConfigMap', namespace: 'shop', name: 'settings' }, paths: ['data.LOG_LEVEL'] });
    const renamed = findingsOf(read<{ fires: Case }>(rulesDir, 'config-renamed').fires).find((f) => f.rule === 'config-renamed');
    expect(renamed).toMatchObject({ cause: { kind: 'ConfigMap', name: 'web-config-hm2b7t6c5k' }, paths: ['spec.template.spec.containers[name=web].envFrom[0].configMapRef.name'] });
  });

  it('never shows a Secret value (the plan holds them masked; the rules read names and structure)', () => {
    const text = JSON.stringify(findingsOf(read<{ fires: Case }>(rulesDir, 'config-subpath').fires));
    for (const value of ['b2xk', 'bmV3', 'old', 'new']) expect(text).not.toContain(`"${value}"`);
    expect(text).not.toMatch(/b2xk|bmV3/);
  });
});

/** Each workload kind and update strategy, its image changing from nginx:1.26 to nginx:1.27. */
const ROLLOUTS: [fixture: string, severity: string, message: string][] = [
  ['deployment-rolling', 'info', 'Deployment shop/web replaces its 4 Pods by a rolling update (at most 1 extra and 1 unavailable at a time: maxSurge 25%, maxUnavailable 25%), because its Pod template changes: image of container web: nginx:1.26 → nginx:1.27.'],
  ['deployment-rolling-no-unavailable', 'info', 'Deployment shop/web replaces its 3 Pods by a rolling update (at most 1 extra and 0 unavailable at a time: maxSurge 1, maxUnavailable 0), because its Pod template changes: image of container web: nginx:1.26 → nginx:1.27.'],
  ['deployment-helm-checksum', 'info', 'Deployment shop/web replaces its 2 Pods by a rolling update (at most 1 extra and 0 unavailable at a time: maxSurge 25%, maxUnavailable 25%), because its Pod template changes: annotation checksum/config (a Helm chart\'s checksum of the configuration it renders: that configuration changed).'],
  ['deployment-recreate', 'warning', 'Deployment shop/web stops all its 2 Pods before new ones start (strategy Recreate), so it serves nothing in between, because its Pod template changes: image of container web: nginx:1.26 → nginx:1.27.'],
  ['deployment-paused', 'warning', 'Deployment shop/web will NOT roll while it is paused (spec.paused): its Pods are replaced when it is resumed, although its Pod template changes: image of container web: nginx:1.26 → nginx:1.27.'],
  ['statefulset-rolling', 'info', 'StatefulSet shop/db replaces its 3 Pods one at a time, highest ordinal first, each once the one before is Ready, because its Pod template changes: image of container db: nginx:1.26 → nginx:1.27.'],
  ['statefulset-partition', 'info', 'StatefulSet shop/db replaces 1 of its 3 Pods (ordinals 2 and above: partition 2) one at a time, because its Pod template changes: image of container db: nginx:1.26 → nginx:1.27; the others keep the old template.'],
  ['statefulset-partition-all', 'warning', 'StatefulSet shop/db will NOT roll: its partition 3 holds back all its 3 Pods (only ordinals 3 and above are updated), although its Pod template changes: image of container db: nginx:1.26 → nginx:1.27.'],
  ['statefulset-on-delete', 'warning', 'StatefulSet shop/db will NOT roll (updateStrategy OnDelete): running Pods keep the old template until each is deleted, although its Pod template changes: image of container db: nginx:1.26 → nginx:1.27.'],
  ['daemonset-rolling', 'info', 'DaemonSet shop/agent replaces its Pod on every node, 1 node at a time (maxUnavailable 1), because its Pod template changes: image of container agent: nginx:1.26 → nginx:1.27.'],
  ['daemonset-surge', 'info', 'DaemonSet shop/agent replaces its Pod on every node, starting the new Pod before the old one stops (maxSurge 1, maxUnavailable 0), because its Pod template changes: image of container agent: nginx:1.26 → nginx:1.27.'],
  ['daemonset-on-delete', 'warning', 'DaemonSet shop/agent will NOT roll (updateStrategy OnDelete): running Pods keep the old template until each is deleted, although its Pod template changes: image of container agent: nginx:1.26 → nginx:1.27.'],
  ['replicaset', 'warning', 'ReplicaSet shop/web will NOT roll: a ReplicaSet never replaces running Pods, only the Pods it creates later get the new template, although its Pod template changes: image of container web: nginx:1.26 → nginx:1.27.'],
  ['job', 'warning', "Job shop/migrate is deleted and created again, so it runs again (a Job's Pod template cannot change in place), because its Pod template changes: image of container migrate: nginx:1.26 → nginx:1.27."],
  ['cronjob', 'info', "CronJob shop/report's next Jobs use the new template (a Job already running keeps the old one), because its Pod template changes: image of container report: nginx:1.26 → nginx:1.27."],
  ['pod', 'info', 'Pod shop/debug is not replaced, but its container debug restarts in place with the new image, because its spec changes: image of container debug: nginx:1.26 → nginx:1.27.'],
];

describe('rollout impact per workload kind and update strategy', () => {
  it.each(ROLLOUTS)('%s → %s', (name, severity, message) => {
    const findings = findingsOf(read<Case>(rolloutDir, name)).filter((f) => f.kind === 'impact');
    expect(findings.map((f) => [f.rule, f.severity, f.message])).toEqual([['pod-template-changed', severity, message]]);
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(rolloutDir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(ROLLOUTS.map(([name]) => name).sort());
  });

  it('says nothing of workloads the plan creates, deletes or leaves alone', () => {
    const web = read<{ fires: Case }>(rulesDir, 'pod-template-changed').fires.changes[0]!;
    const cases: FixtureChange[][] = [[{ after: web.after! }], [{ before: web.before! }], [{ before: web.before!, after: web.before! }]];
    for (const changes of cases) expect(findingsOf({ changes }).filter((f) => f.kind === 'impact')).toEqual([]);
  });

  it('reads a Job\'s template without the labels the server writes (controller-uid, job-name)', () => {
    const job = (labels: Record<string, string>, image: string): JsonObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop' },
      spec: { template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } } },
    });
    const before = job({ 'batch.kubernetes.io/controller-uid': 'a1', 'job-name': 'migrate' }, 'migrate:1');
    const after = job({ 'batch.kubernetes.io/controller-uid': 'b2', 'job-name': 'migrate-slipway-3f2a1' }, 'migrate:2');
    const finding = findingsOf({ changes: [{ action: 'replace', message: 'x', before, after }] }).find((f) => f.kind === 'impact');
    expect(finding?.paths).toEqual(['spec.template.spec.containers[name=migrate].image']);
  });
});

describe('sortFindings', () => {
  it('puts the most severe first, then risks before impact, then the subject in review order', () => {
    const key = (name: string, namespace?: string) => ({ group: '', version: 'v1', kind: 'ConfigMap', name, ...(namespace && { namespace }) });
    const f = (severity: Finding['severity'], kind: Finding['kind'], name: string): Finding => ({ kind, rule: 'r', severity, subject: key(name, 'shop'), message: name });
    const sorted = sortFindings([f('info', 'impact', 'a'), f('warning', 'impact', 'b'), f('warning', 'risk', 'c'), f('danger', 'impact', 'd'), f('warning', 'risk', 'a')]);
    expect(sorted.map((x) => `${x.severity} ${x.kind} ${x.message}`)).toEqual(['danger impact d', 'warning risk a', 'warning risk c', 'warning impact b', 'info impact a']);
  });
});

describe('planFindings(…).needs', () => {
  it('asks for PodDisruptionBudgets where workloads replace their Pods, and for what deleted Namespaces and CRDs hold', () => {
    const changes = [
      ...fixtureChanges(read<{ fires: Case }>(rulesDir, 'pod-template-changed').fires.changes),
      ...fixtureChanges(read<{ fires: Case }>(rulesDir, 'namespace-deleted').fires.changes),
      ...fixtureChanges(read<{ fires: Case }>(rulesDir, 'crd-deleted').fires.changes),
      ...fixtureChanges(read<{ 'near-miss': Case }>(rulesDir, 'config-volume')['near-miss'].changes),
    ];
    expect(planFindings(changes).needs).toEqual({
      pdbNamespaces: ['shop'],
      deletedNamespaces: ['old-shop'],
      deletedCrds: [{ name: 'widgets.example.com', group: 'example.com', kind: 'Widget', plural: 'widgets', version: 'v1', namespaced: true }],
    });
  });

  it('asks for no PodDisruptionBudget where a workload keeps its Pods or is created', () => {
    const kept = fixtureChanges(read<{ fires: Case }>(rulesDir, 'pods-kept').fires.changes);
    const created = fixtureChanges(read<{ fires: Case }>(rulesDir, 'pod-template-changed').fires.changes.map((c) => ({ after: c.after! })));
    expect(planFindings([...kept, ...created]).needs.pdbNamespaces).toEqual([]);
  });

  it('asks for nothing when nothing needs it', () => {
    expect(planFindings(fixtureChanges(read<{ fires: Case }>(rulesDir, 'config-env').fires.changes)).needs).toEqual({ pdbNamespaces: [], deletedNamespaces: [], deletedCrds: [] });
  });
});
