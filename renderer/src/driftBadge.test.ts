/** What the drift badge says for each state of a drift stream (table). */
import { describe, expect, it } from 'vitest';
import { driftBadge, type DriftBadgeView } from './driftBadge.js';
import { EngineError } from './host.js';
import { driftedObject, driftReport } from './testing/drift.js';
import type { DriftState } from './workspace/useDrift.js';

const web = driftedObject('Deployment', 'web', 'drifted', ['spec.replicas']);
const gone = driftedObject('ConfigMap', 'settings', 'deleted');
const fine = driftedObject('Service', 'web', 'in-sync');
const live = (report: ReturnType<typeof driftReport>, ended?: Extract<DriftState, { status: 'live' }>['ended']): DriftState => ({ status: 'live', report, ...(ended && { ended }) });

describe('driftBadge', () => {
  it.each<[string, DriftState, Partial<DriftBadgeView> | null]>([
    ['no app or context chosen', { status: 'idle' }, null],
    ['starting', { status: 'starting' }, { tone: 'muted', label: 'Checking drift…', fix: false }],
    ['the start failed', { status: 'failed', error: new EngineError({ code: 'app-not-found', message: 'no app shop at HEAD' }) }, { tone: 'muted', label: 'Drift unknown', lines: ['no app shop at HEAD'] }],
    ['two objects drifted', live(driftReport([web, gone, fine])), { tone: 'drift', label: 'Drift: 2 objects', lines: ['Deployment shop/web: spec.replicas', 'ConfigMap shop/settings: deleted'], fix: true, reconnecting: null }],
    ['one object drifted', live(driftReport([web, fine])), { label: 'Drift: 1 object', fix: true }],
    ['in sync', live(driftReport([fine, { ...web, status: 'in-sync', paths: [] }])), { tone: 'ok', label: 'In sync', lines: ['2 objects as last applied'], fix: false }],
    ['watches still connecting', live(driftReport([], { phases: ['connecting'], pending: 3 })), { tone: 'muted', label: 'Checking drift…', lines: ['3 objects not compared yet'] }],
    ['a watch reconnecting, drift found before', live(driftReport([web], { phases: ['synced', 'reconnecting'] })), { tone: 'drift', label: 'Drift: 1 object', reconnecting: 'connect ECONNREFUSED 127.0.0.1:6443' }],
    ['a kind that may not be watched', live(driftReport([fine], { phases: ['forbidden'], pending: 1 })), { tone: 'ok', label: 'In sync', lines: ['1 object as last applied; 1 object not compared', 'Cannot watch ConfigMap in ns0: slipway-readonly may not watch configmaps in namespace ns0'] }],
    ['never applied here', live(driftReport([], { state: 'not-applied', message: 'the history has no apply of shop to the cluster of context kind-dev' })), { tone: 'muted', label: 'Not applied here', lines: ['the history has no apply of shop to the cluster of context kind-dev'], fix: false }],
    ['an apply runs', live(driftReport([], { state: 'applying', phases: [] })), { tone: 'muted', label: 'Applying…' }],
    ['the check failed after an apply', live(driftReport([web]), { reason: 'failed', error: { code: 'app-not-found', message: 'no app shop at HEAD' } }), { tone: 'muted', label: 'Drift unknown', lines: ['no app shop at HEAD'], fix: false }],
    ['stopped by the engine', live(driftReport([web]), { reason: 'stopped' }), { tone: 'drift', lines: ['Deployment shop/web: spec.replicas', 'No longer kept current (too many drift checks open): choose the app again'] }],
  ])('%s', (_what, state, expected) => {
    const view = driftBadge(state);
    if (expected === null) expect(view).toBeNull();
    else expect(view).toMatchObject(expected);
  });
});
