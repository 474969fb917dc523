/**
 * Confirming an apply: what will change where, and for a protected context or app the context
 * name typed before the button works; the engine gets it as confirmContext.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { EngineError } from '../host.js';
import { SHOP_PLAN, plan, SHOP_CHANGES } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';
import { ApplyDialog } from './ApplyDialog.js';

const confirmButton = (): HTMLButtonElement => screen.getByTestId('confirm-apply');

function open(opts: { plan?: typeof SHOP_PLAN; protectedContext?: boolean; host?: ReturnType<typeof testHost> } = {}) {
  const host = opts.host ?? testHost();
  const onStarted = vi.fn();
  const onClose = vi.fn();
  renderWithHost(<ApplyDialog plan={opts.plan ?? SHOP_PLAN} protectedContext={opts.protectedContext ?? false} onClose={onClose} onStarted={onStarted} />, host);
  return { host, onStarted, onClose, user: userEvent.setup() };
}

describe('ApplyDialog', () => {
  it('lists what changes where and applies an unprotected plan without typing', async () => {
    const { host, onStarted, user } = open();
    expect(screen.getByRole('dialog', { name: 'Apply this plan' })).toBeTruthy();
    expect(screen.getByTestId('apply-dialog-summary').textContent).toBe('3 to add · 2 to change · 1 to destroy');
    expect(screen.getByText('Namespace shop')).toBeTruthy();
    expect(screen.getByText('Secret shop/old-token')).toBeTruthy();
    expect(screen.queryByText('ServiceAccount shop/web')).toBeNull(); // unchanged: not listed
    expect(screen.getByText('1 change destroy data or availability.')).toBeTruthy();
    expect(screen.queryByTestId('confirm-context')).toBeNull();
    expect(confirmButton().disabled).toBe(false);
    expect(confirmButton().textContent).toBe('Apply to staging');

    await user.click(confirmButton());
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith({ runId: 'run-0003', planId: SHOP_PLAN.id }));
    expect(host.requests('apply')).toEqual([{ planId: SHOP_PLAN.id }]);
  });

  it.each([
    ['context', { plan: plan(SHOP_CHANGES, { context: 'prod' }), protectedContext: true }, 'The context prod is protected.'],
    ['app', { plan: plan(SHOP_CHANGES, { context: 'prod', app: { protected: true } }), protectedContext: false }, 'The app web is protected.'],
  ])('a protected %s needs the context name typed before Apply works, and sends it as confirmContext', async (_what, opts, why) => {
    const { host, onStarted, user } = open(opts);
    expect(screen.getByText(why, { exact: false })).toBeTruthy();
    const input = screen.getByTestId('confirm-context');
    expect(confirmButton().disabled).toBe(true);
    expect(confirmButton().textContent).toBe('Apply to prod');

    await user.type(input, 'pro');
    expect(confirmButton().disabled).toBe(true);
    await user.keyboard('{Enter}'); // submitting the form does nothing either
    expect(host.requests('apply')).toEqual([]);
    await user.type(input, 'duction');
    expect(confirmButton().disabled).toBe(true);

    await user.clear(input);
    await user.type(input, 'prod');
    expect(confirmButton().disabled).toBe(false);
    await user.click(confirmButton());
    await waitFor(() => expect(onStarted).toHaveBeenCalled());
    expect(host.requests('apply')).toEqual([{ planId: SHOP_PLAN.id, confirmContext: 'prod' }]);
  });

  it('shows why the engine refused to start, and stays open', async () => {
    const host = testHost({
      apply: () => {
        throw new EngineError({ code: 'stale-plan', message: 'ConfigMap shop/web-flags changed since the plan (resourceVersion 4711 → 4790)', hint: 'plan again' });
      },
    });
    const { onStarted, user } = open({ host });
    await user.click(confirmButton());
    const error = await screen.findByTestId('error-message');
    expect(error.dataset.code).toBe('stale-plan');
    expect(error.textContent).toContain('The apply did not start');
    expect(error.textContent).toContain('ConfigMap shop/web-flags changed since the plan');
    expect(error.textContent).toContain('Hint: plan again');
    expect(onStarted).not.toHaveBeenCalled();
    expect(confirmButton().disabled).toBe(false);
  });

  it('closes on Cancel and on Escape', async () => {
    const { onClose, user } = open();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('lists the fields another manager owns; applies without them unless "Take over these fields" is checked', async () => {
    const contested = plan([
      ...SHOP_CHANGES.slice(0, 4),
      { ...SHOP_CHANGES[4]!, flags: ['other-manager'], message: 'fields also managed by kubectl: .spec.replicas; apply must force the conflicts to take them over' },
    ]);
    const { host, user } = open({ plan: contested });
    const box = screen.getByTestId('take-over');
    expect(box.textContent).toContain('Deployment shop/web');
    expect(box.textContent).toContain('fields also managed by kubectl: .spec.replicas');
    expect(box.textContent).toContain('Without taking them over, this change fails with a conflict.');
    await user.click(screen.getByTestId('take-over-toggle'));
    expect(box.textContent).not.toContain('fails with a conflict');
    await user.click(confirmButton());
    await waitFor(() => expect(host.requests('apply')).toEqual([{ planId: contested.id, forceConflicts: true }]));
  });

  it('needs the deletes that ask for a confirmation (Prune=confirm) ticked before it applies, and says so to the engine', async () => {
    const asking = plan([
      ...SHOP_CHANGES.slice(0, 4),
      { key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'legacy' }, action: 'delete', flags: ['confirm'], changedPaths: [], before: 'kind: ConfigMap\n', syncOptions: ['Prune=confirm'] },
    ]);
    const { host, user } = open({ plan: asking });
    const box = screen.getByTestId('confirm-prune');
    expect(box.textContent).toContain('ConfigMap shop/legacy');
    expect(box.textContent).toContain('It asks for a confirmation before it is deleted');
    expect(confirmButton().disabled).toBe(true);
    await user.click(screen.getByTestId('confirm-prune-toggle'));
    expect(confirmButton().disabled).toBe(false);
    await user.click(confirmButton());
    await waitFor(() => expect(host.requests('apply')).toEqual([{ planId: asking.id, confirmPrune: true }]));
  });

  it('says when the plan takes over an ApplySet (adopted with --adopt or the button)', () => {
    open({ plan: plan(SHOP_CHANGES, { applySet: { adopts: [{ parent: 'Secret/shop/slipway-web-0123456789', id: 'applyset-x-v1', why: 'confirmed' }] } }) });
    expect(screen.getByTestId('apply-dialog-adopts').textContent).toBe("This plan takes over the ApplySet Secret/shop/slipway-web-0123456789: its objects become web's.");
    expect(screen.queryByTestId('take-over')).toBeNull();
  });
});
