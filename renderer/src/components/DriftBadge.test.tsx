/**
 * The drift badge with its stream (useDrift) and the notifications (useNotifications) against the
 * in-memory host: a drift stream per app and context (stopped when the choice changes and on
 * unmount), the badge from its answer and events, "Plan to fix drift", "Reconnecting…"; a
 * notification once per new set of drifted objects, none when switched off, one when a watch has
 * been reconnecting for a while, and one for an apply of this window that ended in the background.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DriftReportInfo, EngineEvent, Plan } from '../../../core/api/contract.js';
import { HostContext, useHost } from '../host.js';
import type { LiveTarget } from '../liveTarget.js';
import type { NotificationSettings } from '../notifications.js';
import { driftedObject, driftReport } from '../testing/drift.js';
import { SHOP_PLAN } from '../testing/fixtures.js';
import { testHost, type TestHost } from '../testing/host.js';
import { useDrift } from '../workspace/useDrift.js';
import { useNotifications } from '../workspace/useNotifications.js';
import { DriftBadge } from './DriftBadge.js';

const TARGET: LiveTarget = { repoId: 'repo-1', rev: 'main', app: { app: 'shop' }, context: 'kind-dev' };
const ALL: NotificationSettings = { drift: true, applyFinished: true, unreachable: true };
const web = driftedObject('Deployment', 'web', 'drifted', ['spec.replicas']);
const db = driftedObject('Secret', 'db', 'drifted', ['data.password']);
const fine = driftedObject('Service', 'web', 'in-sync');

function Harness(props: { target: LiveTarget | null; settings?: NotificationSettings; planOf?: (runId: string) => Plan | undefined; onPlanFix?: () => void }): React.JSX.Element {
  const host = useHost();
  const drift = useDrift(host, props.target);
  useNotifications(host, drift, props.planOf ?? (() => undefined), props.settings ?? ALL);
  return <DriftBadge state={drift} planning={false} onPlanFix={props.onPlanFix ?? (() => undefined)} />;
}

function setup(first: DriftReportInfo = driftReport([fine])) {
  const host = testHost({ watchDrift: (r) => ({ streamId: r.streamId, report: first }), stopDrift: () => ({ stopped: true }) });
  const ui = (props: Parameters<typeof Harness>[0]) => (
    <HostContext.Provider value={host}>
      <Harness {...props} />
    </HostContext.Provider>
  );
  return { host, ui };
}

const streamOf = (host: TestHost, i = 0): string => host.requests('watchDrift')[i]!.streamId;
const send = (host: TestHost, event: EngineEvent): void => act(() => host.emit(event));

/** The Notification API with the permission granted, recording what is shown. */
let shown: Array<{ title: string; body: string }>;
beforeEach(() => {
  shown = [];
  const FakeNotification = function (this: unknown, title: string, opts: { body: string }) {
    shown.push({ title, body: opts.body });
  } as unknown as typeof Notification;
  vi.stubGlobal('Notification', Object.assign(FakeNotification, { permission: 'granted', requestPermission: async () => 'granted' }));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the drift badge', () => {
  it('watches the chosen app on the chosen context, shows its drift with the fields, offers the fix, and stops with the workspace', async () => {
    const { host, ui } = setup();
    const onPlanFix = vi.fn();
    const { unmount } = render(ui({ target: TARGET, onPlanFix }));
    await waitFor(() => expect(screen.getByTestId('drift-badge').textContent).toBe('In sync'));
    expect(host.requests('watchDrift')).toEqual([{ streamId: expect.stringMatching(/^drift-/), repoId: 'repo-1', rev: 'main', app: 'shop', context: 'kind-dev' }]);
    expect(screen.queryByTestId('plan-fix-drift')).toBeNull();

    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([web, db, fine]) });
    const badge = screen.getByTestId('drift-badge');
    expect(badge.textContent).toBe('Drift: 2 objects');
    expect(badge.className).toContain('tone-drift');
    expect(badge.getAttribute('title')).toBe('Deployment shop/web: spec.replicas\nSecret shop/db: data.password');
    // Another stream's events are not this badge's.
    send(host, { type: 'drift', streamId: 'drift-other', report: driftReport([fine]) });
    expect(screen.getByTestId('drift-badge').textContent).toBe('Drift: 2 objects');
    fireEvent.click(screen.getByTestId('plan-fix-drift'));
    expect(onPlanFix).toHaveBeenCalledTimes(1);

    unmount();
    await waitFor(() => expect(host.requests('stopDrift')).toEqual([{ streamId: streamOf(host) }]));
  });

  it('says reconnecting while a watch has lost the cluster, and not applied for an app never applied there', async () => {
    const { host, ui } = setup(driftReport([], { state: 'not-applied', message: 'the history has no apply of shop to the cluster of context kind-dev' }));
    render(ui({ target: TARGET }));
    await waitFor(() => expect(screen.getByTestId('drift-badge').textContent).toBe('Not applied here'));
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([web], { phases: ['synced', 'reconnecting'] }) });
    expect(screen.getByTestId('drift-reconnecting').textContent).toBe('Reconnecting…');
    expect(screen.getByTestId('drift-reconnecting').getAttribute('title')).toBe('connect ECONNREFUSED 127.0.0.1:6443');
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([web], { phases: ['synced', 'synced'] }) });
    expect(screen.queryByTestId('drift-reconnecting')).toBeNull();
  });

  it('starts a new stream for another context and stops the old one', async () => {
    const { host, ui } = setup();
    const { rerender } = render(ui({ target: TARGET }));
    await waitFor(() => expect(host.requests('watchDrift')).toHaveLength(1));
    rerender(ui({ target: { ...TARGET } }));
    rerender(ui({ target: { ...TARGET, context: 'prod' } }));
    await waitFor(() => expect(host.requests('watchDrift')).toHaveLength(2));
    expect(host.requests('watchDrift')[1]!.context).toBe('prod');
    await waitFor(() => expect(host.requests('stopDrift')).toEqual([{ streamId: streamOf(host, 0) }]));
    rerender(ui({ target: null }));
    await waitFor(() => expect(host.requests('stopDrift')).toHaveLength(2));
    expect(screen.queryByTestId('drift-badge')).toBeNull();
  });
});

describe('notifications', () => {
  it('tells drift once per new set of drifted objects, naming the app, context, objects and fields', async () => {
    const { host, ui } = setup();
    render(ui({ target: TARGET }));
    await waitFor(() => expect(screen.getByTestId('drift-badge').textContent).toBe('In sync'));
    expect(shown).toEqual([]);
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([web, fine]) });
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([web, fine]) });
    expect(shown).toEqual([{ title: 'Drift in shop on kind-dev', body: 'Deployment shop/web: spec.replicas' }]);
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([web, db]) });
    expect(shown).toHaveLength(2);
    expect(shown[1]!.body).toBe('Deployment shop/web: spec.replicas\nSecret shop/db: data.password');
  });

  it('tells nothing of drift when switched off', async () => {
    const { host, ui } = setup();
    render(ui({ target: TARGET, settings: { ...ALL, drift: false } }));
    await waitFor(() => expect(host.requests('watchDrift')).toHaveLength(1));
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([web]) });
    expect(screen.getByTestId('drift-badge').textContent).toBe('Drift: 1 object');
    expect(shown).toEqual([]);
  });

  it('tells a cluster unreachable once a watch has been reconnecting for a while, and when it is back', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { host, ui } = setup();
    render(ui({ target: TARGET }));
    await waitFor(() => expect(screen.getByTestId('drift-badge').textContent).toBe('In sync'));
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([fine], { phases: ['reconnecting'] }) });
    await act(() => vi.advanceTimersByTimeAsync(4000));
    expect(shown).toEqual([]);
    await act(() => vi.advanceTimersByTimeAsync(1500));
    expect(shown).toEqual([{ title: 'Cluster unreachable: kind-dev', body: 'Slipway lost its watches of shop on kind-dev and keeps reconnecting: connect ECONNREFUSED 127.0.0.1:6443' }]);
    send(host, { type: 'drift', streamId: streamOf(host), report: driftReport([fine], { phases: ['synced'] }) });
    expect(shown.at(-1)).toEqual({ title: 'Cluster reachable again: kind-dev', body: 'The watches of shop on kind-dev are back; drift is checked again.' });
  });

  it('tells an apply of this window that ended while the window was in the background, and not one in front of it', async () => {
    const { host, ui } = setup();
    const plan: Plan = { ...SHOP_PLAN, inputs: { ...SHOP_PLAN.inputs, cluster: { ...SHOP_PLAN.inputs.cluster!, context: 'kind-dev' } } };
    render(ui({ target: null, planOf: (runId) => (runId === 'run-0003' ? plan : undefined) }));
    const focus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    send(host, { type: 'apply-finished', runId: 'run-0003', status: 'succeeded', elapsedMs: 1000 });
    expect(shown).toEqual([]);
    focus.mockReturnValue(false);
    send(host, { type: 'apply-finished', runId: 'run-0003', status: 'failed', elapsedMs: 1000 });
    send(host, { type: 'apply-finished', runId: 'run-0099', status: 'failed', elapsedMs: 1000 });
    expect(shown).toEqual([{ title: `Apply of ${plan.inputs.app.name} to kind-dev failed`, body: `The apply of ${plan.inputs.app.name} to kind-dev failed.` }]);
  });
});
