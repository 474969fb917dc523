/** The Apply button's rules, in the order the tooltip names them: one row per situation. */
import { describe, expect, it } from 'vitest';
import { applyGate, type ApplyGate, type ApplyGateState } from './applyGate.js';
import { change, plan, SHOP_PLAN } from './testing/fixtures.js';

const key = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-flags' };
const NOTHING = plan([change('noop', key)]);
const FAILED_CHANGE = plan([change('update', key), change('error', { ...key, name: 'broken' })]);
const ERROR_DIAGNOSTIC = plan([change('update', key)], { diagnostics: [{ severity: 'error', code: 'yaml-syntax', message: 'invalid YAML' }] });
const WARNING_ONLY = plan([change('update', key)], { diagnostics: [{ severity: 'warning', code: 'applyset-owned-elsewhere', message: 'recorded by another app' }] });

const ready: ApplyGateState = { plan: SHOP_PLAN, planning: false, stale: false, applying: false, applied: false };
const open = (reason: string): ApplyGate => ({ canApply: true, reason });
const shut = (reason: string): ApplyGate => ({ canApply: false, reason });

describe('applyGate', () => {
  it.each<[string, Partial<ApplyGateState>, ApplyGate]>([
    ['a plan with changes', {}, open('Apply exactly this plan to staging')],
    ['only warnings', { plan: WARNING_ONLY }, open('Apply exactly this plan to staging')],
    ['no plan yet', { plan: undefined }, shut('Plan first')],
    ['no plan, while planning', { plan: undefined, planning: true }, shut('Plan first')],
    ['the choice changed', { stale: true }, shut('The choice changed since this plan: plan again')],
    ['already applied', { applied: true }, shut('This plan was applied: plan again to see what is left')],
    ['stale and applied: stale first', { stale: true, applied: true }, shut('The choice changed since this plan: plan again')],
    ['nothing but unchanged objects', { plan: NOTHING }, shut('Nothing to apply')],
    ['nothing to apply, already applied', { plan: NOTHING, applied: true }, shut('This plan was applied: plan again to see what is left')],
    ['a change that failed to plan', { plan: FAILED_CHANGE }, shut('The plan has errors')],
    ['an error diagnostic', { plan: ERROR_DIAGNOSTIC }, shut('The plan has errors')],
    ['while the next plan is computed', { planning: true }, shut('Apply exactly this plan to staging')],
    ['while an apply runs', { applying: true }, shut('Apply exactly this plan to staging')],
  ])('%s', (_name, state, expected) => {
    expect(applyGate({ ...ready, ...state })).toEqual(expected);
  });
});
