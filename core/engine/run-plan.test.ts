import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testPlan } from '../../test/support/history-fixtures.js';
import { openHistory, type History } from '../history/history.js';
import type { Plan } from '../plan/types.js';
import { planOfRun } from './run-plan.js';

let dir: string;
let history: History;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-run-plan-'));
  history = openHistory({ path: join(dir, 'history.db') });
});
afterEach(() => {
  history.close();
  rmSync(dir, { recursive: true, force: true });
});

const user = { kube: 'me' };

describe('planOfRun', () => {
  it('gives back the plan a run applied, as recorded', () => {
    const plan = testPlan();
    const runId = history.startRun({ plan, kind: 'apply', user });
    expect(planOfRun(history, runId)).toEqual(plan);
  });

  it('names an unknown run', () => {
    expect(() => planOfRun(history, 'run-nope')).toThrow(/no run run-nope/);
  });

  it('refuses a plan of an earlier format, saying so', () => {
    const old = { ...testPlan({ id: 'plan-old' }), formatVersion: 2 } as unknown as Plan;
    const runId = history.startRun({ plan: old, kind: 'apply', user });
    expect(() => planOfRun(history, runId)).toThrow(`run ${runId} was planned by an earlier Slipway (plan format 2; this one shows format 5)`);
  });

  it('shows a plan of format 4 as one without findings', () => {
    const { findings: _none, ...rest } = testPlan({ id: 'plan-four' });
    const runId = history.startRun({ plan: { ...rest, formatVersion: 4 } as unknown as Plan, kind: 'apply', user });
    expect(planOfRun(history, runId)).toMatchObject({ formatVersion: 5, findings: [] });
  });
});
