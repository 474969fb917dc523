import { describe, expect, it } from 'vitest';
import type { LiveTreeResult, LiveTreeWatchState } from '../../core/api/contract.js';
import { countsText, gapTexts, watchLabel, watchSummary } from './liveStatus.js';

describe('countsText', () => {
  it.each<[LiveTreeResult['counts'], string]>([
    [{ healthy: 0, progressing: 0, degraded: 0, missing: 0, unknown: 0 }, 'no objects'],
    [{ healthy: 1, progressing: 0, degraded: 0, missing: 0, unknown: 0 }, '1 object: 1 healthy'],
    [{ healthy: 6, progressing: 2, degraded: 1, missing: 1, unknown: 0 }, '10 objects: 6 healthy · 2 progressing · 1 degraded · 1 missing'],
    [{ healthy: 1200, progressing: 0, degraded: 0, missing: 0, unknown: 3 }, '1,203 objects: 1,200 healthy · 3 unknown'],
  ])('%j → %s', (counts, text) => {
    expect(countsText(counts)).toBe(text);
  });
});

describe('watchLabel', () => {
  it.each([
    ['apps/v1/deployments@shop', 'deployments.apps in shop'],
    ['v1/pods@shop', 'pods in shop'],
    ['v1/namespaces@*', 'namespaces'],
    ['discovery.k8s.io/v1/endpointslices@web', 'endpointslices.discovery.k8s.io in web'],
  ])('%s → %s', (key, label) => {
    expect(watchLabel(key)).toBe(label);
  });
});

describe('watchSummary', () => {
  const w = (key: string, phase: LiveTreeWatchState['phase'], reason?: string): LiveTreeWatchState => ({ key, phase, ...(reason && { reason }) });
  it.each<[string, LiveTreeWatchState[], { reconnecting: string[]; forbidden: string[]; synced: boolean }]>([
    ['none yet', [], { reconnecting: [], forbidden: [], synced: false }],
    ['connecting', [w('v1/pods@shop', 'connecting'), w('apps/v1/deployments@shop', 'synced')], { reconnecting: [], forbidden: [], synced: false }],
    ['all synced, one forbidden', [w('v1/pods@shop', 'forbidden', 'pods is forbidden'), w('apps/v1/deployments@shop', 'synced')], { reconnecting: [], forbidden: ['v1/pods@shop'], synced: true }],
    ['one reconnecting', [w('v1/pods@shop', 'reconnecting', 'connection refused'), w('apps/v1/deployments@shop', 'synced')], { reconnecting: ['v1/pods@shop'], forbidden: [], synced: false }],
  ])('%s', (_, watches, want) => {
    const s = watchSummary(watches);
    expect({ reconnecting: s.reconnecting.map((x) => x.key), forbidden: s.forbidden.map((x) => x.key), synced: s.synced }).toEqual(want);
  });
});

describe('gapTexts', () => {
  it("says which of the app's members and Events could not be read, and leaves a node's children to the tree", () => {
    expect(
      gapTexts([
        { group: 'apps', kind: 'Deployment', namespace: 'shop', of: 'members', message: 'deployments.apps is forbidden' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', of: 'members', message: 'forbidden' },
        { group: '', kind: 'Pod', namespace: 'shop', of: 'children', message: 'pods is forbidden' },
        { group: '', kind: 'Event', namespace: 'shop', of: 'events', message: 'events is forbidden' },
      ]),
    ).toEqual({
      members: ["cannot list the app's Deployments in shop: deployments.apps is forbidden", "cannot list the app's ClusterRoles: forbidden"],
      events: ['cannot list Events in shop: events is forbidden'],
    });
  });
});
