/**
 * The workspace tells the truth about the plan on screen (issue 17, findings 4, 6, 7, 12): Apply
 * is disabled with the reason when the apply cannot succeed (missing rights), a destroying plan has
 * a danger button and a confirmation naming the count, an applied plan is marked and not offered
 * again, a rollback preview goes stale when the context changes, History opens a past run's plan,
 * and the empty tab says what is missing.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { change, COMMITS, plan, REPO, ROLLBACK_PLAN, RUNS, SHOP_PLAN } from '../testing/fixtures.js';
import { renderWithHost, testHost, type Handlers, type TestHost } from '../testing/host.js';
import { Workspace } from './Workspace.js';

beforeEach(() => localStorage.clear());

async function openWorkspace(handlers: Handlers = {}): Promise<{ host: TestHost; user: ReturnType<typeof userEvent.setup> }> {
  const host = testHost(handlers);
  renderWithHost(<Workspace />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  await user.selectOptions(selector, 'app:web');
  return { host, user };
}

const applyButton = (): HTMLButtonElement => screen.getByTestId('apply-button');

async function planIt(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await user.click(screen.getByTestId('plan-button'));
  await screen.findByTestId('plan-summary');
}

async function pickContext(user: ReturnType<typeof userEvent.setup>, name: string): Promise<void> {
  await user.click(screen.getByTestId('context-switcher'));
  await user.click(within(screen.getByTestId('context-menu')).getAllByRole('option').find((o) => o.dataset.context === name)!);
}

const key = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('the empty plan tab', () => {
  it('asks to press Plan when everything is picked, and names what is missing otherwise', async () => {
    const { user } = await openWorkspace();
    expect(screen.getByTestId('plan-prompt').textContent).toMatch(/^Press Plan \(.+\) to see what would change in the cluster\.$/);
    await user.type(screen.getByTestId('namespace-input'), 'Not_A_Name');
    expect(screen.getByTestId('plan-prompt').textContent).toMatch(/^The namespace typed is not a namespace name .*: fix it, then press Plan/);
  });
});

describe('Apply is offered only for a plan that can succeed', () => {
  it('a read-only context: disabled, naming the rights the engine found missing', async () => {
    const { host, user } = await openWorkspace({
      canApply: () => ({ user: 'viewer', missing: [{ verb: 'create', resource: 'leases.coordination.k8s.io', namespace: 'shop' }, { verb: 'patch', resource: 'deployments.apps', namespace: 'shop' }], unchecked: [] }),
    });
    await planIt(user);
    await waitFor(() => expect(applyButton().title).toBe('Not permitted: viewer may not create leases.coordination.k8s.io in namespace shop, patch deployments.apps in namespace shop, so the apply would fail'));
    expect(applyButton().disabled).toBe(true);
    expect(host.requests('canApply')).toEqual([{ planId: SHOP_PLAN.id }]);
  });

  it('dry-runs the cluster refused: disabled even before the review answers', async () => {
    const approximate = plan([change('update', key, { flags: ['approximate'], message: 'approximate: no permission to dry-run (viewer may not patch deployments.apps)' })]);
    const { user } = await openWorkspace({ plan: () => approximate, canApply: () => new Promise(() => undefined) });
    await planIt(user);
    expect(applyButton().disabled).toBe(true);
    expect(applyButton().title).toBe('Not permitted: the cluster refused to dry-run 1 change (no permission), so the apply would fail');
  });

  it('is enabled once the review finds nothing missing', async () => {
    const { user } = await openWorkspace();
    await planIt(user);
    await waitFor(() => expect(applyButton().disabled).toBe(false));
    expect(applyButton().title).toBe('Apply exactly this plan to staging');
  });
});

describe('a plan that destroys', () => {
  it('turns Apply into a danger button naming the count, and the confirmation names the objects', async () => {
    const { user } = await openWorkspace();
    await planIt(user);
    expect(screen.getByTestId('destroy-count').className).toBe('destroy-count');
    await waitFor(() => expect(applyButton().disabled).toBe(false));
    expect(applyButton().textContent).toBe('Apply (destroys 1)');
    expect(applyButton().className).toContain('destroys');
    await user.click(applyButton());
    const dialog = screen.getByTestId('apply-dialog');
    expect(within(dialog).getByTestId('apply-dialog-deletes').textContent).toBe('This plan deletes 1 object: Secret shop/old-token.');
    expect(within(dialog).getByTestId('confirm-apply').className).toContain('danger');
  });

  it('from a protected context: type the context name to delete them', async () => {
    const three = plan(['a', 'b', 'c'].map((n) => change('delete', { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: n })), { context: 'prod' });
    const { user } = await openWorkspace({ plan: () => three });
    await pickContext(user, 'prod');
    await planIt(user);
    await waitFor(() => expect(applyButton().disabled).toBe(false));
    expect(applyButton().textContent).toBe('Apply (destroys 3)');
    await user.click(applyButton());
    const dialog = screen.getByTestId('apply-dialog');
    expect(within(dialog).getByTestId('apply-dialog-deletes').textContent).toBe('This plan deletes 3 objects: ConfigMap shop/a, ConfigMap shop/b and ConfigMap shop/c.');
    expect(dialog.querySelector('.confirm-field span')?.textContent).toBe('The context prod is protected. Type prod to delete 3 objects:');
  });

  it('a plan that destroys nothing keeps the plain button', async () => {
    const { user } = await openWorkspace({ plan: () => plan([change('update', key)]) });
    await planIt(user);
    expect(applyButton().textContent).toBe('Apply…');
    expect(applyButton().className).not.toContain('destroys');
  });
});

describe('a plan once applied', () => {
  it('is marked applied in its run, with the run status, and Apply is not offered again', async () => {
    const { host, user } = await openWorkspace();
    await planIt(user);
    await waitFor(() => expect(applyButton().disabled).toBe(false));
    await user.click(applyButton());
    await user.click(screen.getByTestId('confirm-apply'));
    await screen.findByTestId('apply-progress');
    host.emit({ type: 'apply-started', runId: 'run-0003', steps: 1, changes: 6 });
    host.emit({ type: 'apply-finished', runId: 'run-0003', status: 'succeeded', elapsedMs: 9_000 });
    await user.click(await screen.findByTestId('close-progress'));
    expect(screen.getByTestId('plan-applied').textContent).toBe('Applied in run run-0003 (succeeded). Plan again to see what is left.');
    expect(applyButton().disabled).toBe(true);
    expect(applyButton().title).toBe('Applied in run run-0003 (succeeded): plan again to see what is left');

    // Planned again (the same answer, even the same id): a new plan, offered again.
    await user.click(within(screen.getByTestId('plan-applied')).getByRole('button', { name: 'Plan again' }));
    await waitFor(() => expect(screen.queryByTestId('plan-applied')).toBeNull());
    await waitFor(() => expect(applyButton().disabled).toBe(false));
  });
});

describe('a plan made for another choice', () => {
  it('a rollback preview goes stale when the context changes, and Plan again plans it against the new one', async () => {
    const { host, user } = await openWorkspace();
    await user.click(screen.getByTestId('tab-history'));
    const runs = await screen.findAllByTestId('history-run');
    await user.click(runs[1]!);
    await waitFor(() => expect(screen.getByTestId('run-details').dataset.runId).toBe('run-0001'));
    await user.click(screen.getByTestId('rollback-to-run'));
    await screen.findByTestId('preview-banner');
    expect(screen.queryByTestId('plan-stale')).toBeNull();

    await pickContext(user, 'dev');
    expect(screen.getByTestId('plan-stale').textContent).toBe('This rollback preview is for context staging; dev is selected now. Plan again');
    expect(applyButton().disabled).toBe(true);
    await user.click(within(screen.getByTestId('plan-stale')).getByRole('button', { name: 'Plan again' }));
    await waitFor(() => expect(host.requests('planRollback')).toEqual([{ runId: 'run-0001', context: 'staging' }, { runId: 'run-0001', context: 'dev' }]));
  });

  it('a plan of the pickers names what changed', async () => {
    const { user } = await openWorkspace();
    await planIt(user);
    await pickContext(user, 'dev');
    expect(screen.getByTestId('plan-stale').textContent).toBe('This plan is for context staging; context dev is selected now. Plan again');
  });
});

describe("History opens a past run's plan", () => {
  it('with its diffs, marked applied in that run, never offered to apply', async () => {
    const { host, user } = await openWorkspace({ runPlan: () => ({ ...ROLLBACK_PLAN, id: RUNS.runs[1]!.planId }) });
    await user.click(screen.getByTestId('tab-history'));
    const runs = await screen.findAllByTestId('history-run');
    await user.click(runs[1]!);
    await waitFor(() => expect(screen.getByTestId('run-details').dataset.runId).toBe('run-0001'));
    await user.click(screen.getByTestId('open-run-plan'));

    const banner = await screen.findByTestId('preview-banner');
    expect(host.requests('runPlan')).toEqual([{ runId: 'run-0001' }]);
    expect(banner.dataset.kind).toBe('run');
    expect(banner.textContent).toContain('The plan of run run-0001, as it was applied to staging');
    expect(screen.getByTestId('plan-applied').textContent).toBe('Applied in run run-0001 (succeeded). Plan again to see what is left.');
    expect(screen.getByTestId('change-view').querySelector('h2')?.textContent).toBe('Deployment shop/web');
    expect(await screen.findByTestId('diff-after')).toBeTruthy();
    expect(applyButton().disabled).toBe(true);
    expect(host.requests('canApply')).toEqual([]);
    expect(COMMITS.previous).toBe(RUNS.runs[1]!.commit);
  });
});
