/**
 * The plan's hooks in the plan tab: those that run on apply by phase (PreSync, Sync, PostSync,
 * SyncFail, in the plan's order), those not run with why, each opening its YAML; never counted
 * as changes, and named in the "No changes" message.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SHOP_CHANGES, SHOP_HOOKS, change, plan } from '../testing/fixtures.js';
import { renderWithHost } from '../testing/host.js';
import { PlanView } from './PlanView.js';

function renderPlan(p: ReturnType<typeof plan>): ReturnType<typeof userEvent.setup> {
  renderWithHost(<PlanView plan={p} stale={false} onReplan={vi.fn()} />);
  return userEvent.setup();
}

/** Each phase group as "PreSync: Job shop/migrate-…" lines, and "Not run: …". */
function groups(): string[] {
  const hooks = screen.getByTestId('plan-hooks');
  return [...hooks.querySelectorAll<HTMLElement>('[data-testid=hook-phase], [data-testid=hooks-not-run]')].flatMap((g) =>
    within(g)
      .getAllByTestId('plan-hook')
      .map((h) => `${g.dataset.phase ?? 'Not run'}: ${h.querySelector('.hook-name')?.textContent ?? ''} | ${within(h).getByTestId('hook-meta').textContent ?? ''}`),
  );
}

describe('PlanView hooks', () => {
  it('lists the hooks that run by phase, and those not run with why; the summary never counts them', () => {
    renderPlan(plan(SHOP_CHANGES, { hooks: SHOP_HOOKS }));
    expect(screen.getByTestId('plan-summary').textContent).toBe('3 to add · 2 to change · 1 to destroy');
    expect(screen.getByTestId('plan-hooks-summary').textContent).toBe('On apply, 4 hooks run · 2 not run');
    expect(groups()).toEqual([
      'PreSync: Job shop/migrate-… named when it runs | BeforeHookCreation · Argo CD · apps/web/migrate.yaml:1',
      'Sync: Pod shop/smoke | wave 2 · HookSucceeded · HookFailed · Argo CD · apps/web/smoke.yaml:3',
      'PostSync: Pod shop/smoke | wave 2 · HookSucceeded · HookFailed · Argo CD · apps/web/smoke.yaml:3',
      'PostSync: Job shop/notify | HookSucceeded · Helm · apps/web/templates/notify.yaml:1',
      'SyncFail: Job shop/cleanup | BeforeHookCreation · Argo CD · apps/web/cleanup.yaml:1',
      'Not run: Pod shop/test-connection | test: a Helm test (helm test runs it, not an install): not applied · Helm · apps/web/templates/tests/test-connection.yaml:1',
      'Not run: Job shop/teardown | PostDelete: runs after Argo CD deletes the app; Slipway never deletes an app, so it is not run · Argo CD · apps/web/teardown.yaml:1',
    ]);
    expect(screen.getByTestId('hook-named-later').getAttribute('title')).toContain('7 characters of the commit');
  });

  it('opens a hook YAML read-only on click, and a change again from the tree', async () => {
    const user = renderPlan(plan(SHOP_CHANGES, { hooks: SHOP_HOOKS }));
    const smoke = screen.getAllByTestId('plan-hook').filter((h) => h.dataset.index === '1');
    expect(smoke).toHaveLength(2); // Sync and PostSync: one hook
    await user.click(smoke[1]!);
    const view = screen.getByTestId('hook-view');
    expect(view.querySelector('h2')?.textContent).toBe('Pod shop/smoke');
    expect(within(view).getByLabelText('When it runs').textContent).toContain('PostSync runs after every object of the app is applied and healthy');
    expect((await screen.findByTestId('yaml-text')).textContent).toContain('name: smoke');
    expect(smoke.map((h) => h.getAttribute('aria-pressed'))).toEqual(['true', 'true']);
    expect(screen.queryByTestId('change-view')).toBeNull();

    await user.click(screen.getByText('web-flags'));
    expect(screen.queryByTestId('hook-view')).toBeNull();
    expect(screen.getByTestId('change-view').querySelector('h2')?.textContent).toBe('ConfigMap shop/web-flags');
  });

  it('opens a hook not run with its reason and no YAML', async () => {
    const user = renderPlan(plan(SHOP_CHANGES, { hooks: SHOP_HOOKS }));
    await user.click(within(screen.getByTestId('hooks-not-run')).getAllByTestId('plan-hook')[0]!);
    expect(screen.getByTestId('hook-skipped').textContent).toBe('Not run: test: a Helm test (helm test runs it, not an install): not applied');
    expect(screen.queryByTestId('yaml-view')).toBeNull();
  });

  it('says how many hooks would run when the plan changes nothing', () => {
    renderPlan(plan([change('noop', { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' })], { hooks: SHOP_HOOKS }));
    expect(screen.getByTestId('plan-summary').textContent).toBe('0 to add · 0 to change · 0 to destroy');
    expect(screen.getByTestId('no-changes').textContent).toBe('No changes: the cluster already matches this revision. Its 4 hooks run only with an apply that has changes to make.');
  });

  it('says so when the app renders only hooks', () => {
    renderPlan(plan([], { hooks: SHOP_HOOKS.slice(0, 1) }));
    expect(screen.getByTestId('no-changes').textContent).toBe('No changes: the cluster already matches this revision. Its 1 hook runs only with an apply that has changes to make.');
    expect(screen.getByTestId('plan-empty').textContent).toBe('This app renders only hooks at this revision. Its 1 hook runs only with an apply that has changes to make. Select one to see it.');
    expect(screen.getByTestId('plan-hooks-summary').textContent).toBe('On apply, 1 hook runs');
  });

  it('shows no hooks section for a plan without hooks', () => {
    renderPlan(plan(SHOP_CHANGES));
    expect(screen.queryByTestId('plan-hooks')).toBeNull();
  });
});
