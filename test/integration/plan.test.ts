/**
 * The plan engine against the real local cluster, end to end: a realistic app (every common
 * kind, a CRD and its custom resource) planned from a real Git repository, applied with
 * kubectl's own ApplySet, then re-planned to exactly zero changes; drift, prune, immutable
 * fields, admission policies, Secrets, a read-only context, the CLI's exit codes and files,
 * and determinism. Each revision is a branch off the applied commit, so every plan's list of
 * changes can be compared exactly.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { APPLYSET_PART_OF_LABEL, applySetId } from '../../core/model/applyset.js';
import { appParent } from '../support/applyset.js';
import { parsePlan } from '../../core/plan/plan-file.js';
import { planApp } from '../../core/plan/service.js';
import { PLAN_FORMAT_VERSION, type Change, type Plan } from '../../core/plan/types.js';
import { renderPlanJson } from '../../core/plan/view-json.js';
import { renderPlanText } from '../../core/plan/view-text.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { shopAppFiles, shopObjects } from '../support/shop-app.js';
import { cleanUp } from '../support/cleanup.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const kubeconfig = loadKubeconfig({ path: kubeconfigPath });
const root = new URL('../..', import.meta.url).pathname;

const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const ns = `plan-it-${suffix}`;
const group = `shop-${suffix}.slipway.test`;
const crdName = `promotions.${group}`;
/** Distinctive values, so any leak of them (plain or base64) is unmistakable. */
const passwords = { old: `old-pw-${randomBytes(9).toString('hex')}`, new: `new-pw-${randomBytes(9).toString('hex')}` };
/** The app's ApplySet parent: named after the app's identity (the fixture repository's first commit and the app's name). */
let parentName: string;
let parentId: string;
/** Two admission policies: one denying with the default reason (422 Invalid), one with reason Forbidden (403), as webhooks usually answer. */
const policies = [
  { name: `${ns}-no-forbidden-label`, label: 'forbidden-label', configMap: 'legacy-flags', reason: undefined, message: `objects in ${ns} may not carry the label forbidden-label` },
  { name: `${ns}-no-restricted-label`, label: 'restricted-label', configMap: 'restricted-flags', reason: 'Forbidden', message: `objects in ${ns} may not carry the label restricted-label` },
] as const;

const tmp = mkdtempSync(join(tmpdir(), 'slipway-plan-it-'));
let fixture: TestRepo;
let repo: Repository;

// ---- the fixture app -----------------------------------------------------------------------

/** The app's files as they are in testdata, with this run's namespace, CRD group and password. */
const appFiles = (): Record<string, string> => shopAppFiles({ namespace: ns, group, password: passwords.old });

const slipwayYaml = (prune: boolean): string => `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: shop
    path: apps/shop
    destination: {namespace: ${ns}}
    options: {prune: ${prune}}
`;

/** Every object of the app, as "Kind namespace/name" (cluster-scoped: "Kind name"). */
const ALL_OBJECTS = shopObjects({ namespace: ns, group });

/** A branch off `main` with some files changed; the work tree is back on main afterwards. */
function branch(name: string, from: string, files: Record<string, string | null>): void {
  fixture.git('checkout', '-q', '-b', name, from);
  fixture.write(files);
  fixture.commit(name);
  fixture.git('checkout', '-q', 'main');
}

// ---- helpers -------------------------------------------------------------------------------

const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });

async function plan(rev: string, opts: { context?: string } = {}): Promise<Plan> {
  return planApp({
    repo,
    rev,
    selection: { app: 'shop' },
    kubeconfig,
    context: opts.context ?? 'slipway-admin',
    cacheDir: mkdtempSync(join(tmp, 'trees-')),
    tools: { kubectl: tools.kubectl, helm: tools.helm, kustomize: tools.kustomize },
  });
}

const nameOf = (c: Change): string => `${c.key.kind} ${c.key.namespace ? `${c.key.namespace}/` : ''}${c.key.name}`;
const find = (p: Plan, name: string): Change => {
  const c = p.changes.find((x) => nameOf(x) === name);
  if (!c) throw new Error(`no change for ${name} in the plan; it has: ${p.changes.map(nameOf).join(', ')}`);
  return c;
};
/** "action Kind ns/name" for every change that is not a noop: what the plan proposes. */
const proposed = (p: Plan): string[] => p.changes.filter((c) => c.action !== 'noop').map((c) => `${c.action} ${nameOf(c)}`);
/** Everything a reviewer needs to see why a change is there: printed when an assertion fails. */
const explain = (p: Plan): string =>
  [
    `plan ${p.id}: ${JSON.stringify(p.summary)}`,
    ...p.changes
      .filter((c) => c.action !== 'noop')
      .map((c) => `  ${c.action} ${nameOf(c)} [${c.flags.join(',')}] paths=${JSON.stringify(c.changedPaths)}${c.message ? ` message=${JSON.stringify(c.message)}` : ''}`),
    ...p.diagnostics.map((d) => `  diagnostic ${d.severity} ${d.code}: ${d.message}`),
  ].join('\n');
/** Runs `fn` while Deployment web is scaled to 5 by hand (kubectl becomes the owner of spec.replicas), then scales it back to 2. */
async function withWebScaledTo5<T>(fn: () => Promise<T>): Promise<T> {
  kubectl(['scale', 'deployment', 'web', '-n', ns, '--replicas=5']);
  try {
    return await fn();
  } finally {
    kubectl(['scale', 'deployment', 'web', '-n', ns, '--replicas=2']);
  }
}
const summary = (counts: Partial<Plan['summary']>): Plan['summary'] => ({ create: 0, update: 0, delete: 0, replace: 0, noop: 0, error: 0, ...counts });

function slipway(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cli-cache'), NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const cliPlan = (rev: string, ...more: string[]): ReturnType<typeof slipway> =>
  slipway(['plan', '--repo', fixture.dir, '--rev', rev, '--app', 'shop', '--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, ...more]);

// ---- setup ---------------------------------------------------------------------------------

beforeAll(async () => {
  fixture = createTestRepo({ prefix: 'slipway-plan-it-' });
  fixture.write({ 'slipway.yaml': slipwayYaml(true), 'README.md': '# shop\n', ...appFiles() });
  fixture.commit('shop: everything');
  fixture.tag('applied');

  const web = appFiles()['apps/shop/web.yaml']!;
  const labelled = (name: string, label: string): string =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    ${label}: "true"\ndata:\n  mode: legacy\n`;
  branch('drop-cronjob', 'applied', { 'apps/shop/cronjob.yaml': null });
  branch('drop-cronjob-no-prune', 'drop-cronjob', { 'slipway.yaml': slipwayYaml(false) });
  branch('breaking', 'applied', {
    // A new selector (and template labels to match): spec.selector is immutable.
    'apps/shop/web.yaml': web.replace(/( +)app: web\n(?=( +)(template:|spec:))/g, '$1app: web\n$1track: stable\n'),
    ...Object.fromEntries(policies.map((p) => [`apps/shop/${p.configMap}.yaml`, labelled(p.configMap, p.label)])),
  });
  // A wrong type in an object whose namespace the plan itself creates: the server must still catch it at plan time.
  branch('bad-field-new-namespace', 'applied', { 'apps/shop/web.yaml': web.replace('replicas: 2', 'replicas: "two"') });
  branch('rotate-secret', 'applied', { 'apps/shop/config.yaml': appFiles()['apps/shop/config.yaml']!.replace(passwords.old, passwords.new) });

  repo = await openRepository(fixture.dir);
  const parent = await appParent(repo, { name: 'shop', path: 'apps/shop', namespace: ns }, 'applied');
  parentName = parent.name;
  parentId = applySetId(parent);
});

afterAll(async () => {
  const steps: (() => unknown)[] = [
    ...policies.flatMap((p) => [
      () => kubectl(['delete', 'validatingadmissionpolicybinding', p.name, '--ignore-not-found']),
      () => kubectl(['delete', 'validatingadmissionpolicy', p.name, '--ignore-not-found']),
    ]),
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => kubectl(['delete', 'customresourcedefinition', crdName, '--ignore-not-found', '--wait=false']),
    () => repo?.close?.(),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ];
  await cleanUp(steps);
});

// ---- the tests -----------------------------------------------------------------------------

describe('a fresh app', () => {
  it('plans every object as create: the custom resource after its CRD, namespaced objects after their namespace', async () => {
    const p = await plan('applied');
    expect(p.summary, explain(p)).toEqual(summary({ create: ALL_OBJECTS.length }));
    expect(p.changes.map(nameOf).sort()).toEqual([...ALL_OBJECTS].sort());
    expect(p.inputs.applySet).toMatchObject({ parent: `Secret/${ns}/${parentName}`, id: parentId });
    expect(parentName).toMatch(/^slipway-shop-[0-9a-f]{10}$/);
    expect(p.diagnostics.filter((d) => d.severity === 'error'), explain(p)).toEqual([]);

    const flags = Object.fromEntries(p.changes.map((c) => [nameOf(c), c.flags]));
    expect(flags[`CustomResourceDefinition ${crdName}`]).toEqual([]);
    expect(flags[`Namespace ${ns}`]).toEqual([]);
    expect(flags[`Promotion ${ns}/spring-sale`]).toContain('after-crd');
    for (const name of ALL_OBJECTS.filter((o) => o.includes('/') && !o.startsWith('Promotion '))) {
      expect(flags[name], name).toEqual(['after-namespace']);
    }
    // Objects in the namespace the plan creates are still dry-run (in a stand-in namespace): the server's defaults are there.
    const web = parse(find(p, `Deployment ${ns}/web`).after ?? '') as { spec?: { revisionHistoryLimit?: number; template?: { spec?: { dnsPolicy?: string } } } };
    expect(web.spec?.revisionHistoryLimit).toBe(10);
    expect(web.spec?.template?.spec?.dnsPolicy).toBe('ClusterFirst');
    // Every object is labelled into the app's ApplySet; namespaced ones got the destination namespace.
    for (const c of p.changes) {
      const after = parse(c.after ?? '') as { metadata?: { namespace?: string; labels?: Record<string, string> } };
      expect(after.metadata?.labels?.[APPLYSET_PART_OF_LABEL], nameOf(c)).toBe(parentId);
      expect(after.metadata?.namespace, nameOf(c)).toBe(c.key.namespace);
    }
  });

  it('finds a wrong field type in an object whose namespace does not exist yet, naming the object and not the stand-in', async () => {
    const p = await plan('bad-field-new-namespace');
    expect(proposed(p).filter((c) => c.startsWith('error ')), explain(p)).toEqual([`error Deployment ${ns}/web`]);
    const web = find(p, `Deployment ${ns}/web`);
    expect(web.message).toMatch(/replicas/);
    expect(web.message).not.toMatch(/-slipway-[0-9a-f]{5}/);
    expect(p.summary.create).toBe(ALL_OBJECTS.length - 1);
  });

  it('re-plans to zero changes once kubectl has applied it server-side with the same ApplySet', async () => {
    const dir = join(fixture.dir, 'apps', 'shop');
    // The ApplySet parent lives in the namespace, and the custom resource needs its CRD served first.
    kubectl(['apply', '--server-side', '--field-manager=slipway', '-f', join(dir, 'namespace.yaml'), '-f', join(dir, 'crd.yaml')]);
    kubectl(['wait', '--for=condition=established', '--timeout=60s', `customresourcedefinition/${crdName}`]);
    kubectl(['apply', '--server-side', '--field-manager=slipway', `--applyset=${parentName}`, '--prune', '-n', ns, '-f', dir]);
    // kubectl computed the same ApplySet id as Slipway.
    expect(kubectl(['get', 'secret', parentName, '-n', ns, '-o', 'jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/id}'])).toBe(parentId);
    expect(kubectl(['get', 'deployment', 'web', '-n', ns, '-o', `jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/part-of}`])).toBe(parentId);
    // Let the controllers finish their first writes (rollout, job completion), as a user planning later would see.
    kubectl(['rollout', 'status', '-n', ns, 'deployment/web', 'deployment/worker', '--timeout=60s']);
    kubectl(['wait', '-n', ns, '--for=condition=complete', '--timeout=60s', 'job/migrate']);

    const p = await plan('applied');
    expect(proposed(p), explain(p)).toEqual([]);
    expect(p.summary, explain(p)).toEqual(summary({ noop: ALL_OBJECTS.length }));
    expect(p.diagnostics.filter((d) => d.severity === 'error'), explain(p)).toEqual([]);
    expect(p.changes.every((c) => c.liveResourceVersion !== undefined && c.changedPaths.length === 0)).toBe(true);
  });
});

describe('drift', () => {
  it('kubectl scale shows as exactly one update, on spec.replicas, and scaling back clears it', async () => {
    await withWebScaledTo5(async () => {
      const p = await plan('applied');
      expect(proposed(p), explain(p)).toEqual([`update Deployment ${ns}/web`]);
      const web = find(p, `Deployment ${ns}/web`);
      expect(web.changedPaths).toEqual(['spec.replicas']);
      expect((parse(web.before ?? '') as { spec: { replicas: number } }).spec.replicas).toBe(5);
      expect((parse(web.after ?? '') as { spec: { replicas: number } }).spec.replicas).toBe(2);
      // kubectl scale made "kubectl" the owner of spec.replicas: applying 2 would conflict with it.
      expect(web.flags, explain(p)).toContain('other-manager');
    });
    const again = await plan('applied');
    expect(proposed(again), explain(again)).toEqual([]);
  });
});

describe('prune', () => {
  beforeAll(() => {
    kubectl(['create', 'configmap', 'hand-made', '-n', ns, '--from-literal=owner=someone-else']);
  });

  it.each([
    ['drop-cronjob', 'prune on', [`delete CronJob ${ns}/report`]],
    ['drop-cronjob-no-prune', 'prune off', []],
  ])('a commit without cronjob.yaml (%s, %s) proposes %j', async (rev, _prune, expected) => {
    const p = await plan(rev);
    expect(proposed(p), explain(p)).toEqual(expected);
    // Objects that were never in the ApplySet are never touched, whatever prune says.
    for (const name of ['hand-made', 'kube-root-ca.crt']) expect(p.changes.map(nameOf)).not.toContain(`ConfigMap ${ns}/${name}`);
    if (expected.length > 0) {
      const del = find(p, `CronJob ${ns}/report`);
      expect(del.flags).toEqual([]);
      expect(del.liveResourceVersion).toMatch(/^\d+$/);
      expect(del.after).toBeUndefined();
    }
  });
});

describe('what the server refuses', () => {
  beforeAll(async () => {
    for (const p of policies) {
      kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicy',
          metadata: { name: p.name },
          spec: {
            failurePolicy: 'Fail',
            matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }] },
            validations: [{ expression: `!has(object.metadata.labels) || !('${p.label}' in object.metadata.labels)`, message: p.message, ...(p.reason && { reason: p.reason }) }],
          },
        }),
      });
      kubectl(['apply', '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingAdmissionPolicyBinding',
          metadata: { name: p.name },
          spec: { policyName: p.name, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } } },
        }),
      });
    }
    // Policies take a moment to reach the admission plugin: wait until a dry-run is refused.
    for (const p of policies) {
      const probe = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: ns, labels: { [p.label]: 'true' } } });
      await vi.waitFor(
        () => {
          expect(() => kubectl(['apply', '--dry-run=server', '-f', '-'], { input: probe })).toThrow(p.message);
        },
        { timeout: 60_000, interval: 500 },
      );
    }
  });

  it.each([
    ['as applied', false],
    ['while spec.replicas is drifted by kubectl scale', true],
  ])('a changed selector is a dangerous replace naming the immutable field; objects a policy denies are errors with its message (%s)', async (_state, drifted) => {
    const p = drifted ? await withWebScaledTo5(() => plan('breaking')) : await plan('breaking');
    expect(proposed(p).sort(), explain(p)).toEqual([`replace Deployment ${ns}/web`, ...policies.map((x) => `error ConfigMap ${ns}/${x.configMap}`)].sort());
    expect(p.summary.error).toBeGreaterThanOrEqual(1);

    const web = find(p, `Deployment ${ns}/web`);
    expect(web.flags).toContain('dangerous');
    expect(web.message, explain(p)).toMatch(/spec\.selector/);
    expect(web.message, explain(p)).toMatch(/immutable/);
    // The after side is what the cluster will hold once it is created again (server defaults included), so only real changes show.
    const changed = ['spec.selector.matchLabels.track', 'spec.template.metadata.labels.track', ...(drifted ? ['spec.replicas'] : [])];
    expect([...web.changedPaths].sort(), explain(p)).toEqual(changed.sort());

    for (const policy of policies) {
      const denied = find(p, `ConfigMap ${ns}/${policy.configMap}`);
      expect(denied.message, `${policy.name}\n${explain(p)}`).toContain(policy.message);
      expect(denied.flags, policy.name).not.toContain('approximate');
    }
  });
});

describe('Secrets', () => {
  const forbidden = [passwords.old, passwords.new, Buffer.from(passwords.old).toString('base64'), Buffer.from(passwords.new).toString('base64')];
  const leaks = (text: string): string[] => forbidden.filter((s) => text.includes(s));

  it('a changed value shows as "changed" and its plaintext or base64 (old and new) appears in no view, file or output', async () => {
    const p = await plan('rotate-secret');
    expect(proposed(p), explain(p)).toEqual([`update Secret ${ns}/shop-db`]);
    expect(find(p, `Secret ${ns}/shop-db`).secretKeys).toEqual({ password: 'changed', username: 'unchanged' });

    const out = join(tmp, 'secret-plan.json');
    const text = cliPlan('rotate-secret', '--out', out);
    const json = cliPlan('rotate-secret', '--json');
    expect([text.status, json.status], text.stderr + json.stderr).toEqual([0, 0]);
    const outputs: [string, string][] = [
      ['the plan value', JSON.stringify(p)],
      ['the text view', renderPlanText(p)],
      ['the coloured text view', renderPlanText(p, { color: true })],
      ['the JSON view', renderPlanJson(p)],
      ['the --out file', readFileSync(out, 'utf8')],
      ['CLI stdout (text)', text.stdout],
      ['CLI stderr (text)', text.stderr],
      ['CLI stdout (--json)', json.stdout],
      ['CLI stderr (--json)', json.stderr],
    ];
    expect(outputs.map(([where, s]) => [where, leaks(s)])).toEqual(outputs.map(([where]) => [where, []]));
    expect(text.stdout).toContain('shop-db'); // the change is shown, only its values are not
  });
});

describe('a read-only context', () => {
  it('still produces a plan, its changes labelled approximate, without errors', async () => {
    const p = await plan('rotate-secret', { context: 'slipway-readonly' });
    expect(p.inputs.cluster?.context).toBe('slipway-readonly');
    expect(p.summary.error, explain(p)).toBe(0);
    expect(p.diagnostics.filter((d) => d.severity === 'error'), explain(p)).toEqual([]);
    const secret = find(p, `Secret ${ns}/shop-db`);
    expect([secret.action, secret.secretKeys?.password], explain(p)).toEqual(['update', 'changed']);
    const unlabelled = p.changes.filter((c) => c.action !== 'delete' && !c.flags.includes('approximate')).map(nameOf);
    expect(unlabelled, explain(p)).toEqual([]);
  });
});

describe('slipway plan (CLI)', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  });

  it.each([
    ['applied', 'no changes', 0],
    ['rotate-secret', 'changes', 2],
    ['breaking', 'errors', 1],
  ])('--detailed-exitcode at %s (%s) exits %i', (rev, _what, code) => {
    const r = cliPlan(rev, '--detailed-exitcode');
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(code);
  });

  it('--json prints the current formatVersion and --out writes the same plan, which parsePlan reads back', () => {
    const out = join(tmp, 'plan.json');
    const r = cliPlan('drop-cronjob', '--json', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const printed = JSON.parse(r.stdout) as Plan;
    expect(printed.formatVersion).toBe(PLAN_FORMAT_VERSION);
    expect(printed.summary).toMatchObject({ delete: 1 });
    expect(parsePlan(readFileSync(out, 'utf8'), { file: out })).toEqual(printed);
  });
});

describe('determinism', () => {
  /** Plans twice; retries only when the cluster itself moved between the two (a resourceVersion changed). */
  async function twice(rev: string): Promise<[Plan, Plan]> {
    for (let attempt = 1; ; attempt++) {
      const a = await plan(rev);
      const b = await plan(rev);
      const versions = (p: Plan): string[] => p.changes.map((c) => `${nameOf(c)}@${c.liveResourceVersion ?? ''}`);
      if (a.id === b.id || JSON.stringify(versions(a)) === JSON.stringify(versions(b)) || attempt === 3) return [a, b];
    }
  }

  it.each(['applied', 'breaking', 'rotate-secret'])('planning %s twice gives the same plan id', async (rev) => {
    const [a, b] = await twice(rev);
    expect(b.changes).toEqual(a.changes);
    expect(b.id).toBe(a.id);
  });

  it('the CLI and the engine give the same plan id for the same inputs', async () => {
    // The engine plans before and after the CLI; when a controller moved the cluster meanwhile (a resourceVersion changed,
    // as after the scale test on a slow machine), the three are taken again: the inputs must be the same for all.
    const versions = (p: Plan): string => JSON.stringify(p.changes.map((c) => `${nameOf(c)}@${c.liveResourceVersion ?? ''}`));
    for (let attempt = 1; ; attempt++) {
      const before = await plan('applied');
      const r = cliPlan('applied', '--json');
      expect(r.status, r.stderr).toBe(0);
      const after = await plan('applied');
      if (versions(before) !== versions(after) && attempt < 5) continue;
      const { id: cliId, createdAt: _c, ...cliBody } = JSON.parse(r.stdout) as Plan;
      const { id: engineId, createdAt: _e, ...engineBody } = after;
      // The bodies first, so a difference names the field rather than only two ids.
      expect(cliBody).toEqual(engineBody);
      expect(cliId).toBe(engineId);
      return;
    }
  });
});
