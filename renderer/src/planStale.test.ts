/** When the plan on screen no longer answers the choice, and the banner's words for why. */
import { describe, expect, it } from 'vitest';
import type { PlanInputs, PlanOrigin } from './planInputs.js';
import { staleReason } from './planStale.js';
import { RUNS, SHOP_PLAN } from './testing/fixtures.js';

const inputs: PlanInputs = { repoId: 'repo-1', rev: 'refs/heads/main', app: { app: 'web' }, context: 'staging', namespace: '', prune: true, createNamespace: false, adopt: false, revLabel: 'main' };
const run = RUNS.runs[0]!;
const origin = (kind: PlanOrigin['kind']): PlanOrigin => ({ kind, run });

describe('staleReason', () => {
  it.each<[string, PlanOrigin | undefined, Partial<PlanInputs> | null, string | null]>([
    ['the same choice', undefined, {}, null],
    ['planned adopting: the same choice', undefined, { adopt: true }, null],
    ['an incomplete choice: nothing to compare', undefined, null, null],
    ['another context', undefined, { context: 'prod' }, 'This plan is for context staging; context prod is selected now.'],
    ['another revision', undefined, { rev: 'refs/tags/v1.0.0', revLabel: 'v1.0.0' }, 'This plan is for revision main; revision v1.0.0 is selected now.'],
    ['another app and context', undefined, { app: { app: 'ops' }, context: 'prod' }, 'This plan is for app web and context staging; app ops and context prod are selected now.'],
    ['a folder instead', undefined, { app: { path: '' } }, 'This plan is for app web; folder (the repository root) is selected now.'],
    ['prune turned off', undefined, { prune: false }, 'The plan options (namespace, prune, create namespace) changed since this plan was made.'],
    ['another repository', undefined, { repoId: 'repo-2' }, 'This plan is of another repository.'],
    ['a rollback preview, same context', origin('rollback'), { rev: 'refs/tags/v1.0.0' }, null],
    ['a rollback preview, another context', origin('rollback'), { context: 'prod' }, 'This rollback preview is for context staging; prod is selected now.'],
    ["a revert preview: its run's context whatever is selected", origin('revert'), { context: 'prod' }, null],
    ["a past run's plan: never", origin('run'), { context: 'prod' }, null],
  ])('%s', (_what, o, current, expected) => {
    expect(staleReason({ plan: SHOP_PLAN, inputs, ...(o && { origin: o }) }, current && { ...inputs, ...current })).toBe(expected);
  });
});
