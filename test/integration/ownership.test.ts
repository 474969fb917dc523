/**
 * Ownership and namespaces against the real cluster, through the CLI as users run it: two
 * repositories whose apps share a name keep their objects; a repository copied from the same
 * template is refused, named, then adopted with --adopt; Slipway 0.1's shared ApplySet is
 * upgraded in place (and one holding another app's objects is left alone); Helm's namespace comes
 * from the selected kubeconfig and context; rollbacks go back into the run's namespace;
 * --create-namespace creates a namespace it never prunes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openHistory } from '../../core/history/history.js';
import { APPLYSET_PART_OF_LABEL, ORIGIN_ANNOTATIONS } from '../../core/model/applyset.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const root = new URL('../..', import.meta.url).pathname;
const sfx = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = { parents: `own-p-${sfx}`, a: `own-a-${sfx}`, b: `own-b-${sfx}`, t: `own-t-${sfx}`, legacy: `own-l-${sfx}`, helm: `own-h-${sfx}`, rollback: `own-r-${sfx}`, made: `own-n-${sfx}` };
const tmp = mkdtempSync(join(tmpdir(), 'slipway-own-it-'));
const historyFile = join(tmp, 'history.db');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const repos: TestRepo[] = [];
const clones: string[] = [];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with the test cluster's kubeconfig, this file's history, and helm and kustomize on PATH. */
function slipway(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), NO_COLOR: '1', PATH: [dirname(tools.helm), dirname(tools.kustomize), process.env.PATH ?? ''].join(delimiter), ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', historyFile];
const plan = (repo: string, ...more: string[]): Run => slipway(['plan', '--repo', repo, ...target, ...more]);
const apply = (repo: string, ...more: string[]): Run => slipway(['apply', '--repo', repo, ...target, '--auto-approve', ...more]);
const show = (r: Run): string => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
/** "- delete ConfigMap ns/name" lines of a text plan. */
const deletes = (r: Run): string[] => r.stdout.split('\n').filter((l) => /^\s+- delete /.test(l)).map((l) => l.trim().replace(/ \[.*$/, ''));
const exists = (kind: string, name: string, ns?: string): boolean => kubectl.result(['get', kind, name, ...(ns ? ['-n', ns] : [])]).status === 0;
const jsonOf = (kind: string, name: string, ns: string): { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }; data?: Record<string, string> } =>
  JSON.parse(kubectl(['get', kind, name, '-n', ns, '-o', 'json']));

const yaml = (...docs: object[]): string => docs.map((d) => stringify(d)).join('---\n');
const ns = (name: string): object => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (name: string, namespace?: string, data: Record<string, string> = { owner: name }): object => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace && { namespace }) }, data });

function repoWith(files: Record<string, string>, message = 'first'): TestRepo {
  const repo = createTestRepo({ prefix: 'slipway-own-' });
  repos.push(repo);
  repo.write(files);
  repo.commit(message);
  return repo;
}

/** A clone of `from` with one more commit: a repository made from a template shares its first commit. */
function cloneWithCommit(from: TestRepo, files: Record<string, string>, message: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-own-clone-'));
  clones.push(dir);
  const git = (...args: string[]): string => execFileSync('git', ['-C', dir, '-c', 'user.name=Grace', '-c', 'user.email=grace@example.com', ...args], { encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '-q', from.dir, dir]);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return dir;
}

beforeAll(() => {
  for (const name of [NS.parents, NS.legacy, NS.helm, NS.rollback]) kubectl(['create', 'namespace', name]);
});

afterAll(async () => {
  await cleanUp([
    ...Object.values(NS).map((name) => () => kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=false'])),
    ...repos.map((r) => () => r.cleanup()),
    ...clones.map((dir) => () => rmSync(dir, { recursive: true, force: true })),
    () => rmSync(tmp, { recursive: true, force: true }),
  ]);
});

describe('two repositories with an app of the same name', () => {
  let a: TestRepo;
  let b: TestRepo;
  beforeAll(() => {
    a = repoWith({ 'apps/objects.yaml': yaml(ns(NS.a), cm('cm-a', NS.a), cm('keep-a', NS.a)) });
    b = repoWith({ 'apps/objects.yaml': yaml(ns(NS.b), cm('cm-b', NS.b)) });
  });

  it('apply each with prune, each keeps its own objects, and each has its own ApplySet', () => {
    const first = apply(a.dir, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(first.status, show(first)).toBe(0);
    const second = apply(b.dir, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(second.status, show(second)).toBe(0);
    expect(deletes(second), show(second)).toEqual([]);
    expect([exists('namespace', NS.a), exists('configmap', 'cm-a', NS.a), exists('configmap', 'keep-a', NS.a)]).toEqual([true, true, true]);
    const parents = kubectl(['get', 'secrets', '-n', NS.parents, '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').sort();
    expect(parents).toEqual([expect.stringMatching(/^slipway-apps-[0-9a-f]{10}$/), expect.stringMatching(/^slipway-apps-[0-9a-f]{10}$/)]);
    expect(parents[0]).not.toBe(parents[1]);
    // Each parent says whose it is.
    const origins = parents.map((p) => jsonOf('secret', p, NS.parents).metadata.annotations?.[ORIGIN_ANNOTATIONS.repository]).sort();
    expect(origins).toEqual([a.dir, b.dir].sort());
    // The objects are in another namespace than the parent: the parent lists it, as kubectl's does.
    const spans = parents.map((p) => jsonOf('secret', p, NS.parents).metadata.annotations?.['applyset.kubernetes.io/additional-namespaces']).sort();
    expect(spans).toEqual([NS.a, NS.b].sort());
  });

  it('re-plans both to no changes; without prune nothing of the other app shows as "no longer in the revision"', () => {
    const again = plan(a.dir, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(again.stdout, show(again)).toMatch(/No changes\. The cluster matches the revision\./);
    const other = plan(b.dir, '--path', 'apps', '-n', NS.parents);
    expect(other.stdout, show(other)).not.toMatch(/no longer in the revision/);
    expect(other.stdout).not.toMatch(/cm-a|keep-a/);
  });

  it('prunes only its own object, and says which ApplySet it comes from', () => {
    a.write({ 'apps/objects.yaml': yaml(ns(NS.a), cm('cm-a', NS.a)) });
    a.commit('drop keep-a');
    const p = plan(a.dir, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(deletes(p), show(p)).toEqual([`- delete ConfigMap ${NS.a}/keep-a`]);
    expect(p.stdout).toMatch(new RegExp(`no longer in the revision: pruned from this app's ApplySet Secret/${NS.parents}/slipway-apps-[0-9a-f]{10} \\(app apps \\(apps\\) of repository ${a.dir}`));
    const done = apply(a.dir, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(done.status, show(done)).toBe(0);
    expect([exists('configmap', 'keep-a', NS.a), exists('configmap', 'cm-a', NS.a), exists('configmap', 'cm-b', NS.b)]).toEqual([false, true, true]);
  });
});

describe('a repository copied from the same template (same first commit, same app)', () => {
  let one: string;
  let two: string;
  beforeAll(() => {
    const template = repoWith({ 'apps/objects.yaml': yaml(ns(NS.t), cm('from-template', NS.t)) }, 'template');
    one = cloneWithCommit(template, { 'apps/one.yaml': yaml(cm('only-in-one', NS.t)) }, 'one: its own object');
    two = cloneWithCommit(template, { 'apps/two.yaml': yaml(cm('only-in-two', NS.t)) }, 'two: its own object');
    const applied = apply(one, '--path', 'apps', '-n', NS.parents, '--prune');
    if (applied.status !== 0) throw new Error(show(applied));
  });

  it('refuses to delete anything of the set the other copy applied, and names it', () => {
    const p = plan(two, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(p.status, show(p)).toBe(1);
    expect(deletes(p)).toEqual([]);
    expect(p.stdout).toMatch(/is not this app's: it was last applied from commit [0-9a-f]{12}, which this clone does not have/);
    expect(p.stdout).toContain(`of repository ${one}`);
    expect(p.stdout).toMatch(/plan again with --adopt/);
    const refused = apply(two, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(refused.status, show(refused)).toBe(1);
    expect(refused.stderr).toMatch(/nothing was applied/);
    expect(exists('configmap', 'only-in-one', NS.t)).toBe(true);
  });

  it('takes the set over with --adopt: the plan shows where the deletes come from, the apply says it adopts', () => {
    const p = plan(two, '--path', 'apps', '-n', NS.parents, '--prune', '--adopt');
    expect(p.status, show(p)).toBe(0);
    expect(deletes(p)).toEqual([`- delete ConfigMap ${NS.t}/only-in-one`]);
    expect(p.stdout).toMatch(/adopted with --adopt from app apps \(apps\) of repository /);
    const done = apply(two, '--path', 'apps', '-n', NS.parents, '--prune', '--adopt');
    expect(done.status, show(done)).toBe(0);
    expect(done.stderr).toMatch(/This plan takes over the ApplySet Secret\/.*\(--adopt\)/);
    expect([exists('configmap', 'only-in-one', NS.t), exists('configmap', 'only-in-two', NS.t), exists('configmap', 'from-template', NS.t)]).toEqual([false, true, true]);
    // Now the first copy is the stranger.
    const back = plan(one, '--path', 'apps', '-n', NS.parents, '--prune');
    expect(back.status, show(back)).toBe(1);
    expect(back.stdout).toContain(`of repository ${two}`);
  });

  it('refuses --adopt with a saved plan: the flag changes what is planned', () => {
    const file = join(tmp, 'saved.json');
    expect(plan(two, '--path', 'apps', '-n', NS.parents, '--out', file).status).toBe(0);
    const r = slipway(['apply', file, ...target, '--auto-approve', '--adopt']);
    expect(r.status, show(r)).toBe(1);
    expect(r.stderr).toMatch(/--adopt changes what is planned: a saved plan is applied exactly as it was made/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("an ApplySet made by Slipway 0.1 (`slipway-<app>`, shared by every app of that name)", () => {
  it('is taken over in place when all its members are this app\'s, then removed', () => {
    const legacy = repoWith({ 'legacy/objects.yaml': yaml(cm('l1', NS.legacy), cm('l2', NS.legacy)) });
    kubectl(['apply', '--server-side', '--field-manager=slipway', '--applyset=slipway-legacy', '--prune', '-n', NS.legacy, '-f', join(legacy.dir, 'legacy')]);
    const oldId = jsonOf('secret', 'slipway-legacy', NS.legacy).metadata.labels?.['applyset.kubernetes.io/id'];

    const p = plan(legacy.dir, '--path', 'legacy', '-n', NS.legacy, '--prune');
    expect(p.status, show(p)).toBe(0);
    expect(deletes(p)).toEqual([]);
    expect(p.stdout).toContain(`moves into this app's ApplySet from Secret/${NS.legacy}/slipway-legacy, which this app takes over`);
    const done = apply(legacy.dir, '--path', 'legacy', '-n', NS.legacy, '--prune');
    expect(done.status, show(done)).toBe(0);
    expect(exists('secret', 'slipway-legacy', NS.legacy)).toBe(false);
    const label = jsonOf('configmap', 'l1', NS.legacy).metadata.labels?.[APPLYSET_PART_OF_LABEL];
    expect(label).toMatch(/^applyset-/);
    expect(label).not.toBe(oldId);
    const again = plan(legacy.dir, '--path', 'legacy', '-n', NS.legacy, '--prune');
    expect(again.stdout, show(again)).toMatch(/No changes\./);
  });

  it("is left alone when it holds objects this app never applied, and the plan says so", () => {
    const foreign = join(tmp, 'foreign');
    execFileSync('mkdir', ['-p', foreign]);
    writeFileSync(join(foreign, 'cm.yaml'), yaml(cm('someone-elses', NS.legacy)));
    kubectl(['apply', '--server-side', '--field-manager=slipway', '--applyset=slipway-shared', '--prune', '-n', NS.legacy, '-f', foreign]);
    const mine = repoWith({ 'shared/objects.yaml': yaml(cm('mine', NS.legacy)) });
    const p = plan(mine.dir, '--path', 'shared', '-n', NS.legacy, '--prune');
    expect(p.status, show(p)).toBe(0);
    expect(deletes(p)).toEqual([]);
    expect(p.stdout).toMatch(new RegExp(`1 object is in Secret/${NS.legacy}/slipway-shared, the ApplySet an earlier Slipway version shared among all apps named shared, and this app did not apply it .*ConfigMap ${NS.legacy}/someone-elses\\. They are left alone; if they are this app's, plan again with --adopt`));
    const done = apply(mine.dir, '--path', 'shared', '-n', NS.legacy, '--prune');
    expect(done.status, show(done)).toBe(0);
    expect([exists('configmap', 'someone-elses', NS.legacy), exists('secret', 'slipway-shared', NS.legacy)]).toEqual([true, true]);
  });
});

describe('namespaces come from the selected kubeconfig and context', () => {
  /** A copy of the test kubeconfig whose context slipway-admin has `namespace`. */
  const kubeconfigWithNamespace = (namespace: string): string => {
    const doc = parse(readFileSync(kubeconfigPath, 'utf8')) as { contexts: { name: string; context: { namespace?: string } }[] };
    for (const c of doc.contexts) if (c.name === 'slipway-admin') c.context.namespace = namespace;
    const file = join(tmp, `kubeconfig-${namespace}.yaml`);
    writeFileSync(file, stringify(doc), { mode: 0o600 });
    return file;
  };

  it("renders a chart into the selected context's namespace, whatever $KUBECONFIG's current context says", () => {
    const chart = repoWith({
      'chart/Chart.yaml': 'apiVersion: v2\nname: where\nversion: 0.1.0\n',
      'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: where\ndata:\n  releaseNamespace: {{ .Release.Namespace }}\n',
    });
    const selected = kubeconfigWithNamespace(NS.helm);
    const elsewhere = kubeconfigWithNamespace('default');
    const r = slipway(['plan', '--repo', chart.dir, '--path', 'chart', '--context', 'slipway-admin', '--kubeconfig', selected, '--history', historyFile], { KUBECONFIG: elsewhere });
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toContain(`+ create ConfigMap ${NS.helm}/where`);
    expect(r.stdout).toContain(`releaseNamespace: ${NS.helm}`);
    expect(r.stdout).not.toMatch(/default\/where|releaseNamespace: default/);
  });

  it("rolls a folder app back into the namespace of the run, not the kubeconfig's", () => {
    const gb = repoWith({ 'guestbook/cm.yaml': yaml(cm('guestbook', undefined, { version: 'v1' })) }, 'v1');
    gb.tag('v1');
    expect(apply(gb.dir, '--path', 'guestbook', '-n', NS.rollback).status).toBe(0);
    const history = openHistory({ path: historyFile });
    const [first] = history.runsOfContext({ context: 'slipway-admin', limit: 1 }).items;
    history.close();
    gb.write({ 'guestbook/cm.yaml': yaml(cm('guestbook', undefined, { version: 'v2' })) });
    gb.commit('v2');
    gb.tag('v2');
    expect(apply(gb.dir, '--path', 'guestbook', '-n', NS.rollback).status).toBe(0);
    expect(jsonOf('configmap', 'guestbook', NS.rollback).data).toEqual({ version: 'v2' });

    // The kubeconfig now points at another namespace: the rollback still goes to the run's.
    const r = slipway(['rollback', '--to', first!.id, '--context', 'slipway-admin', '--kubeconfig', kubeconfigWithNamespace('default'), '--history', historyFile, '--auto-approve']);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout).toContain(`~ update ConfigMap ${NS.rollback}/guestbook`);
    expect(r.stdout).not.toMatch(/^\s+\+ create /m);
    expect(jsonOf('configmap', 'guestbook', NS.rollback).data).toEqual({ version: 'v1' });
    expect(exists('configmap', 'guestbook', 'default')).toBe(false);

    // A rollback to a revision: planned, applied, and recorded as a rollback to the run that applied that commit.
    const toRevision = slipway(['rollback', '--to', 'v2', '--repo', gb.dir, '--path', 'guestbook', '-n', NS.rollback, ...target, '--auto-approve']);
    expect(toRevision.status, show(toRevision)).toBe(0);
    expect(jsonOf('configmap', 'guestbook', NS.rollback).data).toEqual({ version: 'v2' });
    const after = openHistory({ path: historyFile });
    const runs = after.runsOfContext({ context: 'slipway-admin', limit: 3 }).items;
    after.close();
    expect(runs.map((x) => [x.kind, x.status])).toEqual([
      ['rollback', 'succeeded'],
      ['rollback', 'succeeded'],
      ['apply', 'succeeded'],
    ]);
    expect(runs[0]!.rollbackOf).toBe(runs[2]!.id);
  });

  it('creates the namespace with --create-namespace, never owns it, and never prunes it', () => {
    const made = repoWith({ 'made/cm.yaml': yaml(cm('made')) });
    const without = plan(made.dir, '--path', 'made', '-n', NS.made);
    expect(without.status, show(without)).toBe(1);
    expect(without.stdout).toContain(`namespace ${NS.made} does not exist, and this plan does not create it`);
    const p = plan(made.dir, '--path', 'made', '-n', NS.made, '--create-namespace', '--prune');
    expect(p.status, show(p)).toBe(0);
    expect(p.stdout).toContain(`+ create Namespace ${NS.made}`);
    expect(p.stdout).toContain('created because the app asks for its namespace (createNamespace); not owned by the app, so never pruned');
    const done = apply(made.dir, '--path', 'made', '-n', NS.made, '--create-namespace', '--prune');
    expect(done.status, show(done)).toBe(0);
    expect(exists('configmap', 'made', NS.made)).toBe(true);
    expect(JSON.parse(kubectl(['get', 'namespace', NS.made, '-o', 'json'])).metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBeUndefined();
    // The parent lives in the app's namespace, as documented.
    expect(kubectl(['get', 'secrets', '-n', NS.made, '-o', 'jsonpath={.items[*].metadata.name}'])).toMatch(/^slipway-made-[0-9a-f]{10}$/);
    const again = plan(made.dir, '--path', 'made', '-n', NS.made, '--create-namespace', '--prune');
    expect(again.stdout, show(again)).toMatch(/No changes\./);
  });

  it('creates the namespace when slipway.yaml says createNamespace', () => {
    const name = `${NS.made}-cfg`;
    const cfg = repoWith({
      'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: cfg\n    path: app\n    destination: {namespace: ${name}}\n    options: {createNamespace: true}\n`,
      'app/cm.yaml': yaml(cm('cfg')),
    });
    const done = apply(cfg.dir, '--app', 'cfg');
    expect(done.status, show(done)).toBe(0);
    expect(done.stdout).toContain(`+ create Namespace ${name}`);
    expect(exists('configmap', 'cfg', name)).toBe(true);
    kubectl(['delete', 'namespace', name, '--wait=false']);
  });
});
