/**
 * The workspace screen against the in-memory host: open a repository, plan, and what the user
 * sees when something fails (a clear message naming the thing, never a blank screen); History's
 * "Roll back to this" as a plan preview; and planning any folder of the repository.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App.js';
import { EngineError } from '../host.js';
import { APPS, COMMITS, REPO, ROLLBACK_PLAN, RUNS, SHOP_CHANGES, SHOP_PLAN, plan, runDetails } from '../testing/fixtures.js';
import { renderWithHost, testHost, type Handlers, type TestHost } from '../testing/host.js';
import { Workspace } from './Workspace.js';

beforeEach(() => localStorage.clear());

/** Renders the workspace, opens the fixture repository and picks the app `web`. */
async function openWorkspace(handlers: Handlers = {}, opts: { app?: boolean } = {}): Promise<{ host: TestHost; user: ReturnType<typeof userEvent.setup> }> {
  const host = testHost(handlers);
  renderWithHost(opts.app ? <App /> : <Workspace />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  await user.selectOptions(selector, 'app:web');
  return { host, user };
}

const planButton = (): HTMLButtonElement => screen.getByTestId('plan-button');
const applyButton = (): HTMLButtonElement => screen.getByTestId('apply-button');

describe('Workspace', () => {
  it('plans the chosen app, revision and context, and shows the review', async () => {
    const { host, user } = await openWorkspace();
    expect(screen.getByTestId('repo-name').textContent).toContain('shop');
    expect(screen.getByTestId('revision-picker').textContent).toContain('main');
    // The app names its destination context (a hint), which is picked until the user picks one.
    expect(screen.getByTestId('context-switcher').textContent).toContain('staging');
    await user.click(planButton());
    expect((await screen.findByTestId('plan-summary')).textContent).toBe('3 to add · 2 to change · 1 to destroy');
    expect(host.requests('plan')).toEqual([{ repoId: REPO.id, rev: 'refs/heads/main', context: 'staging', app: 'web', prune: true, createNamespace: false, why: true }]);
    expect(applyButton().disabled).toBe(false);
  });

  describe('says what went wrong instead of showing a blank screen', () => {
    it('an unreachable cluster: the engine message and hint, and Try again plans again', async () => {
      let calls = 0;
      const { host, user } = await openWorkspace({
        plan: () => {
          if (calls++ === 0) {
            throw new EngineError({
              code: 'cluster-unreachable',
              message: 'cannot reach the cluster of context dev at https://127.0.0.1:6443: connection refused',
              hint: 'is the cluster running? check the server address of context dev in the kubeconfig',
            });
          }
          return SHOP_PLAN;
        },
      });
      await user.click(planButton());
      const error = await screen.findByTestId('error-message');
      expect(error.dataset.code).toBe('cluster-unreachable');
      expect(within(error).getByText('The plan failed')).toBeTruthy();
      expect(error.textContent).toContain('cannot reach the cluster of context dev at https://127.0.0.1:6443: connection refused');
      expect(error.textContent).toContain('Hint: is the cluster running?');
      expect(applyButton().disabled).toBe(true);

      await user.click(within(error).getByRole('button', { name: 'Try again' }));
      expect(await screen.findByTestId('plan-view')).toBeTruthy();
      expect(screen.queryByTestId('error-message')).toBeNull();
      expect(host.requests('plan')).toHaveLength(2);
    });

    it('a missing tool: what needs it and how to install it', async () => {
      const { user } = await openWorkspace({
        plan: () => {
          throw new EngineError({ code: 'tool-missing', message: 'app web is a kustomization and needs kustomize (or kubectl), but it was not found on PATH or in settings', hint: 'install kustomize, or set its path in Settings' });
        },
      });
      await user.click(planButton());
      const error = await screen.findByTestId('error-message');
      expect(error.dataset.code).toBe('tool-missing');
      expect(error.textContent).toContain('needs kustomize (or kubectl), but it was not found on PATH or in settings');
      expect(error.textContent).toContain('Hint: install kustomize, or set its path in Settings');
    });

    it('a bad manifest: the file and line, and a plan that cannot be applied', async () => {
      const bad = plan([], { diagnostics: [{ severity: 'error', code: 'yaml-syntax', message: 'invalid YAML: Nested mappings are not allowed in compact mappings', location: { file: 'apps/web/deployment.yaml', documentIndex: 1, line: 14, column: 9 } }] });
      const { user } = await openWorkspace({ plan: () => bad });
      await user.click(planButton());
      const diagnostics = await screen.findByTestId('plan-diagnostics');
      expect(diagnostics.textContent).toContain('invalid YAML: Nested mappings are not allowed in compact mappings');
      expect(diagnostics.textContent).toContain('(apps/web/deployment.yaml:14:9)');
      expect(applyButton().disabled).toBe(true);
    });

    it('a broken slipway.yaml: where, from the app list', async () => {
      const host = testHost({
        listApps: () => {
          throw new EngineError({ code: 'invalid-config', message: 'apps[1].destination.namespace: must be a DNS label', location: { file: 'slipway.yaml', line: 7, column: 22 } });
        },
      });
      renderWithHost(<Workspace />, host);
      const user = userEvent.setup();
      await user.type(await screen.findByTestId('repo-path'), REPO.dir);
      await user.click(screen.getByTestId('open-repo'));
      const error = await screen.findByTestId('error-message');
      expect(error.textContent).toContain('Cannot read the apps of this revision');
      expect(error.textContent).toContain('apps[1].destination.namespace: must be a DNS label');
      expect(error.textContent).toContain('at slipway.yaml:7:22');
      expect(planButton().disabled).toBe(true);
    });

    it('a repository that cannot be opened: the start screen says why', async () => {
      const host = testHost({
        openRepository: () => {
          throw new EngineError({ code: 'not-a-repository', message: '/tmp/nothing is not inside a Git repository', hint: 'pick a folder inside a clone' });
        },
      });
      renderWithHost(<Workspace />, host);
      const user = userEvent.setup();
      await user.type(await screen.findByTestId('repo-path'), '/tmp/nothing');
      await user.click(screen.getByTestId('open-repo'));
      const error = await screen.findByTestId('error-message');
      expect(error.textContent).toContain('Cannot open the repository');
      expect(error.textContent).toContain('/tmp/nothing is not inside a Git repository');
    });

    it('an engine that cannot be reached: the status bar says so and the screen still works', async () => {
      const host = testHost({
        engineInfo: () => {
          throw new EngineError({ code: 'engine-unreachable', message: 'cannot reach the Slipway engine: Failed to fetch', hint: 'is `slipway serve` still running?' });
        },
      });
      renderWithHost(<App />, host);
      expect((await screen.findByText(/Cannot reach the engine/)).textContent).toBe('Cannot reach the engine: cannot reach the Slipway engine: Failed to fetch');
      expect(screen.getByTestId('repo-path')).toBeTruthy();
    });

    it('a crash in the diff view: that pane says so, the rest keeps working', async () => {
      const crashing = plan([
        { ...SHOP_PLAN.changes[0]!, after: 'crash-the-diff-view' },
        ...SHOP_PLAN.changes.slice(1),
      ]);
      const { user } = await openWorkspace({ plan: () => crashing }, { app: true });
      const quiet = console.error;
      console.error = () => undefined; // React and the boundary log the crash
      try {
        await user.click(planButton());
        const error = await screen.findByTestId('error-message');
        expect(error.textContent).toContain('The diff view stopped working');
        expect(error.textContent).toContain('FakeDiffView crashed on purpose');
        // The tree still works, and opening another change brings the diff back.
        await user.click(screen.getByText('web-flags'));
        expect((await screen.findByTestId('diff-after')).textContent).toContain('name: web-flags');
        expect(screen.queryByTestId('error-message')).toBeNull();
      } finally {
        console.error = quiet;
      }
    });
  });

  it('History: "Roll back to this" asks the engine for a rollback plan, then shows it as a preview to apply', async () => {
    const { host, user } = await openWorkspace();
    await user.click(screen.getByTestId('tab-history'));
    const runs = await screen.findAllByTestId('history-run');
    expect(runs.map((r) => r.dataset.runId)).toEqual(['run-0002', 'run-0001']);
    expect(host.requests('listRuns')).toEqual([{ repoId: REPO.id, app: 'web', limit: 100 }]);

    await user.click(runs[1]!);
    const details = await screen.findByTestId('run-details');
    await waitFor(() => expect(details.dataset.runId).toBe('run-0001'));
    expect(within(screen.getByTestId('run-objects')).getByText('3 of 3 replicas available')).toBeTruthy();
    expect(host.requests('planRollback')).toEqual([]);

    await user.click(screen.getByTestId('rollback-to-run'));
    const banner = await screen.findByTestId('preview-banner');
    expect(host.requests('planRollback')).toEqual([{ runId: 'run-0001', context: 'staging' }]);
    expect(banner.dataset.kind).toBe('rollback');
    expect(banner.textContent).toContain(`Rollback preview: web at ${COMMITS.previous.slice(0, 7)}, the commit of run run-0001`);
    const view = screen.getByTestId('plan-view');
    expect(view.dataset.planId).toBe(ROLLBACK_PLAN.id);
    expect(screen.getByTestId('plan-summary').textContent).toBe('0 to add · 1 to change · 0 to destroy');
    expect(host.requests('apply')).toEqual([]); // nothing applied from History

    await user.click(applyButton());
    expect(screen.getByRole('dialog', { name: 'Apply the rollback plan' })).toBeTruthy();
  });

  it('a failed apply offers the way back first: "Roll back to" the last good run opens its rollback preview', async () => {
    const failed = { ...RUNS.runs[0]!, id: 'run-0003', status: 'failed' as const, startedAt: '2026-11-21T09:00:00.000Z' };
    const { host, user } = await openWorkspace({ listRuns: () => ({ runs: [failed, ...RUNS.runs] }) });
    await user.click(planButton());
    await screen.findByTestId('plan-summary');
    await user.click(applyButton());
    await user.click(await screen.findByTestId('confirm-apply'));
    await screen.findByTestId('apply-progress');
    const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
    const why = '2 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. shop/web-75f764998c-abcde';
    host.emit({ type: 'apply-started', runId: 'run-0003', steps: 1, changes: 1 });
    host.emit({ type: 'apply-object', runId: 'run-0003', step: 0, key: web, state: 'failed', message: `ProgressDeadlineExceeded: ReplicaSet "web-75f764998c" has timed out progressing; ${why}` });
    host.emit({ type: 'apply-finished', runId: 'run-0003', status: 'failed', error: `step 1 of 1 (wave 0) failed: Deployment.apps shop/web: … ${why}`, elapsedMs: 21_000 });
    const rollback = await screen.findByTestId('rollback-last-good');
    expect(rollback.textContent).toBe(`Roll back to ${COMMITS.head.slice(0, 7)}`);
    await user.click(rollback);
    const banner = await screen.findByTestId('preview-banner');
    expect(banner.dataset.kind).toBe('rollback');
    expect(host.requests('planRollback')).toEqual([{ runId: 'run-0002', context: 'staging' }]);
    expect(screen.queryByTestId('apply-progress')).toBeNull();
  });

  it('History: a run that ended progressing shows its status and the objects still progressing, with why', async () => {
    const runs = RUNS.runs.map((r, i) => (i === 0 ? { ...r, status: 'progressing' as const } : r));
    const { user } = await openWorkspace({
      listRuns: () => ({ runs }),
      runDetails: (r) => ({
        ...runDetails(r.runId),
        status: 'progressing',
        objects: [
          ...runDetails(r.runId).objects,
          { key: { group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'frontend-external' }, action: 'create', outcome: 'progressing', wave: 0, message: 'waiting for the load balancer to get an address (no load-balancer controller answered in 30 s)', finishedAt: runs[0]!.finishedAt! },
        ],
      }),
    });
    await user.click(screen.getByTestId('tab-history'));
    const rows = await screen.findAllByTestId('history-run');
    expect(rows.map((r) => r.dataset.status)).toEqual(['progressing', 'succeeded']);
    await user.click(rows[0]!);
    const banner = await screen.findByTestId('run-progressing');
    expect(banner.textContent).toContain('Service shop/frontend-external — waiting for the load balancer to get an address (no load-balancer controller answered in 30 s)');
    expect(within(screen.getByTestId('run-objects')).getByText('progressing')).toBeTruthy();
    // Applied everything: it can be rolled back to.
    expect(screen.getByTestId<HTMLButtonElement>('rollback-to-run').disabled).toBe(false);
  });

  describe('any folder of the repository as the app', () => {
    it('plans a typed folder by path (normalized), also with Enter in the field', async () => {
      const { host, user } = await openWorkspace();
      await user.selectOptions(screen.getByTestId('app-selector'), 'folder:');
      const field = screen.getByTestId<HTMLInputElement>('app-path');
      expect(document.activeElement).toBe(field);
      expect(planButton().disabled).toBe(false); // empty: the whole repository
      await user.type(field, './apps//web/');
      await user.click(planButton());
      await screen.findByTestId('plan-view');
      await user.clear(field);
      await user.type(field, 'apps/api{Enter}');
      await waitFor(() => expect(host.requests('plan')).toHaveLength(2));
      expect(host.requests('plan')).toEqual([
        { repoId: REPO.id, rev: 'refs/heads/main', context: 'staging', path: 'apps/web', prune: false, createNamespace: false, why: true },
        { repoId: REPO.id, rev: 'refs/heads/main', context: 'staging', path: 'apps/api', prune: false, createNamespace: false, why: true },
      ]);
      // The known app folders are suggested.
      expect([...document.querySelectorAll('#app-paths option')].map((o) => o.getAttribute('value'))).toEqual(APPS.apps.map((a) => a.path));
    });

    it.each([
      ['../secrets', 'leaves the repository'],
      ['apps/../../etc', 'leaves the repository'],
      ['/etc/kubernetes', 'must be relative to the repository root, not absolute'],
      ['apps\\web', 'use "/" between folders'],
      ['.git/hooks', 'inside .git'],
    ])('refuses %j while typing: %s', async (typed, reason) => {
      const { host, user } = await openWorkspace();
      await user.selectOptions(screen.getByTestId('app-selector'), 'folder:');
      await user.type(screen.getByTestId('app-path'), typed);
      expect(screen.getByTestId('app-path-problem').textContent).toContain(reason);
      expect(screen.getByTestId('app-path').getAttribute('aria-invalid')).toBe('true');
      expect(planButton().disabled).toBe(true);
      await user.keyboard('{Enter}');
      expect(host.requests('plan')).toEqual([]);
    });

    it('a folder missing at the revision: named in the field and in the error', async () => {
      const { user } = await openWorkspace({
        plan: (r) => {
          if (r.path === 'apps/nope') throw new EngineError({ code: 'path-not-found', message: `Path "apps/nope" does not exist at revision ${COMMITS.head.slice(0, 7)} of ${REPO.dir}`, location: { file: 'apps/nope' } });
          return SHOP_PLAN;
        },
      });
      await user.selectOptions(screen.getByTestId('app-selector'), 'folder:');
      await user.type(screen.getByTestId('app-path'), 'apps/nope');
      await user.click(planButton());
      const error = await screen.findByTestId('error-message');
      expect(error.dataset.code).toBe('path-not-found');
      expect(error.textContent).toContain('There is no folder apps/nope at main');
      expect(error.textContent).toContain('Path "apps/nope" does not exist at revision');
      expect(screen.getByTestId('app-path-problem').textContent).toBe('There is no folder apps/nope at main');
      expect(screen.getByTestId('app-path').getAttribute('aria-invalid')).toBe('true');

      // Another folder clears the field's complaint; planning it works.
      await user.clear(screen.getByTestId('app-path'));
      await user.type(screen.getByTestId('app-path'), 'apps/web');
      expect(screen.queryByTestId('app-path-problem')).toBeNull();
      await user.click(planButton());
      expect(await screen.findByTestId('plan-view')).toBeTruthy();
    });

    it('going back to an app of the list plans it by name again', async () => {
      const { host, user } = await openWorkspace();
      await user.selectOptions(screen.getByTestId('app-selector'), 'folder:');
      await user.type(screen.getByTestId('app-path'), 'apps/web');
      await user.selectOptions(screen.getByTestId('app-selector'), 'app:ops');
      expect(screen.queryByTestId('app-path')).toBeNull();
      await user.click(planButton());
      await waitFor(() => expect(host.requests('plan')).toEqual([{ repoId: REPO.id, rev: 'refs/heads/main', context: 'staging', app: 'ops', prune: false, createNamespace: false, why: true }]));
    });
  });

  describe('plan options: namespace, prune, create namespace', () => {
    it("start from the app's own options, go into the plan request, and mark a plan stale when changed", async () => {
      const { host, user } = await openWorkspace();
      const ns = screen.getByTestId<HTMLInputElement>('namespace-input');
      // web's destination namespace is the default; web prunes.
      expect(ns.placeholder).toBe('shop');
      expect(screen.getByTestId<HTMLInputElement>('prune-toggle').checked).toBe(true);
      expect(screen.getByTestId<HTMLInputElement>('create-namespace-toggle').checked).toBe(false);
      await user.type(ns, 'shop-canary');
      await user.click(screen.getByTestId('prune-toggle'));
      await user.click(screen.getByTestId('create-namespace-toggle'));
      await user.click(planButton());
      await screen.findByTestId('plan-summary');
      expect(host.requests('plan')).toEqual([{ repoId: REPO.id, rev: 'refs/heads/main', context: 'staging', app: 'web', namespace: 'shop-canary', prune: false, createNamespace: true, why: true }]);
      expect(applyButton().disabled).toBe(false);
      await user.click(screen.getByTestId('prune-toggle'));
      expect(await screen.findByText(/changed since this plan was made/)).toBeTruthy();
      expect(applyButton().disabled).toBe(true);
    });

    it('names a namespace that cannot be one and does not plan', async () => {
      await openWorkspace();
      const user = userEvent.setup();
      await user.type(screen.getByTestId('namespace-input'), 'Shop_1');
      expect(screen.getByTestId('namespace-problem').textContent).toMatch(/^Shop_1 is not a namespace name/);
      expect(planButton().disabled).toBe(true);
    });

    it("offers to adopt an ApplySet another app recorded, and plans again with adopt", async () => {
      const owned = plan(SHOP_CHANGES, {
        diagnostics: [{ severity: 'error', code: 'applyset-owned-elsewhere', message: "the ApplySet Secret/shop/slipway-web-0123456789 is not this app's: it was last applied from commit 0123456789ab, which this clone does not have" }],
      });
      let calls = 0;
      const { host, user } = await openWorkspace({ plan: () => (calls++ === 0 ? owned : SHOP_PLAN) });
      await user.click(planButton());
      await user.click(await screen.findByTestId('adopt-button'));
      await waitFor(() => expect(host.requests('plan')).toHaveLength(2));
      expect(host.requests('plan')[1]).toMatchObject({ app: 'web', adopt: true });
      await waitFor(() => expect(screen.queryByTestId('adopt-button')).toBeNull());
    });
  });
});
