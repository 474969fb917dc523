/**
 * Why this change through the CLI against the real cluster (issue 19, part 3): an app applied
 * with `slipway apply` (the history records the commit), then two commits by two other authors
 * that change one line each of one file, and a third that touches no source. `slipway plan --why`
 * lists, under the changed object only, the commits since the applied one with their authors and
 * the after-side line each last changed — in the text and in the JSON; --why-since takes another
 * base; without the history it lists each object's last commits and says so. A plan saved with
 * them applies as any plan, and the next plan lists only what was committed since.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { slipwayCli, showRun } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = `why-it-${suffix}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-why-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const history = join(tmp, 'history.db');
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--path', 'app', '-n', NS, '--create-namespace'];
let repo: TestRepo;
const c: Record<'applied' | 'greeting' | 'color' | 'readme', string> = { applied: '', greeting: '', color: '', readme: '' };

const web = (greeting: string, color: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: ${greeting}\n  color: ${color}\n`;
const api = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  port: "8080"\n';

interface PlanJson {
  changes: { key: { kind: string; name: string }; action: string; after?: string; why?: { oid: string; author: string; date: string; subject: string; files: string[]; lines?: number[] }[] }[];
  diagnostics: { code: string; message: string }[];
}

beforeAll(() => {
  repo = createTestRepo();
  repo.write({ 'app/web.yaml': web('hello', 'blue'), 'app/api.yaml': api, 'README.md': 'shop\n' });
  c.applied = repo.commit('web and api', { author: 'Ada Lovelace <ada@example.com>' });
  const applied = slipway(['apply', '--repo', repo.dir, ...target, '--history', history, '--auto-approve', '--timeout', '60']);
  expect(applied.status, showRun(applied)).toBe(0);
  repo.write({ 'app/web.yaml': web('hi', 'blue') });
  c.greeting = repo.commit('web: say hi', { author: 'Grace Hopper <grace@example.com>' });
  repo.write({ 'app/web.yaml': web('hi', 'green') });
  c.color = repo.commit('web: green', { author: 'Linus Torvalds <linus@example.com>' });
  repo.write({ 'README.md': 'the shop\n' });
  c.readme = repo.commit('README', { author: 'Ada Lovelace <ada@example.com>' });
});

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('slipway plan --why', () => {
  it('JSON: the changed object lists the commits since the last apply, newest first, each with the after-side line it last changed', () => {
    const r = slipway(['plan', '--repo', repo.dir, ...target, '--history', history, '--why', '--json']);
    expect(r.status, showRun(r)).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    const changed = plan.changes.find((ch) => ch.key.name === 'web')!;
    expect(changed.action).toBe('update');
    const after = changed.after ?? '';
    expect(changed.why?.map((w) => [w.oid, w.author, w.subject, w.files, w.lines])).toEqual([
      [c.color, 'Linus Torvalds', 'web: green', ['app/web.yaml'], [lineOf(after, 'color: green')]],
      [c.greeting, 'Grace Hopper', 'web: say hi', ['app/web.yaml'], [lineOf(after, 'greeting: hi')]],
    ]);
    expect(plan.changes.find((ch) => ch.key.name === 'api')?.why).toBeUndefined();
    expect(plan.diagnostics.find((d) => d.code === 'why-base')?.message).toMatch(new RegExp(`^the commits listed are those since the last apply of app to this cluster \\(run \\S+\\) \\(${c.applied.slice(0, 7)}\\)$`));
  });

  it('text: under the change, before its diff, one line per commit (short oid, date, author, subject, file, lines)', () => {
    const r = slipway(['plan', '--repo', repo.dir, ...target, '--history', history, '--why']);
    expect(r.status, showRun(r)).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf(`update ConfigMap ${NS}/web`));
    const why = block.slice(block.indexOf('Why:'), block.indexOf('@@')).trimEnd().split('\n');
    expect(why).toHaveLength(3);
    expect(why[0]).toBe('Why: the commits that changed its sources');
    expect(why[1]).toMatch(new RegExp(`^ {8}${c.color.slice(0, 7)} 2026-\\d\\d-\\d\\d Linus Torvalds: web: green \\(app/web\\.yaml; line \\d+ of the after side\\)$`));
    expect(why[2]).toMatch(new RegExp(`^ {8}${c.greeting.slice(0, 7)} 2026-\\d\\d-\\d\\d Grace Hopper: web: say hi \\(app/web\\.yaml; line \\d+ of the after side\\)$`));
    expect(r.stdout).not.toContain('README');
  });

  it('--why-since: the commits since another revision', () => {
    const r = slipway(['plan', '--repo', repo.dir, ...target, '--history', history, '--why-since', c.greeting, '--json']);
    expect(r.status, showRun(r)).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.changes.find((ch) => ch.key.name === 'web')?.why?.map((w) => w.oid)).toEqual([c.color]);
  });

  it('without the history: each object\'s last commits, saying why', () => {
    const r = slipway(['plan', '--repo', repo.dir, ...target, '--no-history', '--why', '--json']);
    expect(r.status, showRun(r)).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.changes.find((ch) => ch.key.name === 'web')?.why?.map((w) => w.oid)).toEqual([c.color, c.greeting, c.applied]);
    expect(plan.diagnostics.find((d) => d.code === 'why-no-base')?.message).toBe('the history was not read: each change lists the last 20 commits that touched its sources');
  });

  it('without --why: no commits are listed', () => {
    const r = slipway(['plan', '--repo', repo.dir, ...target, '--history', history, '--json']);
    expect(r.status, showRun(r)).toBe(0);
    const plan = JSON.parse(r.stdout) as PlanJson;
    expect(plan.changes.some((ch) => ch.why)).toBe(false);
    expect(plan.diagnostics.some((d) => d.code.startsWith('why-'))).toBe(false);
  });

  it('a plan saved with them is the same data (its id covers them): apply takes it, and the next plan has nothing to explain', () => {
    const file = join(tmp, 'why.plan.json');
    const saved = slipway(['plan', '--repo', repo.dir, ...target, '--history', history, '--why', '--out', file]);
    expect(saved.status, showRun(saved)).toBe(0);
    const applied = slipway(['apply', file, '--kubeconfig', kubeconfigPath, '--history', history, '--auto-approve', '--timeout', '60']);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(kubectl(['get', 'configmap', 'web', '-n', NS, '-o', 'jsonpath={.data.color}'])).toBe('green');
    const again = slipway(['plan', '--repo', repo.dir, ...target, '--history', history, '--why', '--json']);
    expect(again.status, showRun(again)).toBe(0);
    const plan = JSON.parse(again.stdout) as PlanJson;
    expect(plan.changes.filter((ch) => ch.action !== 'noop')).toEqual([]);
    expect(plan.diagnostics.filter((d) => d.code.startsWith('why-'))).toEqual([]);
    // The base is now the commit just applied: a new commit is all a new change lists.
    repo.write({ 'app/web.yaml': web('hi', 'red') });
    const red = repo.commit('web: red', { author: 'Ada Lovelace <ada@example.com>' });
    const next = slipway(['plan', '--repo', repo.dir, ...target, '--history', history, '--why', '--json']);
    expect(next.status, showRun(next)).toBe(0);
    const redPlan = JSON.parse(next.stdout) as PlanJson;
    expect(redPlan.changes.find((ch) => ch.key.name === 'web')?.why?.map((w) => [w.oid, w.author])).toEqual([[red, 'Ada Lovelace']]);
    expect(redPlan.diagnostics.find((d) => d.code === 'why-base')?.message).toContain(`(${c.readme.slice(0, 7)})`);
  });
});
