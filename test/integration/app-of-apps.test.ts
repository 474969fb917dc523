/**
 * App of apps against the real cluster, through the CLI as users run it, on a repository in the
 * layout of Argo CD's example repository (test/support/app-of-apps-repo.ts): the `apps` chart
 * renders two Applications and an ApplicationSet with a list generator. The test cluster has no
 * Argo CD, so those objects are child apps: listed under their parent, planned after it, applied
 * each as its own run — and never applied as objects.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHistory } from '../../core/history/history.js';
import { appOfAppsFiles, createAppOfAppsRepo } from '../support/app-of-apps-repo.js';
import { cleanUp } from '../support/cleanup.js';
import { slipwayCli, showRun } from '../support/slipway-cli.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const sfx = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const prefix = `aoa-${sfx}-`;
const CHILDREN = ['env-dev', 'env-prod', 'guestbook', 'helm-guestbook'];
const NAMESPACES = CHILDREN.map((c) => `${prefix}${c}`);
const tmp = mkdtempSync(join(tmpdir(), 'slipway-aoa-it-'));
const historyFile = join(tmp, 'history.db');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const repos: TestRepo[] = [];

const slipway = slipwayCli({ tmp, tools });
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', historyFile];
const show = showRun;

interface PlanJson {
  inputs: { app: { name: string } };
  changes: { key: { group: string; kind: string; name: string; namespace?: string }; action: string }[];
  summary: Record<string, number>;
  diagnostics: { code: string; severity: string; message: string }[];
  children?: { app: string; parent: string; path: string; plan?: PlanJson; error?: unknown; children: unknown[] }[];
}

let repo: TestRepo;

beforeAll(() => {
  repo = createAppOfAppsRepo(prefix);
  repos.push(repo);
});

afterAll(async () => {
  await cleanUp([...NAMESPACES.map((ns) => () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'])), ...repos.map((r) => () => r.cleanup()), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('an app of apps on a cluster without Argo CD', () => {
  it('the cluster does not serve Argo CD (what this file is about)', () => {
    expect(kubectl.result(['api-resources', '--api-group', 'argoproj.io', '-o', 'name']).stdout.trim()).toBe('');
  });

  it('slipway apps lists the child apps under their parent', () => {
    const r = slipway(['apps', '--repo', repo.dir]);
    expect(r.status, show(r)).toBe(0);
    const names = r.stdout.split('\n').slice(1).filter(Boolean).map((l) => l.split(/\s{3,}/)[0]);
    expect(names).toEqual(['apps', ...CHILDREN.map((c) => `└ ${c}`)]);
    expect(r.stdout).toMatch(/└ env-dev\s+auto\s+envs\/dev\s+\S+env-dev\s+-\s+argocd apps\/templates\/envs\.yaml \(ApplicationSet envs\), child of apps/);
    expect(r.stderr).toMatch(/1 app and 4 child apps/);
    const json = JSON.parse(slipway(['apps', '--repo', repo.dir, '--json']).stdout) as { apps: { name: string; parent?: string; path: string; namespace?: string }[] };
    expect(json.apps.map((a) => [a.name, a.parent ?? null, a.path, a.namespace])).toEqual([
      ['apps', null, 'apps', 'default'],
      ['env-dev', 'apps', 'envs/dev', `${prefix}env-dev`],
      ['env-prod', 'apps', 'envs/prod', `${prefix}env-prod`],
      ['guestbook', 'apps', 'guestbook', `${prefix}guestbook`],
      ['helm-guestbook', 'apps', 'helm-guestbook', `${prefix}helm-guestbook`],
    ]);
  });

  it('plan of the parent: its Argo CD objects are child apps, not changes; each child is planned after it with a summary', () => {
    const r = slipway(['plan', '--repo', repo.dir, '--app', 'apps', ...target]);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toContain('info: 2 Application objects and 1 ApplicationSet object are child apps here: the cluster has no Argo CD, so they are planned as Slipway apps, not applied');
    expect(r.stdout).toContain('1 AppProject object is left out too');
    expect(r.stdout).toContain('━━ child app guestbook of apps (guestbook): 3 to add, 0 to change, 0 to destroy');
    expect(r.stdout).toContain('━━ child app helm-guestbook of apps (helm-guestbook): 3 to add, 0 to change, 0 to destroy');
    expect(r.stdout).toContain(`+ create Deployment.apps ${prefix}guestbook/guestbook-ui`);
    // The guestbook child's hook Jobs are hooks of its plan, not changes of it.
    expect(r.stdout).toMatch(new RegExp(`PreSync\\s+Job.batch ${prefix}guestbook/upgrade-sql-schema-… \\(Argo CD hook; deleted HookSucceeded; named when it runs\\)  guestbook/upgrade-sql-schema.yaml:1`));
    expect(r.stdout).not.toMatch(/create Job/);
    expect(r.stdout).toMatch(/App of apps: apps and 4 child apps\napps: no changes\n {2}└ env-dev: 2 to add, 0 to change, 0 to destroy\n {2}└ env-prod: 2 to add/);

    const json = JSON.parse(slipway(['plan', '--repo', repo.dir, '--app', 'apps', '--json', ...target]).stdout) as PlanJson;
    expect(json.changes.filter((c) => c.key.group === 'argoproj.io')).toEqual([]);
    expect(json.children?.map((c) => [c.app, c.parent, c.plan?.summary.create])).toEqual([
      ['env-dev', 'apps', 2],
      ['env-prod', 'apps', 2],
      ['guestbook', 'apps', 3],
      ['helm-guestbook', 'apps', 3],
    ]);
    // Helm values of the Application (valueFiles) mean the same as in a file-scanned Application.
    const helm = json.children?.find((c) => c.app === 'helm-guestbook')?.plan;
    expect(helm?.changes.find((c) => c.key.kind === 'Deployment')?.key).toMatchObject({ name: 'helm-guestbook', namespace: `${prefix}helm-guestbook` });
  });

  it('a child app is planned alone by its name', () => {
    const r = slipway(['plan', '--repo', repo.dir, '--app', 'helm-guestbook', ...target]);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toMatch(/app {7}helm-guestbook \(helm-guestbook, helm, namespace \S+helm-guestbook\)/);
    expect(r.stdout).toMatch(/\+\s+replicas: 2/);
  });

  it('apply of the parent applies each child as its own run and no Application object; the re-plan exits 0', () => {
    const r = slipway(['apply', '--repo', repo.dir, '--app', 'apps', '--auto-approve', ...target]);
    expect(r.status, show(r)).toBe(0);
    expect(r.stderr).toMatch(/━━ env-dev \(1 of 4\)[\s\S]*━━ helm-guestbook \(4 of 4\)/);
    expect(r.stderr).not.toMatch(/Application\.argoproj\.io|ApplicationSet|AppProject/);
    // The guestbook child's run: its namespace, its PreSync hook, its objects, its PostSync hook; both hooks deleted as they succeeded.
    const guestbook = r.stderr.slice(r.stderr.indexOf('━━ guestbook ('), r.stderr.indexOf('━━ helm-guestbook ('));
    const steps = guestbook.split('\n').filter((l) => l.startsWith('[step')).map((l) => l.replace(/^\[step \d+\] /, ''));
    expect(steps, show(r)).toEqual(['wave 0 · upsert · namespaces · 1 object', 'PreSync hooks · wave 0 · workloads · 1 hook', 'wave 0 · upsert · services · 1 object', 'wave 0 · upsert · workloads · 1 object', 'PostSync hooks · wave 0 · workloads · 1 hook']);
    expect(guestbook).toMatch(new RegExp(`✓ Job.batch ${prefix}guestbook/upgrade-sql-schema-[0-9a-f]{7}-presync-\\d+ healthy`));
    expect(guestbook).toContain(`✓ Job.batch ${prefix}guestbook/slack-notification healthy`);
    expect(kubectl(['get', 'jobs', '-n', `${prefix}guestbook`, '-o', 'name'])).toBe('');
    expect(kubectl(['get', 'deployment', 'guestbook-ui', '-n', `${prefix}guestbook`, '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    expect(kubectl(['get', 'deployment', 'helm-guestbook', '-n', `${prefix}helm-guestbook`, '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
    expect(kubectl(['get', 'configmap', 'env', '-n', `${prefix}env-prod`, '-o', 'jsonpath={.data.env}'])).toBe('prod');
    const history = openHistory({ path: historyFile });
    try {
      const runs = history.runsOfContext({ context: 'slipway-admin', limit: 20 }).items.filter((run) => run.repo === repo.dir);
      expect(runs.map((run) => [run.app.name, run.status]).sort()).toEqual(CHILDREN.map((c) => [c, 'succeeded']));
    } finally {
      history.close();
    }
    const again = slipway(['plan', '--repo', repo.dir, '--app', 'apps', '--detailed-exitcode', ...target]);
    expect(again.status, show(again)).toBe(0);
    expect(again.stdout).toMatch(/apps: no changes\n {2}└ env-dev: no changes\n {2}└ env-prod: no changes\n {2}└ guestbook: no changes\n {2}└ helm-guestbook: no changes/);
  });

  it('apply refuses the whole set when a child plan has errors, and names the child', () => {
    const broken = createTestRepo({ prefix: 'slipway-aoa-broken-' });
    repos.push(broken);
    broken.write({ ...appOfAppsFiles(prefix), 'envs/prod/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [not, a, map]\n' });
    broken.commit('a child that does not render');
    const r = slipway(['apply', '--repo', broken.dir, '--app', 'apps', '--auto-approve', ...target]);
    expect(r.status, show(r)).toBe(1);
    expect(r.stderr).toMatch(/the plan of child app env-prod \(of apps\) has errors: nothing was applied/);
    expect(r.stderr).not.toMatch(/━━ env-dev/);
  });
});

describe('an app of apps picked as a folder (no root Application in the repository)', () => {
  it('lists the folder with its children and plans them with --path', () => {
    const folder = createTestRepo({ prefix: 'slipway-aoa-folder-' });
    repos.push(folder);
    const files: Record<string, string> = appOfAppsFiles(prefix);
    delete files['bootstrap/apps.yaml'];
    folder.write(files);
    folder.commit('the chart alone, as argocd app create apps --path apps would use it');
    const apps = slipway(['apps', '--repo', folder.dir]);
    expect(apps.status, show(apps)).toBe(0);
    expect(apps.stdout).toMatch(/^apps\s+helm\s+apps\s+-\s+-\s+--path apps\n└ env-dev\s/m);
    const r = slipway(['plan', '--repo', folder.dir, '--path', 'apps', ...target]);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toMatch(/App of apps: apps and 4 child apps/);
  });
});
