/** Which run a failed apply offers to roll back to, and which it reverts (table-driven). */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../core/api/contract.js';
import { recoveryOf } from './recovery.js';
import { RUNS } from './testing/fixtures.js';

const base = RUNS.runs[0]!;
/** A run of the fixtures' app on staging, newest first by its number. */
const run = (n: number, extra: Partial<RunSummary> = {}): RunSummary => ({ ...base, id: `run-${n}`, commit: `${n}`.padStart(40, 'c'), startedAt: `2026-11-${String(n).padStart(2, '0')}T10:00:00.000Z`, ...extra });

describe('recoveryOf', () => {
  it.each<[string, RunSummary[], string | undefined, string | undefined]>([
    ['the newest good run before this one', [run(9, { status: 'failed' }), run(8, { status: 'progressing' }), run(7)], 'run-9', 'run-8'],
    ['runs after this one do not count', [run(10), run(9, { status: 'failed' }), run(7)], 'run-9', 'run-7'],
    ['failed, cancelled and refused runs are passed over', [run(9, { status: 'failed' }), run(8, { status: 'failed' }), run(7, { status: 'cancelled' }), run(6, { status: 'refused' }), run(5)], 'run-9', 'run-5'],
    ['a rollback that succeeded is a good state; a revert is not (its commit is the run it undid)', [run(9, { status: 'failed' }), run(8, { kind: 'revert' }), run(7, { kind: 'rollback' })], 'run-9', 'run-7'],
    ['the working copy cannot be rolled back to', [run(9, { status: 'failed' }), run(8, { commit: ':working' }), run(7)], 'run-9', 'run-7'],
    ['another app, repository or context is not this app', [run(9, { status: 'failed' }), run(8, { app: { name: 'api', path: 'apps/api' } }), run(7, { repo: '/elsewhere' }), run(6, { cluster: { ...base.cluster, context: 'prod' } })], 'run-9', undefined],
    ['the first run of the app failed: only a revert', [run(9, { status: 'failed' })], 'run-9', undefined],
  ])('%s', (_case, runs, current, lastGood) => {
    const found = recoveryOf(runs, 'run-9');
    expect([found.run?.id, found.lastGood?.id]).toEqual([current, lastGood]);
  });

  it('a run history does not list: nothing to offer', () => {
    expect(recoveryOf([run(8), run(7)], 'run-9')).toEqual({});
  });
});
