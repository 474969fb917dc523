import { describe, expect, it } from 'vitest';
import type { Plan, RevisionList } from '../../core/api/contract.js';
import { appliedTarget, revisionAt, type PreviewRun } from './appliedRevision.js';
import { RUNS, SHOP_PLAN } from './testing/fixtures.js';

const GOOD = 'a'.repeat(40);
const BAD = 'b'.repeat(40);
const planOf = (mode: Plan['inputs']['mode'], commit: string, app: Partial<Plan['inputs']['app']> = {}): Plan => ({ ...SHOP_PLAN, inputs: { ...SHOP_PLAN.inputs, mode, commit, app: { ...SHOP_PLAN.inputs.app, ...app } } });
const run = (before?: string): PreviewRun => ({ ...RUNS.runs[0]!, commit: BAD, ...(before && { before: { runId: 'run-0001', commit: before } }) });

describe('appliedTarget', () => {
  it.each<[string, Plan, PreviewRun | undefined, ReturnType<typeof appliedTarget>]>([
    ["a rollback: its commit, and the run's app", planOf({ kind: 'rollback', to: 'run-0001' }, GOOD), run(), { commit: GOOD, app: { app: SHOP_PLAN.inputs.app.name } }],
    ['a rollback of a folder app: the folder', planOf({ kind: 'rollback', to: 'run-0001' }, GOOD, { selectedBy: 'path', path: 'apps/shop' }), run(), { commit: GOOD, app: { path: 'apps/shop' } }],
    ['a revert: the commit of the run before the one reverted', planOf({ kind: 'revert', of: 'run-0002' }, BAD), run(GOOD), { commit: GOOD, app: { app: SHOP_PLAN.inputs.app.name } }],
    ['a revert of a first apply: nothing to show', planOf({ kind: 'revert', of: 'run-0002' }, BAD), run(), null],
    ['a revert back to the working copy: nothing to pick', planOf({ kind: 'revert', of: 'run-0002' }, BAD), run(':working'), null],
    ['a plain plan: the pickers made it', planOf({ kind: 'normal' }, GOOD), undefined, null],
  ])('%s', (_name, plan, from, target) => {
    expect(appliedTarget(plan, from)).toEqual(target);
  });
});

describe('revisionAt', () => {
  const list: RevisionList = {
    branches: [{ kind: 'branch', name: 'main', fullName: 'refs/heads/main', oid: BAD, current: true }],
    remoteBranches: [],
    tags: [{ kind: 'tag', name: 'v1.1.0', fullName: 'refs/tags/v1.1.0', oid: GOOD }],
    workingCopy: null,
    commits: [
      { oid: BAD, shortOid: 'bbbbbbb', subject: 'storefront: bad release', author: { name: 'a', email: 'a@x' }, date: '2026-01-01T00:00:00Z', refs: ['main'] },
      { oid: 'c'.repeat(40), shortOid: 'ccccccc', subject: 'storefront: scale up', author: { name: 'a', email: 'a@x' }, date: '2026-01-01T00:00:00Z', refs: [] },
    ],
  };
  it.each([
    ['a tag at the commit', GOOD, undefined, { rev: 'refs/tags/v1.1.0', kind: 'tag', label: 'v1.1.0', oid: GOOD }],
    ['a listed commit (never the branch, which moves)', BAD, undefined, { rev: BAD, kind: 'commit', label: 'bbbbbbb storefront: bad release', oid: BAD }],
    ['an older commit, named by the engine', 'd'.repeat(40), 'storefront: first (ddddddd)', { rev: 'd'.repeat(40), kind: 'commit', label: 'storefront: first (ddddddd)', oid: 'd'.repeat(40) }],
    ['an older commit, unnamed', 'd'.repeat(40), undefined, { rev: 'd'.repeat(40), kind: 'commit', label: 'ddddddd', oid: 'd'.repeat(40) }],
  ])('%s', (_name, commit, label, picked) => {
    expect(revisionAt(list, commit, label)).toEqual(picked);
  });
});
