/**
 * Argo CD and Helm hooks on the real cluster, through the CLI as users run it, on repositories laid
 * out as Argo CD's examples are: the plan lists the hooks apart from the changes (a generateName
 * Job is no error), apply runs them as phases (PreSync before the app, PostSync after it) on kwok
 * Jobs that really complete or fail, deletes them by policy, keeps them out of the ApplySet, and a
 * re-plan has no changes. A failing PreSync hook stops the apply before the app and says why from
 * its Pod's log; the SyncFail hook runs; one that never finishes ends its phase at the timeout. The
 * same under kustomize with namePrefix (where generateName is refused with what to do), with sync
 * waves and generateName Sync hooks, and for a Helm chart's pre-install/post-install hooks (its test
 * hooks left out).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APPLYSET_PART_OF_LABEL } from '../../core/model/applyset.js';
import { cleanUp } from '../support/cleanup.js';
import { slipwayCli, showRun, type CliRun } from '../support/slipway-cli.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { CONTAINER_LOGS, DEFAULT_CONTAINER_LOG, OUTCOME_FAIL, OUTCOME_HANG, outcomeLabels } from '../support/kwok-outcomes.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-hooks-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const repos: TestRepo[] = [];
const namespaces: string[] = [];

const slipway = slipwayCli({ tmp, tools });
type Run = CliRun;
const show = showRun;
const yaml = (...docs: object[]): string => docs.map((d) => stringify(d)).join('---\n');

interface JobOptions {
  readonly annotations: Record<string, string>;
  readonly generateName?: boolean;
  readonly fails?: boolean;
  readonly hangs?: boolean;
  readonly container?: string;
}

function job(name: string, o: JobOptions): object {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...(o.generateName ? { generateName: name } : { name }), annotations: o.annotations },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { app: 'hooks', ...(o.fails && outcomeLabels(OUTCOME_FAIL)), ...(o.hangs && outcomeLabels(OUTCOME_HANG)) } },
        spec: { restartPolicy: 'Never', containers: [{ name: o.container ?? 'main', image: 'busybox:1.37', command: ['true'] }] },
      },
    },
  };
}

const configMap = (name: string, data: Record<string, string>, annotations?: Record<string, string>): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(annotations && { annotations }) }, data });

interface LiveJob {
  metadata: { name: string; uid: string; labels?: Record<string, string> };
  status?: { conditions?: { type: string; status: string }[] };
}
const jobs = (ns: string): LiveJob[] => (JSON.parse(kubectl(['get', 'jobs', '-n', ns, '-o', 'json'])) as { items: LiveJob[] }).items;
const configValue = (ns: string, name: string): string | undefined => {
  const r = kubectl.result(['get', 'configmap', name, '-n', ns, '-o', 'jsonpath={.data.version}']);
  return r.status === 0 ? r.stdout : undefined;
};

afterAll(async () => {
  await cleanUp([...namespaces.map((ns) => () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'])), ...repos.map((r) => () => r.cleanup()), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('Argo CD hooks in a folder of manifests', () => {
  const NS = `hooks-${suffix}`;
  const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'app', '-n', NS, '--create-namespace'];
  let repo: TestRepo;
  const files = (version: string, failing = false): Record<string, string> => ({
    'app/config.yaml': yaml(configMap('app-config', { version }), configMap('waits', { a: '1' }, { 'slipway.dev/wait': 'sometimes' })),
    'app/hooks.yaml': yaml(
      job('upgrade-sql-schema-', { generateName: true, annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }, fails: failing, container: failing ? 'migrate' : 'main' }),
      job('smoke', { annotations: { 'argocd.argoproj.io/hook': 'PostSync' } }),
      job('on-failure', { annotations: { 'argocd.argoproj.io/hook': 'SyncFail' } }),
      configMap('skipped', { a: '1' }, { 'argocd.argoproj.io/hook': 'Skip' }),
    ),
  });

  beforeAll(() => {
    namespaces.push(NS);
    repo = createTestRepo({ prefix: 'slipway-hooks-' });
    repos.push(repo);
    repo.write(files('1'));
    repo.commit('v1');
  });

  it('plans the hooks apart from the changes: a generateName Job is no error, the Skip hook is listed as not run', () => {
    const r = slipway(['plan', '--repo', repo.dir, ...target]);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toContain('Hooks: on apply, 3 hooks run');
    expect(r.stdout).toMatch(new RegExp(`PreSync\\s+Job.batch ${NS}/upgrade-sql-schema-… \\(Argo CD hook; deleted HookSucceeded; named when it runs\\)  app/hooks.yaml:1`));
    expect(r.stdout).toMatch(new RegExp(`PostSync\\s+Job.batch ${NS}/smoke \\(Argo CD hook; deleted BeforeHookCreation\\)`));
    expect(r.stdout).toMatch(new RegExp(`SyncFail\\s+Job.batch ${NS}/on-failure`));
    expect(r.stdout).toContain(`Hooks not run (1):\n  ConfigMap ${NS}/skipped: argocd.argoproj.io/hook: Skip`);
    expect(r.stdout).not.toMatch(/create Job/);
    // The wait annotation is read at plan time too: a bad value is a warning at its file and line.
    expect(r.stdout).toMatch(/app\/config.yaml:\d+:1: warning: .*slipway.dev\/wait.*sometimes/);
    const json = JSON.parse(slipway(['plan', '--repo', repo.dir, ...target, '--json']).stdout) as { hooks: { key: { name: string }; phases: string[]; generateName?: boolean }[] };
    expect(json.hooks.map((h) => `${h.phases.join(',') || 'skipped'} ${h.key.name}${h.generateName ? '…' : ''}`)).toEqual(['PreSync upgrade-sql-schema-…', 'PostSync smoke', 'SyncFail on-failure', 'skipped skipped']);
  });

  it('apply runs PreSync before the app and PostSync after it, deletes by policy, keeps hooks out of the ApplySet; the re-plan has no changes', () => {
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve']);
    expect(r.status, show(r)).toBe(0);
    // The namespace the PreSync hook runs in first (the plan creates it), then the hook, the app, the PostSync hook.
    const steps = r.stderr.split('\n').filter((l) => l.startsWith('[step')).map((l) => l.replace(/^\[step \d+\] /, ''));
    expect(steps, show(r)).toEqual(['wave 0 · upsert · namespaces · 1 object', 'PreSync hooks · wave 0 · workloads · 1 hook', 'wave 0 · upsert · config · 2 objects', 'PostSync hooks · wave 0 · workloads · 1 hook']);
    expect(r.stderr).toMatch(/Applying \d+ changes and 2 hooks/);
    // The PreSync Job ran under Argo CD's generated name and was deleted when it succeeded; smoke stays until the next run.
    expect(r.stderr).toMatch(new RegExp(`✓ Job.batch ${NS}/upgrade-sql-schema-[0-9a-f]{7}-presync-\\d+ healthy`));
    const live = jobs(NS);
    expect(live.map((j) => j.metadata.name)).toEqual(['smoke']);
    expect(live[0]!.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).toBe(true);
    expect(live[0]!.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBeUndefined();
    expect(kubectl.result(['get', 'configmap', 'skipped', '-n', NS]).status).not.toBe(0);
    const again = slipway(['plan', '--repo', repo.dir, ...target, '--detailed-exitcode']);
    expect(again.status, show(again)).toBe(0);
    expect(again.stdout).toContain('Nothing is applied, so its 3 hooks do not run');
  });

  it('the next apply deletes the earlier PostSync Job first (BeforeHookCreation) and runs it again', () => {
    const before = jobs(NS).find((j) => j.metadata.name === 'smoke')!.metadata.uid;
    repo.write(files('2'));
    repo.commit('v2');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve']);
    expect(r.status, show(r)).toBe(0);
    expect(configValue(NS, 'app-config')).toBe('2');
    expect(jobs(NS).find((j) => j.metadata.name === 'smoke')!.metadata.uid).not.toBe(before);
  });

  it('a failing PreSync hook stops the apply before the app, says why from its log, and runs the SyncFail hook', () => {
    repo.write(files('3', true));
    repo.commit('v3 with a broken migration');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve']);
    expect(r.status, show(r)).toBe(1);
    expect(r.stderr).toContain('(PreSync hooks, wave 0) failed: PreSync hook Job.batch');
    expect(r.stderr).toContain(CONTAINER_LOGS.migrate!.trim());
    expect(r.stderr).toContain('the SyncFail hooks ran (1)');
    // Nothing of the app was applied; the failed Job stays for a look (its policy deletes it only when it succeeds).
    expect(configValue(NS, 'app-config')).toBe('2');
    const names = jobs(NS).map((j) => j.metadata.name);
    expect(names).toContain('on-failure');
    expect(names.some((n) => /^upgrade-sql-schema-[0-9a-f]{7}-presync-\d+$/.test(n))).toBe(true);
    // History says which hook failed, in which phase, and why.
    const runId = /Run (\S+) recorded/.exec(r.stderr)?.[1];
    const history = slipway(['history', runId!, '--history', join(tmp, 'history.db')]);
    expect(history.status, show(history)).toBe(0);
    expect(history.stdout).toMatch(new RegExp(`unhealthy hook PreSync Job.batch ${NS}/upgrade-sql-schema-\\S+  BackoffLimitExceeded.*is Failed \\(Error, exit code 1.*${CONTAINER_LOGS.migrate!.trim()}`));
    expect(history.stdout).toMatch(new RegExp(`healthy\\s+hook SyncFail Job.batch ${NS}/on-failure`));
    expect(history.stdout).toMatch(new RegExp(`skipped\\s+update\\s+ConfigMap ${NS}/app-config`));
    expect(history.stdout).toMatch(new RegExp(`skipped\\s+hook PostSync Job.batch ${NS}/smoke  not started`));
  });
});

/** The step lines of an apply's progress, without their numbers. */
const stepLines = (r: Run): string[] => r.stderr.split('\n').filter((l) => l.startsWith('[step')).map((l) => l.replace(/^\[step \d+\] /, ''));
const wave = (n: number): Record<string, string> => ({ 'argocd.argoproj.io/sync-wave': String(n) });

describe('kustomize with namePrefix and PreSync/PostSync Jobs', () => {
  const NS = `hooks-kz-${suffix}`;
  const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'app', '-n', NS, '--create-namespace'];

  it('runs the prefixed hooks in their phases and deletes them by policy; the re-plan has no changes; a generateName hook is refused with what to do', () => {
    namespaces.push(NS);
    const repo = createTestRepo({ prefix: 'slipway-hooks-kz-' });
    repos.push(repo);
    repo.write({
      'app/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - config.yaml\n  - hooks.yaml\n',
      'app/config.yaml': yaml(configMap('settings', { version: '1' })),
      'app/hooks.yaml': yaml(
        job('db-migrate', { annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' } }),
        job('smoke', { annotations: { 'argocd.argoproj.io/hook': 'PostSync' } }),
      ),
    });
    repo.commit('v1');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve']);
    expect(r.status, show(r)).toBe(0);
    expect(stepLines(r)).toEqual(['wave 0 · upsert · namespaces · 1 object', 'PreSync hooks · wave 0 · workloads · 1 hook', 'wave 0 · upsert · config · 1 object', 'PostSync hooks · wave 0 · workloads · 1 hook']);
    expect(r.stderr).toContain(`✓ Job.batch ${NS}/prod-db-migrate healthy`);
    expect(jobs(NS).map((j) => j.metadata.name)).toEqual(['prod-smoke']);
    expect(configValue(NS, 'prod-settings')).toBe('1');
    const again = slipway(['plan', '--repo', repo.dir, ...target, '--detailed-exitcode']);
    expect(again.status, show(again)).toBe(0);

    repo.write({ 'app/hooks.yaml': yaml(job('db-migrate-', { generateName: true, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } })) });
    repo.commit('generateName under kustomize');
    const refused = slipway(['plan', '--repo', repo.dir, ...target]);
    expect(refused.status, show(refused)).toBe(1);
    expect(refused.stderr).toContain('missing metadata.name');
    expect(refused.stderr).toContain('kustomize cannot build an object that has only metadata.generateName (kubernetes-sigs/kustomize#641');
  });
});

describe('sync waves with generateName hooks', () => {
  const NS = `hooks-waves-${suffix}`;
  const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'app', '-n', NS, '--create-namespace'];

  it('runs a Sync hook after the objects of its wave and before the next wave, each generateName hook under its own name', () => {
    namespaces.push(NS);
    const repo = createTestRepo({ prefix: 'slipway-hooks-waves-' });
    repos.push(repo);
    repo.write({
      'app/all.yaml': yaml(
        configMap('schema', { version: '1' }, wave(0)),
        job('seed-', { generateName: true, annotations: { 'argocd.argoproj.io/hook': 'Sync', ...wave(1), 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' } }),
        configMap('app-config', { version: '1' }, wave(2)),
        job('report-', { generateName: true, annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' } }),
      ),
    });
    repo.commit('v1');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve']);
    expect(r.status, show(r)).toBe(0);
    expect(stepLines(r)).toEqual(['wave 0 · upsert · namespaces · 1 object', 'wave 0 · upsert · config · 1 object', 'Sync hooks · wave 1 · workloads · 1 hook', 'wave 2 · upsert · config · 1 object', 'PostSync hooks · wave 0 · workloads · 1 hook']);
    expect(r.stderr).toMatch(new RegExp(`✓ Job.batch ${NS}/seed-[0-9a-f]{7}-sync-\\d+ healthy`));
    expect(r.stderr).toMatch(new RegExp(`✓ Job.batch ${NS}/report-[0-9a-f]{7}-postsync-\\d+ healthy`));
    expect(jobs(NS)).toEqual([]);
    const again = slipway(['plan', '--repo', repo.dir, ...target, '--detailed-exitcode']);
    expect(again.status, show(again)).toBe(0);
  });
});

describe('a hook Job that never finishes', () => {
  const NS = `hooks-hang-${suffix}`;
  const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'app', '-n', NS, '--create-namespace'];

  it('ends its phase at the timeout naming the Pod and its state; nothing of a later phase is applied', () => {
    namespaces.push(NS);
    const repo = createTestRepo({ prefix: 'slipway-hooks-hang-' });
    repos.push(repo);
    repo.write({ 'app/all.yaml': yaml(configMap('app-config', { version: '1' }), job('wait-for-db', { annotations: { 'argocd.argoproj.io/hook': 'PreSync' }, hangs: true }), job('smoke', { annotations: { 'argocd.argoproj.io/hook': 'PostSync' } })) });
    repo.commit('v1');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve', '--timeout', '5']);
    expect(r.status, show(r)).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`\\(PreSync hooks, wave 0\\) failed: PreSync hook Job.batch ${NS}/wait-for-db: timed out after 5 s; last status: running: 1 active`));
    expect(r.stderr).toMatch(new RegExp(`Pod ${NS}/wait-for-db-\\w+ is Running; the log of Pod ${NS}/wait-for-db-\\w+ \\(container main\\) ends: ${DEFAULT_CONTAINER_LOG.trim()}`));
    expect(configValue(NS, 'app-config')).toBeUndefined();
    expect(jobs(NS).map((j) => j.metadata.name)).toEqual(['wait-for-db']);
  });
});

describe('Helm hooks in a chart', () => {
  const NS = `helm-hooks-${suffix}`;
  const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'chart', '-n', NS, '--create-namespace'];
  let repo: TestRepo;

  beforeAll(() => {
    namespaces.push(NS);
    repo = createTestRepo({ prefix: 'slipway-helm-hooks-' });
    repos.push(repo);
    repo.write({
      'chart/Chart.yaml': 'apiVersion: v2\nname: hooked\nversion: 0.1.0\n',
      'chart/values.yaml': 'greeting: hello\n',
      'chart/templates/config.yaml': yaml(configMap('{{ .Release.Name }}-config', { greeting: '{{ .Values.greeting }}' })),
      'chart/templates/hooks.yaml': yaml(
        job('{{ .Release.Name }}-db-init', { annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-1', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' } }),
        job('{{ .Release.Name }}-notify', { annotations: { 'helm.sh/hook': 'post-install,post-upgrade' } }),
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: '{{ .Release.Name }}-test-connection', annotations: { 'helm.sh/hook': 'test' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'wget', image: 'busybox', command: ['wget', 'web:80'] }] } },
      ),
    });
    repo.commit('chart');
  });

  it('runs pre-install before the chart and post-install after it (as Argo CD maps them), deletes by policy, and leaves the test hook out; the re-plan has no changes', () => {
    const plan = slipway(['plan', '--repo', repo.dir, ...target]);
    expect(plan.status, show(plan)).toBe(0);
    expect(plan.stdout).toMatch(/PreSync\s+Job.batch \S+\/chart-db-init \(Helm hook; wave -1; deleted BeforeHookCreation, HookSucceeded\)/);
    expect(plan.stdout).toMatch(/PostSync\s+Job.batch \S+\/chart-notify \(Helm hook; deleted BeforeHookCreation\)/);
    expect(plan.stdout).toContain('1 Helm test hook was left out');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve']);
    expect(r.status, show(r)).toBe(0);
    expect(stepLines(r), show(r)).toEqual(['wave -1 · upsert · namespaces · 1 object', 'PreSync hooks · wave -1 · workloads · 1 hook', 'wave 0 · upsert · config · 1 object', 'PostSync hooks · wave 0 · workloads · 1 hook']);
    expect(jobs(NS).map((j) => j.metadata.name)).toEqual(['chart-notify']);
    expect(kubectl.result(['get', 'pod', 'chart-test-connection', '-n', NS]).status).not.toBe(0);
    const again = slipway(['plan', '--repo', repo.dir, ...target, '--detailed-exitcode']);
    expect(again.status, show(again)).toBe(0);
    expect(again.stdout).toContain('Nothing is applied, so its 2 hooks do not run');
  });
});
