/**
 * The floors of core/ are enforced by `npm run lint` (dependency-cruiser, .dependency-cruiser.cjs):
 * a backwards import between inner floors, an import between two floors of one level, and an
 * import cycle — type-only imports included — each fail; the real core/ passes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration;
const dirs: string[] = [];

/** Violations as "rule: from → to" when core/ holds exactly `files` (path → source). */
async function violations(files: Record<string, string>, baseDir?: string): Promise<string[]> {
  let base = baseDir;
  if (!base) {
    base = mkdtempSync(join(tmpdir(), 'slipway-floors-'));
    dirs.push(base);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(base, path)), { recursive: true });
      writeFileSync(join(base, path), text);
    }
  }
  const result = (await cruise(['core'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir: base })).output as ICruiseResult;
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the floors of core/', () => {
  it.each<[string, Record<string, string>, string[]]>([
    [
      'a backwards import (plan reaching up into history)',
      { 'core/plan/compute.ts': "import { openHistory } from '../history/history.js';\nexport const h = openHistory;\n", 'core/history/history.ts': 'export const openHistory = 1;\n' },
      ['floor-plan: core/plan/compute.ts → core/history/history.ts'],
    ],
    [
      'a type-only backwards import (model reaching up into plan)',
      { 'core/model/resource.ts': "import type { Plan } from '../plan/types.js';\nexport type P = Plan;\n", 'core/plan/types.ts': 'export type Plan = string;\n' },
      ['floor-base: core/model/resource.ts → core/plan/types.ts'],
    ],
    [
      'floors of one level importing each other (git and kube)',
      { 'core/git/a.ts': "import { k } from '../kube/b.js';\nexport const a = k;\n", 'core/kube/b.ts': 'export const k = 1;\n' },
      ['floor-git: core/git/a.ts → core/kube/b.ts'],
    ],
    [
      'a cycle of type-only imports inside one floor',
      { 'core/plan/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\n", 'core/plan/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n" },
      ['no-cycle: core/plan/a.ts → core/plan/b.ts'],
    ],
  ])('fails on %s', async (_what, files, expected) => {
    expect((await violations(files)).sort()).toEqual(expected.sort());
  });

  it.each<[string, Record<string, string>]>([
    ['an import down the floors (apply → plan → model)', { 'core/apply/a.ts': "import { p } from '../plan/p.js';\nexport const a = p;\n", 'core/plan/p.ts': "import { m } from '../model/m.js';\nexport const p = m;\n", 'core/model/m.ts': 'export const m = 1;\n' }],
    ['a test reaching any floor', { 'core/model/m.test.ts': "import { h } from '../history/h.js';\nexport const t = h;\n", 'core/history/h.ts': 'export const h = 1;\n' }],
  ])('allows %s', async (_what, files) => {
    expect(await violations(files)).toEqual([]);
  });

  it('holds for the real core/', async () => {
    expect(await violations({}, root)).toEqual([]);
  });
});
