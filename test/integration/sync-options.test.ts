/**
 * Argo CD's sync options against the real cluster, through the CLI as users run it, on a
 * repository laid out as Argo CD's examples are (one folder of manifests): Prune=false survives a
 * prune (the plan says kept, and why), Prune=confirm is refused until confirmed, Replace=true
 * sends the whole object (an update: same uid, fields others set are gone), Force=true with
 * Replace=true deletes and creates (a new uid), IgnoreExtraneous keeps a left-behind object out of
 * the prune-is-off warning, Validate=false lets an unknown field through, a misspelled option is a
 * warning naming file:line, SkipDryRunOnMissingResource=true plans an unserved kind as a create.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { slipwayCli, showRun, type CliRun } from '../support/slipway-cli.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const NS = `so-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-so-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const repos: TestRepo[] = [];

const slipway = slipwayCli({ tmp, tools });
type Run = CliRun;
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--path', 'apps', '-n', NS];
const plan = (repo: TestRepo, ...more: string[]): Run => slipway(['plan', '--repo', repo.dir, ...target, ...more]);
const apply = (repo: TestRepo, ...more: string[]): Run => slipway(['apply', '--repo', repo.dir, ...target, '--auto-approve', ...more]);
const show = showRun;
/** "delete ConfigMap ns/name [flags]" headers of a text plan, one per change. */
const headers = (r: Run): string[] => r.stdout.split('\n').filter((l) => /^\s*(\+|~|-|-\/\+|!) (create|update|delete|replace|error) [A-Z]/.test(l)).map((l) => l.trim());

interface Live {
  metadata: { uid: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  [k: string]: unknown;
}
const get = (name: string): Live | undefined => {
  const r = kubectl.result(['get', 'configmap', name, '-n', NS, '-o', 'json']);
  return r.status === 0 ? (JSON.parse(r.stdout) as Live) : undefined;
};

const cm = (name: string, opts: { sync?: string; compare?: string; data?: Record<string, string>; extra?: Record<string, unknown> } = {}): object => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name,
    ...((opts.sync ?? opts.compare) !== undefined && {
      annotations: { ...(opts.sync !== undefined && { 'argocd.argoproj.io/sync-options': opts.sync }), ...(opts.compare !== undefined && { 'argocd.argoproj.io/compare-options': opts.compare }) },
    }),
  },
  data: opts.data ?? { owner: name },
  ...opts.extra,
});
const yaml = (...docs: object[]): string => docs.map((d) => stringify(d)).join('---\n');

beforeAll(() => {
  kubectl(['create', 'namespace', NS]);
});

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), ...repos.map((r) => () => r.cleanup()), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('sync options on objects', () => {
  let repo: TestRepo;
  const uids: Record<string, string> = {};
  const stays = [cm('replaced', { sync: 'Replace=true', data: { v: '2' } }), cm('forced', { sync: 'Force=true,Replace=true' }), cm('loose', { sync: 'Validate=false', extra: { bogus: 'field' } })];

  beforeAll(() => {
    repo = createTestRepo({ prefix: 'slipway-so-' });
    repos.push(repo);
    repo.write({
      'apps/objects.yaml': yaml(
        cm('keep', { sync: 'Prune=false' }),
        cm('extra', { compare: 'IgnoreExtraneous' }),
        cm('asks', { sync: 'Prune=confirm' }),
        cm('plain'),
        cm('replaced', { sync: 'Replace=true', data: { v: '1' } }),
        cm('forced', { sync: 'Force=true,Replace=true' }),
        cm('loose', { sync: 'Validate=false', extra: { bogus: 'field' } }),
        cm('typo', { sync: 'Prnue=false' }),
      ),
    });
    repo.commit('v1');
  });

  it('applies: Validate=false lets an unknown field through (the server drops it); a misspelled option is a warning naming file:line', () => {
    const first = apply(repo, '--prune');
    expect(first.status, show(first)).toBe(0);
    // The object's line: the first of its document (after the "---" before it).
    const lines = readFileSync(join(repo.dir, 'apps/objects.yaml'), 'utf8').split('\n');
    const line = lines.slice(0, lines.findIndex((l) => l.includes('Prnue=false'))).lastIndexOf('---') + 2;
    expect(first.stdout, show(first)).toContain(`apps/objects.yaml:${line}:1: warning: annotation argocd.argoproj.io/sync-options: unknown option "Prnue=false" (did you mean "Prune=false"?): Argo CD compares options exactly, so it does nothing (ConfigMap ${NS}/typo)`);
    expect(first.stdout).toMatch(/create ConfigMap \S+\/loose[\s\S]*?sync options: Validate=false/);
    const loose = get('loose');
    expect(loose?.data).toEqual({ owner: 'loose' });
    expect(loose?.bogus).toBeUndefined();
    for (const name of ['replaced', 'forced']) uids[name] = get(name)!.metadata.uid;
  });

  it('without Validate=false the same unknown field is an error of the plan', () => {
    const strict = createTestRepo({ prefix: 'slipway-so-strict-' });
    repos.push(strict);
    strict.write({ 'apps/objects.yaml': yaml(cm('strict', { extra: { bogus: 'field' } })) });
    strict.commit('strict');
    const r = plan(strict);
    expect(r.status, show(r)).toBe(1);
    expect(r.stdout, show(r)).toMatch(/error ConfigMap \S+\/strict[\s\S]*bogus/);
  });

  it('with prune off: Prune=false is listed as kept, IgnoreExtraneous is not reported as left behind, the others are', () => {
    kubectl(['label', 'configmap', 'replaced', '-n', NS, 'added-by=kubectl']);
    repo.write({ 'apps/objects.yaml': yaml(...stays) });
    repo.commit('v2: keep, extra, asks, plain and typo removed; replaced changed');
    const r = plan(repo);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout, show(r)).toContain(`Kept, although no longer in the revision:\n  = keep ConfigMap ${NS}/keep: not pruned: it asks to be kept (argocd.argoproj.io/sync-options: Prune=false)`);
    expect(r.stdout).toMatch(new RegExp(`warning: 3 objects are no longer in the revision but stay because prune is off for app apps \\(turn it on with --prune, or prune: true in slipway.yaml\\): ConfigMap ${NS}/asks, ConfigMap ${NS}/plain, ConfigMap ${NS}/typo`));
    expect(r.stdout).toContain(`info: 1 object is no longer in the revision and stays (prune is off) without counting as left behind: it carries compare-options IgnoreExtraneous: ConfigMap ${NS}/extra`);
  });

  it('with prune on: Prune=false stays out of the deletes, Prune=confirm is flagged, Replace=true is an update and Replace=true,Force=true a replace', () => {
    const r = plan(repo, '--prune');
    expect(r.status, show(r)).toBe(0);
    expect(headers(r).sort(), show(r)).toEqual(
      [
        `- delete ConfigMap ${NS}/asks [needs confirmation]`,
        `- delete ConfigMap ${NS}/extra`,
        `- delete ConfigMap ${NS}/plain`,
        `- delete ConfigMap ${NS}/typo`,
        `-/+ replace ConfigMap ${NS}/forced [dangerous]`,
        `~ update ConfigMap ${NS}/replaced`,
      ].sort(),
    );
    expect(r.stdout).toContain('Replace=true: sent whole (an update, as kubectl replace): fields Git does not set are removed, even those others set');
    expect(r.stdout).toMatch(/-\s+added-by: kubectl/);
    expect(r.stdout).toContain('it carries compare-options IgnoreExtraneous, which in Argo CD only keeps the app Synced and does not stop a prune (add Prune=false to keep it)');
    expect(r.stdout).toContain(`= keep ConfigMap ${NS}/keep`);
  });

  it('apply refuses the delete that asks for a confirmation until --confirm-prune, then keeps Prune=false, replaces whole, and recreates the forced one', () => {
    const refused = apply(repo, '--prune');
    expect(refused.status, show(refused)).toBe(1);
    expect(refused.stderr, show(refused)).toContain(`1 object asks for a confirmation before it is deleted (Argo CD sync option Prune=confirm or Delete=confirm): ConfigMap ${NS}/asks; nothing was applied`);
    expect(refused.stderr).toContain('--confirm-prune');
    expect(get('plain'), 'nothing was applied').toBeDefined();

    const done = apply(repo, '--prune', '--confirm-prune');
    expect(done.status, show(done)).toBe(0);
    expect(['keep', 'extra', 'asks', 'plain', 'typo'].map((n) => [n, get(n) !== undefined])).toEqual([
      ['keep', true],
      ['extra', false],
      ['asks', false],
      ['plain', false],
      ['typo', false],
    ]);
    const replaced = get('replaced')!;
    expect(replaced.metadata.uid, 'Replace=true updates in place, as kubectl replace').toBe(uids.replaced);
    expect(replaced.data).toEqual({ v: '2' });
    expect(replaced.metadata.labels?.['added-by'], 'the whole object was sent: a label only kubectl set is gone').toBeUndefined();
    expect(get('forced')!.metadata.uid, 'Force=true,Replace=true deletes and creates').not.toBe(uids.forced);
  });

  it('re-plans with the kept object still listed as kept and the forced one replaced again, as Argo CD does on every sync', () => {
    const r = plan(repo, '--prune');
    expect(r.status, show(r)).toBe(0);
    expect(headers(r), show(r)).toEqual([`-/+ replace ConfigMap ${NS}/forced [dangerous]`]);
    expect(r.stdout).toContain(`= keep ConfigMap ${NS}/keep`);
  });
});

describe('SkipDryRunOnMissingResource', () => {
  it('plans a kind the cluster does not serve as a create with a note, instead of an error', () => {
    const repo = createTestRepo({ prefix: 'slipway-so-skip-' });
    repos.push(repo);
    const widget = (name: string, sync?: string): object => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, ...(sync && { annotations: { 'argocd.argoproj.io/sync-options': sync } }) }, spec: { size: 1 } });
    repo.write({ 'apps/widget.yaml': yaml(widget('skipped', 'SkipDryRunOnMissingResource=true')) });
    repo.commit('skip');
    const r = plan(repo);
    expect(r.status, show(r)).toBe(0);
    expect(r.stdout, show(r)).toMatch(/\+ create Widget\.example\.com \S+\/skipped[\s\S]*not dry-run: the cluster does not serve example.com\/v1 Widget yet[\s\S]*SkipDryRunOnMissingResource=true/);
    repo.write({ 'apps/widget.yaml': yaml(widget('checked')) });
    repo.commit('no skip');
    const strict = plan(repo);
    expect(strict.status, show(strict)).toBe(1);
    expect(strict.stdout).toContain('the cluster does not serve example.com/v1 Widget');
  });
});

describe('sync options of a whole app (slipway.yaml), and the namespace it creates', () => {
  const made = `${NS}-made`;
  const appTarget = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db'), '--app', 'meta'];
  const config = (): string =>
    stringify({
      apiVersion: 'slipway.dev/v1alpha1',
      kind: 'Config',
      apps: [
        {
          name: 'meta',
          path: 'apps',
          destination: { namespace: made },
          options: { prune: true, createNamespace: true, managedNamespaceMetadata: { labels: { team: 'shop' }, annotations: { owner: 'shop-team' } }, syncOptions: ['Prune=false', 'Replace=ture'] },
        },
      ],
    });
  afterAll(() => kubectl(['delete', 'namespace', made, '--ignore-not-found', '--wait=false']));

  it('creates the namespace with managedNamespaceMetadata, warns at slipway.yaml:line, and keeps what the app says not to prune', () => {
    const repo = createTestRepo({ prefix: 'slipway-so-app-' });
    repos.push(repo);
    repo.write({ 'slipway.yaml': config(), 'apps/cms.yaml': yaml(cm('a'), cm('b')) });
    repo.commit('app');
    const first = slipway(['apply', '--repo', repo.dir, ...appTarget, '--auto-approve']);
    expect(first.status, show(first)).toBe(0);
    const line = readFileSync(join(repo.dir, 'slipway.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('Replace=ture')) + 1;
    expect(first.stdout, show(first)).toMatch(new RegExp(`slipway\\.yaml:${line}:\\d+: warning: apps\\[0\\]\\.options\\.syncOptions\\[1\\]: unknown option "Replace=ture" \\(did you mean "Replace=true"\\?\\)`));
    const ns = JSON.parse(kubectl(['get', 'namespace', made, '-o', 'json'])) as Live;
    expect([ns.metadata.labels?.team, ns.metadata.annotations?.owner]).toEqual(['shop', 'shop-team']);

    repo.write({ 'apps/cms.yaml': yaml(cm('a')) });
    repo.commit('b removed');
    const again = slipway(['plan', '--repo', repo.dir, ...appTarget, '--detailed-exitcode']);
    expect(again.status, show(again)).toBe(0);
    expect(again.stdout).toContain(`= keep ConfigMap ${made}/b: not pruned: it asks to be kept (the app's syncOptions: Prune=false)`);
  });
});
