/**
 * A running apply as the engine reports it: steps (wave × phase), each object's state and health
 * message, what still waits for its turn, Cancel, and the final state.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { engineEventSchema, type EngineEvent, type ResourceKey } from '../../../core/api/contract.js';
import { RUNS, SHOP_PLAN } from '../testing/fixtures.js';
import { EngineError } from '../host.js';
import { renderWithHost, testHost } from '../testing/host.js';
import { ApplyProgressView } from './ApplyProgressView.js';
import { RevisionLabelsProvider, useRevisionLabelSource } from './CommitLabel.js';

const RUN = 'run-0003';
const k = (kind: string, name: string, namespace?: string, group = ''): ResourceKey => ({ group, version: 'v1', kind, name, ...(namespace && { namespace }) });
const NS = k('Namespace', 'shop');
const SVC = k('Service', 'api', 'billing');
const CM = k('ConfigMap', 'web-config', 'shop');
const DEPLOY = k('Deployment', 'web', 'shop', 'apps');
const SECRET = k('Secret', 'old-token', 'shop');

/** Events as the engine sends them, each checked with the contract's schema. */
const ev = (e: EngineEvent): EngineEvent => engineEventSchema.parse(e);

const START: EngineEvent[] = [
  ev({ type: 'apply-started', runId: RUN, steps: 3, changes: 6 }),
  ev({ type: 'apply-step', runId: RUN, step: 0, syncPhase: 'Sync', wave: -1, phase: 'upsert', group: 'namespaces', count: 1 }),
  ev({ type: 'apply-object', runId: RUN, step: 0, key: NS, state: 'applying' }),
];
const MIDDLE: EngineEvent[] = [
  ev({ type: 'apply-object', runId: RUN, step: 0, key: NS, state: 'healthy' }),
  ev({ type: 'apply-step', runId: RUN, step: 1, syncPhase: 'Sync', wave: 0, phase: 'upsert', group: 'config', count: 4 }),
  ev({ type: 'apply-object', runId: RUN, step: 1, key: SVC, state: 'applied' }),
  ev({ type: 'apply-object', runId: RUN, step: 1, key: CM, state: 'healthy' }),
  ev({ type: 'apply-object', runId: RUN, step: 1, key: DEPLOY, state: 'waiting', message: '1 of 3 replicas available' }),
  // Another run's events never show here.
  ev({ type: 'apply-object', runId: 'run-other', step: 1, key: k('ConfigMap', 'elsewhere', 'x'), state: 'failed' }),
];
const END: EngineEvent[] = [
  ev({ type: 'apply-object', runId: RUN, step: 1, key: SVC, state: 'healthy' }),
  ev({ type: 'apply-object', runId: RUN, step: 1, key: DEPLOY, state: 'healthy', message: '3 of 3 replicas available' }),
  ev({ type: 'apply-step', runId: RUN, step: 2, syncPhase: 'Sync', wave: 0, phase: 'delete', group: 'config', count: 1 }),
  ev({ type: 'apply-object', runId: RUN, step: 2, key: SECRET, state: 'deleted' }),
  ev({ type: 'apply-message', runId: RUN, text: 'pruned 1 object of the ApplySet' }),
  ev({ type: 'apply-finished', runId: RUN, status: 'succeeded', elapsedMs: 12_345 }),
];

function view(events: readonly EngineEvent[], host = testHost()) {
  const onClose = vi.fn();
  const onShowHistory = vi.fn();
  const onPreview = vi.fn();
  const ui = (e: readonly EngineEvent[]) => <ApplyProgressView runId={RUN} plan={SHOP_PLAN} events={e} startedAt={Date.now()} onClose={onClose} onShowHistory={onShowHistory} onPreview={onPreview} watchIntervalMs={5} />;
  const r = renderWithHost(ui(events), host);
  return { host, onClose, onShowHistory, onPreview, rerender: (e: readonly EngineEvent[]) => r.rerender(ui(e)), unmount: () => r.unmount(), user: userEvent.setup() };
}

/** Steps as "Sync · wave -1 · namespaces | Step 1 · apply · 1 object: Namespace shop=healthy" (hooks: "…=healthy (hook)"). */
function steps(): string[] {
  return screen.queryAllByTestId('apply-step').map((s) => {
    const head = `${within(s).getByTestId('step-phase').textContent ?? ''} | ${s.querySelector('.step-count')?.textContent ?? ''}`;
    const objects = within(s)
      .queryAllByTestId('apply-object')
      .map((o) => `${o.dataset.key}=${o.dataset.state}${within(o).queryByTestId('hook-pill') ? ' (hook)' : ''}`);
    return `${head}: ${objects.join(', ')}`;
  });
}

const waiting = (): string[] => [...document.querySelectorAll('.step.pending .object-name')].map((e) => e.textContent ?? '');

describe('ApplyProgressView', () => {
  it('before the first event: starting, everything waiting for its turn, Cancel offered', () => {
    view([]);
    expect(screen.getByTestId('apply-status').textContent).toBe('Starting…');
    expect(steps()).toEqual([]);
    expect(waiting()).toEqual(['Namespace shop', 'Service billing/api', 'ConfigMap shop/web-config', 'ConfigMap shop/web-flags', 'Deployment shop/web', 'Secret shop/old-token']);
    expect(screen.getByTestId('cancel-apply')).toBeTruthy();
  });

  it('folds the events into steps and object states as they arrive, then shows the result', () => {
    const v = view(START);
    expect(screen.getByTestId('apply-status').textContent).toBe('Applying…');
    expect(steps()).toEqual(['Sync · wave -1 · namespaces | Step 1 · apply · 1 object: Namespace shop=applying']);
    expect(screen.getByText('0 of 6 changes done · 3 steps')).toBeTruthy();

    v.rerender([...START, ...MIDDLE]);
    expect(steps()).toEqual([
      'Sync · wave -1 · namespaces | Step 1 · apply · 1 object: Namespace shop=healthy',
      'Sync · wave 0 · config | Step 2 · apply · 4 objects: Service billing/api=applied, ConfigMap shop/web-config=healthy, Deployment shop/web=waiting',
    ]);
    expect(screen.getByText('1 of 3 replicas available')).toBeTruthy();
    expect(screen.getByText('2 of 6 changes done · 3 steps')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('2');
    expect(waiting()).toEqual(['ConfigMap shop/web-flags', 'Secret shop/old-token']);
    expect(screen.queryByText('ConfigMap x/elsewhere')).toBeNull();

    v.rerender([...START, ...MIDDLE, ...END]);
    expect(screen.getByTestId('apply-progress').dataset.status).toBe('succeeded');
    expect(screen.getByTestId('apply-status').textContent).toBe('Applied successfully');
    expect(steps()[2]).toBe('Sync · wave 0 · config | Step 3 · delete · 1 object: Secret shop/old-token=deleted');
    expect(screen.getByTestId('apply-result').textContent).toBe('5 of 6 changes applied and healthy in 12.3 s.');
    expect(screen.getByTestId('apply-elapsed').textContent).toBe('12.3 s');
    expect(screen.getByText('pruned 1 object of the ApplySet')).toBeTruthy();
    expect(waiting()).toEqual([]);
    expect(screen.queryByTestId('cancel-apply')).toBeNull();
    expect(screen.getByTestId('close-progress')).toBeTruthy();
  });

  it('shows why an apply failed', () => {
    view([
      ...START,
      ev({ type: 'apply-object', runId: RUN, step: 0, key: NS, state: 'failed', message: 'namespaces "shop" is forbidden: User "me" cannot create resource "namespaces"' }),
      ev({ type: 'apply-finished', runId: RUN, status: 'failed', error: 'Namespace shop: forbidden (create namespaces)', elapsedMs: 800 }),
    ]);
    expect(screen.getByTestId('apply-status').textContent).toBe('The apply failed');
    expect(screen.getByTestId('apply-error').textContent).toBe('Namespace shop: forbidden (create namespaces)');
    expect(steps()).toEqual(['Sync · wave -1 · namespaces | Step 1 · apply · 1 object: Namespace shop=failed']);
    expect(screen.getByText(/User "me" cannot create resource "namespaces"/)).toBeTruthy();
  });

  describe('hooks: each step says its sync phase', () => {
    const MIGRATE = k('Job', 'migrate-a1b2c3d-presync-1764000000', 'shop', 'batch');
    const NOTIFY = k('Job', 'notify', 'shop', 'batch');
    const CLEANUP = k('Job', 'cleanup-a1b2c3d-syncfail-1764000009', 'shop', 'batch');
    const PRESYNC: EngineEvent[] = [
      ev({ type: 'apply-started', runId: RUN, steps: 3, changes: 1 }),
      ev({ type: 'apply-step', runId: RUN, step: 0, syncPhase: 'PreSync', wave: 0, phase: 'upsert', group: 'workloads', hooks: true, count: 1 }),
      ev({ type: 'apply-object', runId: RUN, step: 0, key: MIGRATE, state: 'healthy', message: 'Job completed' }),
      ev({ type: 'apply-step', runId: RUN, step: 1, syncPhase: 'Sync', wave: 1, phase: 'upsert', group: 'workloads', count: 1 }),
    ];

    it('PreSync hooks, then the app in its waves, then PostSync hooks; hook objects are marked', () => {
      view([
        ...PRESYNC,
        ev({ type: 'apply-object', runId: RUN, step: 1, key: DEPLOY, state: 'healthy' }),
        ev({ type: 'apply-step', runId: RUN, step: 2, syncPhase: 'PostSync', wave: 2, phase: 'upsert', group: 'workloads', hooks: true, count: 1 }),
        ev({ type: 'apply-object', runId: RUN, step: 2, key: NOTIFY, state: 'healthy' }),
        ev({ type: 'apply-finished', runId: RUN, status: 'succeeded', elapsedMs: 9_000 }),
      ]);
      expect(steps()).toEqual([
        'PreSync hooks | Step 1 · run · 1 hook: Job shop/migrate-a1b2c3d-presync-1764000000=healthy (hook)',
        'Sync · wave 1 · workloads | Step 2 · apply · 1 object: Deployment shop/web=healthy',
        'PostSync hooks · wave 2 | Step 3 · run · 1 hook: Job shop/notify=healthy (hook)',
      ]);
      expect(screen.getAllByTestId('apply-step').map((s) => [s.dataset.syncPhase, s.dataset.hooks])).toEqual([
        ['PreSync', 'true'],
        ['Sync', undefined],
        ['PostSync', 'true'],
      ]);
      expect(screen.getAllByTestId('step-phase')[0]!.getAttribute('title')).toBe('PreSync: before anything of the app is applied');
      // Hooks are no changes: the counts leave them out.
      expect(screen.getByTestId('apply-result').textContent).toBe('1 of 1 change applied and healthy in 9.0 s.');
      expect(screen.getByText('1 of 1 change done · 3 steps')).toBeTruthy();
    });

    it('SyncFail hooks when the apply failed', () => {
      view([
        ...PRESYNC,
        ev({ type: 'apply-object', runId: RUN, step: 1, key: DEPLOY, state: 'failed', message: 'ProgressDeadlineExceeded' }),
        ev({ type: 'apply-step', runId: RUN, step: 2, syncPhase: 'SyncFail', wave: 0, phase: 'upsert', group: 'workloads', hooks: true, count: 1 }),
        ev({ type: 'apply-object', runId: RUN, step: 2, key: CLEANUP, state: 'healthy' }),
        ev({ type: 'apply-finished', runId: RUN, status: 'failed', error: 'Deployment shop/web: ProgressDeadlineExceeded', elapsedMs: 9_000 }),
      ]);
      expect(steps()[2]).toBe('SyncFail hooks | Step 3 · run · 1 hook: Job shop/cleanup-a1b2c3d-syncfail-1764000009=healthy (hook)');
      expect(screen.getByTestId('apply-status').textContent).toBe('The apply failed');
    });
  });

  it('cancels the run through the engine', async () => {
    const v = view(START);
    await v.user.click(screen.getByTestId('cancel-apply'));
    await waitFor(() => expect(v.host.requests('cancelApply')).toEqual([{ runId: RUN }]));
    expect(screen.getByTestId('cancel-apply').textContent).toBe('Cancelling…');
    v.rerender([...START, ev({ type: 'apply-finished', runId: RUN, status: 'cancelled', error: 'cancelled by the user', elapsedMs: 900 })]);
    expect(screen.getByTestId('apply-status').textContent).toBe('The apply was cancelled');
  });

  describe('a run that ends progressing (every object applied, a LoadBalancer Service still without an address)', () => {
    const LB_WAIT = 'waiting for the load balancer to get an address';
    const PROGRESSING_END: EngineEvent[] = [
      ev({ type: 'apply-object', runId: RUN, step: 1, key: DEPLOY, state: 'healthy', message: '3 of 3 replicas available' }),
      ev({ type: 'apply-object', runId: RUN, step: 1, key: SVC, state: 'progressing', message: `${LB_WAIT} (no load-balancer controller answered in 30 s)` }),
      ev({ type: 'apply-finished', runId: RUN, status: 'progressing', elapsedMs: 31_000 }),
    ];
    const stillProgressing = (): string[] => screen.queryAllByTestId('still-progressing').map((e) => `${e.dataset.key}=${e.dataset.state}: ${e.textContent ?? ''}`);

    it('says applied, still progressing, names the object and why, and keeps watching it until it is healthy', async () => {
      let reads = 0;
      const host = testHost({
        objectHealth: (r) => ({ objects: r.keys.map((key) => (++reads < 2 ? { key, status: 'progressing', message: LB_WAIT } : { key, status: 'healthy', message: 'load balancer at 203.0.113.10' })) }),
      });
      view([...START, ...MIDDLE, ...PROGRESSING_END], host);
      expect(screen.getByTestId('apply-status').textContent).toBe('Applied, still progressing');
      expect(screen.getByTestId('apply-progress').dataset.status).toBe('progressing');
      expect(stillProgressing()).toEqual([`Service billing/api=progressing: Service billing/api — ${LB_WAIT} (no load-balancer controller answered in 30 s)`]);
      expect(screen.getByTestId('health-watch').textContent).toBe('Watching it while this view is open…');
      await waitFor(() => expect(screen.getByTestId('health-watch').textContent).toBe('Each of them has settled since.'));
      expect(stillProgressing()).toEqual(['Service billing/api=healthy: Service billing/apinow healthy — load balancer at 203.0.113.10']);
      expect(screen.getAllByTestId('apply-object').find((o) => o.dataset.key === 'Service billing/api')?.dataset.state).toBe('healthy');
      expect(host.requests('objectHealth')).toEqual([
        { planId: SHOP_PLAN.id, keys: [SVC] },
        { planId: SHOP_PLAN.id, keys: [SVC] },
      ]);
    });

    it('stops watching when the view closes, and says so when the engine cannot read', async () => {
      const v = view([...START, ...MIDDLE, ...PROGRESSING_END]);
      await waitFor(() => expect(v.host.requests('objectHealth').length).toBeGreaterThanOrEqual(2));
      v.unmount();
      const after = v.host.requests('objectHealth').length;
      await new Promise((r) => setTimeout(r, 50));
      expect(v.host.requests('objectHealth').length).toBe(after);

      const failing = testHost({
        objectHealth: () => {
          throw new EngineError({ code: 'unknown-plan', message: 'this engine has no plan plan-1 with a cluster' });
        },
      });
      view([...START, ...MIDDLE, ...PROGRESSING_END], failing);
      await waitFor(() => expect(screen.getByTestId('health-watch').textContent).toBe('Stopped watching them: this engine has no plan plan-1 with a cluster'));
    });
  });

  describe('a rollout that fails (the demo\'s bad release: its Pods ask for 250 CPUs)', () => {
    const REASON = '4 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. shop/web-75f764998c-abcde';
    const STEP: EngineEvent[] = [
      ev({ type: 'apply-started', runId: RUN, steps: 1, changes: 1 }),
      ev({ type: 'apply-step', runId: RUN, step: 0, syncPhase: 'Sync', wave: 0, phase: 'upsert', group: 'workloads', count: 1 }),
      ev({ type: 'apply-object', runId: RUN, step: 0, key: DEPLOY, state: 'applied' }),
      ev({ type: 'apply-object', runId: RUN, step: 0, key: DEPLOY, state: 'waiting' }),
    ];
    const LIVE = ev({ type: 'apply-object', runId: RUN, step: 0, key: DEPLOY, state: 'waiting', message: `0 of 4 replicas available; ${REASON}` });
    const FAILED: EngineEvent[] = [
      ev({ type: 'apply-object', runId: RUN, step: 0, key: DEPLOY, state: 'failed', message: `ProgressDeadlineExceeded: ReplicaSet "web-75f764998c" has timed out progressing; ${REASON}` }),
      ev({ type: 'apply-finished', runId: RUN, status: 'failed', error: `step 1 of 1 (wave 0) failed: Deployment.apps shop/web: ProgressDeadlineExceeded: ReplicaSet "web-75f764998c" has timed out progressing; ${REASON}`, elapsedMs: 21_000 }),
    ];
    const [newer, older] = RUNS.runs;
    /** History of the context: this run (failed) on top of the two good ones of the fixtures. */
    const failedRun = { ...newer!, id: RUN, status: 'failed' as const, startedAt: '2026-11-21T09:00:00.000Z' };
    const row = (): HTMLElement => screen.getAllByTestId('apply-object').find((o) => o.dataset.key === 'Deployment shop/web')!;
    const buttons = (): string[] => [...document.querySelectorAll('.progress-head button')].map((b) => `${b.textContent ?? ''}${b.classList.contains('primary') ? ' (primary)' : ''}`);

    it('the waiting row says why, live, instead of a bare "waiting"', () => {
      const v = view(STEP);
      expect(row().dataset.state).toBe('waiting');
      expect(within(row()).queryByText(/Pods Pending/)).toBeNull();
      v.rerender([...STEP, LIVE]);
      expect(row().dataset.state).toBe('waiting');
      expect(within(row()).getByText(`0 of 4 replicas available; ${REASON}`)).toBeTruthy();
    });

    it('after it failed: Roll back to the last good run first, then Revert this run; Back to the plan is secondary; the count says what did not finish', async () => {
      const host = testHost({ listRuns: () => ({ runs: [failedRun, newer!, older!] }) });
      const v = view([...STEP, LIVE, ...FAILED], host);
      expect(screen.getByTestId('apply-count').textContent).toBe('Failed: 1 of 1 change did not finish · 1 step');
      expect(within(row()).getByText(/ProgressDeadlineExceeded: .*Insufficient cpu \(FailedScheduling\)/)).toBeTruthy();
      await waitFor(() => expect(screen.queryByTestId('rollback-last-good')).toBeTruthy());
      expect(buttons()).toEqual([`Roll back to ${newer!.commit.slice(0, 7)} (primary)`, 'Revert this run', 'Show in History', 'Back to the plan']);
      expect(screen.getByTestId('rollback-last-good').dataset.runId).toBe(newer!.id);
      expect(screen.getByTestId('recovery-hint').textContent).toMatch(new RegExp(`^The cluster is as this run left it\\. Roll back to ${newer!.commit.slice(0, 7)} \\(run ${newer!.id}, succeeded .+\\) or revert this run; each opens a plan to review before anything is applied\\.$`));
      expect(v.host.requests('listRuns')).toEqual([{ context: 'staging', limit: 100 }]);
      await v.user.click(screen.getByTestId('rollback-last-good'));
      expect(v.onPreview).toHaveBeenLastCalledWith('rollback', newer);
      await v.user.click(screen.getByTestId('revert-this-run'));
      expect(v.onPreview).toHaveBeenLastCalledWith('revert', failedRun);
    });

    it.each<[string, object[], string[]]>([
      ['no good run before it: Revert this run is the one offered', [{ ...failedRun }, { ...newer!, status: 'failed' }, { ...older!, commit: ':working' }], ['Revert this run (primary)', 'Show in History', 'Back to the plan']],
      ['another app\'s, another context\'s and a revert\'s good runs do not count', [failedRun, { ...newer!, app: { name: 'api', path: 'apps/api' } }, { ...newer!, id: 'run-x', cluster: { ...newer!.cluster, context: 'prod' } }, { ...older!, kind: 'revert' }], ['Revert this run (primary)', 'Show in History', 'Back to the plan']],
      ['history cannot say: only Back to the plan', [], ['Show in History', 'Back to the plan (primary)']],
    ])('%s', async (_case, runs, expected) => {
      const host = testHost({ listRuns: () => ({ runs: runs as typeof RUNS.runs }) });
      view([...STEP, ...FAILED], host);
      await waitFor(() => expect(host.requests('listRuns').length).toBe(1));
      await waitFor(() => expect(buttons()).toEqual(expected));
    });

    it('names the last good run by its tag when it has one: "Roll back to v1.2.0", its subject in the hint', async () => {
      const host = testHost({
        listRuns: () => ({ runs: [failedRun, newer!, older!] }),
        describeRevisions: (r) => ({ revisions: r.commits.filter((c) => c === newer!.commit).map((c) => ({ commit: c, shortOid: c.slice(0, 7), subject: 'storefront: scale up', tags: ['v1.2.0', 'latest'], label: `v1.2.0, latest · storefront: scale up (${c.slice(0, 7)})` })) }),
      });
      /** The window's provider, naming commits of one open repository. */
      function Named(props: { children: ReactNode }): React.JSX.Element {
        useRevisionLabelSource('repo-1', null);
        return <>{props.children}</>;
      }
      renderWithHost(
        <RevisionLabelsProvider>
          <Named>
            <ApplyProgressView runId={RUN} plan={SHOP_PLAN} events={[...STEP, ...FAILED]} startedAt={Date.now()} onClose={vi.fn()} onShowHistory={vi.fn()} onPreview={vi.fn()} watchIntervalMs={5} />
          </Named>
        </RevisionLabelsProvider>,
        host,
      );
      await waitFor(() => expect(buttons()).toEqual(['Roll back to v1.2.0 (primary)', 'Revert this run', 'Show in History', 'Back to the plan']));
      expect(screen.getByTestId('recovery-hint').textContent).toContain(`Roll back to v1.2.0, latest · storefront: scale up (${newer!.commit.slice(0, 7)})`);
      expect(host.requests('describeRevisions')).toEqual([{ repoId: 'repo-1', commits: [newer!.commit] }]);
    });

    it('asks again while history still has the run running (its last event comes just before history finishes it)', async () => {
      let asked = 0;
      const host = testHost({ listRuns: () => ({ runs: [++asked < 3 ? { ...failedRun, status: 'running' as const } : failedRun, newer!] }) });
      view([...STEP, ...FAILED], host);
      await waitFor(() => expect(screen.queryByTestId('revert-this-run')).toBeTruthy(), { timeout: 3000 });
      expect(asked).toBe(3);
    });

    it('a run that succeeded offers no way back, and counts what is done', async () => {
      const host = testHost();
      view([...STEP, ev({ type: 'apply-object', runId: RUN, step: 0, key: DEPLOY, state: 'healthy', message: '4 of 4 replicas available' }), ev({ type: 'apply-finished', runId: RUN, status: 'succeeded', elapsedMs: 9_000 })], host);
      expect(screen.getByTestId('apply-count').textContent).toBe('1 of 1 change done · 1 step');
      expect(buttons()).toEqual(['Show in History', 'Back to the plan (primary)']);
      expect(host.requests('listRuns')).toEqual([]);
    });
  });

  it('goes back to the plan or to History when finished', async () => {
    const v = view([...START, ...MIDDLE, ...END]);
    await v.user.click(screen.getByTestId('show-history'));
    await v.user.click(screen.getByTestId('close-progress'));
    expect(v.onShowHistory).toHaveBeenCalledOnce();
    expect(v.onClose).toHaveBeenCalledOnce();
  });
});
