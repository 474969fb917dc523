/**
 * Why this change through the built CLI, without a cluster: `slipway diff --from <base> --to HEAD
 * --why` lists under each difference the commits since the compare base that changed its
 * sources, with authors, and for plain YAML the lines of the after side each last changed — in
 * the text, the JSON and the Markdown comment (the pull-request recipe); the unchanged object
 * gets none; without --why nothing is listed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-cli-why-'));

function slipway(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { cwd, encoding: 'utf8', env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const config = (o: { level: string; color: string }): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\ndata:\n  LOG_LEVEL: ${o.level}\n  COLOR: ${o.color}\n`;
const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n  namespace: shop\ndata:\n  PORT: "8080"\n';

interface Json {
  changes: { key: { name: string }; action: string; after?: string; why?: { oid: string; author: string; subject: string; files: string[]; lines?: number[] }[] }[];
  diagnostics: { code: string; message: string }[];
}

let repo: TestRepo;
const c: Record<string, string> = {};
beforeAll(() => {
  repo = createTestRepo({ prefix: 'slipway-cli-why-' });
  repo.write({ 'deploy/web/web.yaml': config({ level: 'info', color: 'blue' }), 'deploy/web/api.yaml': other });
  c.base = repo.commit('web and api', { author: 'Ada Lovelace <ada@example.com>' });
  repo.tag('v1');
  repo.write({ 'deploy/web/web.yaml': config({ level: 'debug', color: 'blue' }) });
  c.level = repo.commit('web: debug logs', { author: 'Grace Hopper <grace@example.com>' });
  repo.write({ 'deploy/web/web.yaml': config({ level: 'debug', color: 'green' }) });
  c.color = repo.commit('web: green', { author: 'Linus Torvalds <linus@example.com>' });
});
afterAll(() => {
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('slipway diff --why', () => {
  it('JSON: the commits since --from behind the changed object, newest first, each with the after-side line it last changed', () => {
    const r = slipway(repo.dir, 'diff', '--path', 'deploy/web', '--from', 'v1', '--to', 'HEAD', '--why', '--json');
    expect(r.status, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Json;
    const web = plan.changes.find((ch) => ch.key.name === 'web')!;
    expect(web.why?.map((w) => [w.oid, w.author, w.subject, w.files, w.lines])).toEqual([
      [c.color, 'Linus Torvalds', 'web: green', ['deploy/web/web.yaml'], [lineOf(web.after!, 'COLOR: green')]],
      [c.level, 'Grace Hopper', 'web: debug logs', ['deploy/web/web.yaml'], [lineOf(web.after!, 'LOG_LEVEL: debug')]],
    ]);
    expect(plan.diagnostics.find((d) => d.code === 'why-base')?.message).toBe(`the commits listed are those since --from v1 (${c.base!.slice(0, 7)})`);
  });

  it('text and Markdown: one line per commit under the object', () => {
    const text = slipway(repo.dir, 'diff', '--path', 'deploy/web', '--from', 'v1', '--why');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`Why: the commits that changed its sources\\n {8}${c.color!.slice(0, 7)} \\d{4}-\\d\\d-\\d\\d Linus Torvalds: web: green \\(deploy/web/web\\.yaml; line \\d+ of the after side\\)\\n {8}${c.level!.slice(0, 7)} `));
    const md = slipway(repo.dir, 'diff', '--path', 'deploy/web', '--from', 'v1', '--why', '--format', 'markdown');
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toContain('**Why:** the commits that changed its sources');
    expect(md.stdout).toMatch(new RegExp(`- \`${c.level!.slice(0, 7)}\` web: debug logs — Grace Hopper, \\d{4}-\\d\\d-\\d\\d \\(\`deploy/web/web\\.yaml\`; line \\d+\\)`));
  });

  it('without --why: nothing listed', () => {
    const r = slipway(repo.dir, 'diff', '--path', 'deploy/web', '--from', 'v1', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Json).changes.some((ch) => ch.why)).toBe(false);
  });
});
