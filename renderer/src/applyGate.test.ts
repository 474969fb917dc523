/** The Apply button's rules, in the order the tooltip names them: one row per situation. */
import { describe, expect, it } from 'vitest';
import type { CanApplyResult } from '../../core/api/contract.js';
import { applyGate, type ApplyGate, type ApplyGateState } from './applyGate.js';
import type { Loadable } from './loadable.js';
import { change, plan, SHOP_PLAN } from './testing/fixtures.js';

const key = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-flags' };
const NOTHING = plan([change('noop', key)]);
const FAILED_CHANGE = plan([change('update', key), change('error', { ...key, name: 'broken' })]);
const ERROR_DIAGNOSTIC = plan([change('update', key)], { diagnostics: [{ severity: 'error', code: 'yaml-syntax', message: 'invalid YAML' }] });
const BROKEN_FILES = plan([], { diagnostics: [{ severity: 'error', code: 'yaml-syntax', message: 'invalid YAML' }, { severity: 'error', code: 'yaml-syntax', message: 'invalid YAML' }] });
const WARNING_ONLY = plan([change('update', key)], { diagnostics: [{ severity: 'warning', code: 'applyset-owned-elsewhere', message: 'recorded by another app' }] });
const APPROXIMATE = plan([change('update', key, { flags: ['approximate'], message: 'approximate: no permission to dry-run (viewer may not patch configmaps)' }), change('create', { ...key, name: 'new' }, { flags: ['approximate'] })]);

const allowed: Loadable<CanApplyResult> = { status: 'ready', value: { user: 'me', missing: [], unchecked: [] } };
const refused = (n: number): Loadable<CanApplyResult> => ({
  status: 'ready',
  value: {
    user: 'viewer',
    missing: [
      { verb: 'create', resource: 'leases.coordination.k8s.io', namespace: 'shop' },
      { verb: 'patch', resource: 'deployments.apps', namespace: 'shop' },
      { verb: 'create', resource: 'namespaces' },
    ].slice(0, n),
    unchecked: [],
  },
});

const ready: ApplyGateState = { plan: SHOP_PLAN, planning: false, stale: false, applying: false, applied: null, access: allowed };
const open = (reason: string): ApplyGate => ({ canApply: true, reason });
const shut = (reason: string): ApplyGate => ({ canApply: false, reason });
const APPLIED = { runId: 'run-0003', status: 'succeeded' };

describe('applyGate', () => {
  it.each<[string, Partial<ApplyGateState>, ApplyGate]>([
    ['a plan with changes', {}, open('Apply exactly this plan to staging')],
    ['only warnings', { plan: WARNING_ONLY }, open('Apply exactly this plan to staging')],
    ['the access review could not tell: not held shut by it', { access: { status: 'failed', error: new Error('timeout') } }, open('Apply exactly this plan to staging')],
    ['no access review asked', { access: { status: 'idle' } }, open('Apply exactly this plan to staging')],
    ['no plan yet', { plan: undefined }, shut('Plan first')],
    ['no plan, while planning', { plan: undefined, planning: true }, shut('Plan first')],
    ['the choice changed', { stale: true }, shut('The choice changed since this plan: plan again')],
    ['already applied', { applied: APPLIED }, shut('Applied in run run-0003 (succeeded): plan again to see what is left')],
    ['applied, still running', { applied: { runId: 'run-0003', status: 'running' } }, shut('Applied in run run-0003 (running): plan again to see what is left')],
    ['stale and applied: stale first', { stale: true, applied: APPLIED }, shut('The choice changed since this plan: plan again')],
    ['nothing but unchanged objects', { plan: NOTHING }, shut('Nothing to apply')],
    ['nothing to apply, already applied', { plan: NOTHING, applied: APPLIED }, shut('Applied in run run-0003 (succeeded): plan again to see what is left')],
    ['a change that failed to plan', { plan: FAILED_CHANGE }, shut('This plan cannot be applied: 1 error')],
    ['an error diagnostic', { plan: ERROR_DIAGNOSTIC }, shut('This plan cannot be applied: 1 error')],
    ['files that do not parse: errors, never "nothing to apply"', { plan: BROKEN_FILES }, shut('This plan cannot be applied: 2 errors')],
    ['one write refused', { access: refused(1) }, shut('Not permitted: viewer may not create leases.coordination.k8s.io in namespace shop, so the apply would fail')],
    ['three refused: two named', { access: refused(3) }, shut('Not permitted: viewer may not create leases.coordination.k8s.io in namespace shop, patch deployments.apps in namespace shop and 1 more, so the apply would fail')],
    ['dry-runs refused in the plan', { plan: APPROXIMATE, access: { status: 'idle' } }, shut('Not permitted: the cluster refused to dry-run 2 changes (no permission), so the apply would fail')],
    ['dry-runs refused, and the review names the rights', { plan: APPROXIMATE, access: refused(2) }, shut('Not permitted: viewer may not create leases.coordination.k8s.io in namespace shop, patch deployments.apps in namespace shop, so the apply would fail')],
    ['errors before rights', { plan: FAILED_CHANGE, access: refused(1) }, shut('This plan cannot be applied: 1 error')],
    ['while the rights are checked', { access: { status: 'loading' } }, shut('Checking your permissions in staging…')],
    ['while the next plan is computed', { planning: true }, shut('Apply exactly this plan to staging')],
    ['while an apply runs', { applying: true }, shut('Apply exactly this plan to staging')],
  ])('%s', (_name, state, expected) => {
    expect(applyGate({ ...ready, ...state })).toEqual(expected);
  });
});
