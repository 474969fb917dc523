import { describe, expect, it } from 'vitest';
import { liveTargetKey, liveTargetOfInputs, liveTargetOfPlan, targetName, watchRequest } from './liveTarget.js';
import type { PlanInputs } from './planInputs.js';
import { COMMITS, plan, REPO } from './testing/fixtures.js';

const inputs = (o: Partial<PlanInputs> = {}): PlanInputs => ({ repoId: REPO.id, rev: 'refs/heads/main', app: { app: 'web' }, context: 'staging', namespace: '', prune: false, createNamespace: false, adopt: false, revLabel: 'main', ...o });

describe('liveTargetOfInputs', () => {
  it.each([
    ['nothing chosen', null, null],
    ['an app', inputs(), { repoId: REPO.id, rev: 'refs/heads/main', app: { app: 'web' }, context: 'staging' }],
    ['a folder and a namespace', inputs({ app: { path: 'apps/web' }, namespace: 'web-test' }), { repoId: REPO.id, rev: 'refs/heads/main', app: { path: 'apps/web' }, context: 'staging', namespace: 'web-test' }],
  ])('%s', (_, i, want) => {
    expect(liveTargetOfInputs(i)).toEqual(want);
  });
});

describe('liveTargetOfPlan', () => {
  it('the app the plan applied, at its commit, on its context, in its namespace', () => {
    expect(liveTargetOfPlan(plan([], { context: 'prod' }), REPO)).toEqual({ repoId: REPO.id, rev: COMMITS.head, app: { app: 'web' }, context: 'prod', namespace: 'shop' });
  });
  it('a folder planned as an app is found by its path', () => {
    expect(liveTargetOfPlan(plan([], { app: { selectedBy: 'path', path: 'apps/web' } }), REPO)?.app).toEqual({ path: 'apps/web' });
  });
  it('none for a plan of another repository', () => {
    expect(liveTargetOfPlan(plan([]), { id: 'repo-2', dir: '/elsewhere' })).toBeNull();
  });
});

describe('liveTargetKey', () => {
  const a = liveTargetOfInputs(inputs())!;
  it.each([
    ['the same choice', liveTargetOfInputs(inputs({ prune: true, revLabel: 'x' })), true],
    ['another context', liveTargetOfInputs(inputs({ context: 'prod' })), false],
    ['another revision', liveTargetOfInputs(inputs({ rev: COMMITS.previous })), false],
    ['a folder of the same name', liveTargetOfInputs(inputs({ app: { path: 'web' } })), false],
    ['a namespace', liveTargetOfInputs(inputs({ namespace: 'shop' })), false],
    ['nothing', null, false],
  ])('%s: same = %s', (_, b, same) => {
    expect(liveTargetKey(a) === liveTargetKey(b)).toBe(same);
  });
});

describe('watchRequest and targetName', () => {
  it.each([
    [inputs(), { streamId: 's1', repoId: REPO.id, rev: 'refs/heads/main', app: 'web', context: 'staging' }, 'web'],
    [inputs({ app: { path: '' }, namespace: 'ns' }), { streamId: 's1', repoId: REPO.id, rev: 'refs/heads/main', path: '', context: 'staging', namespace: 'ns' }, '(the repository root)'],
  ])('%#', (i, request, name) => {
    const t = liveTargetOfInputs(i)!;
    expect(watchRequest(t, 's1')).toEqual(request);
    expect(targetName(t)).toBe(name);
  });
});
