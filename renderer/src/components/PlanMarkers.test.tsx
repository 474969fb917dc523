/**
 * What the plan view marks on a plan (issue 17, findings 6 and 7): the destroy count in red, a plan
 * already applied ("Applied in run … (status)", Plan again), a plan made for another choice (why,
 * Plan again); and one selection at a time when a hook is open over a change.
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { change, plan, SHOP_CHANGES, SHOP_HOOKS, SHOP_PLAN } from '../testing/fixtures.js';
import { renderWithHost } from '../testing/host.js';
import { PlanView } from './PlanView.js';

const cm = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' };

describe('PlanView marks', () => {
  it('shows the destroy count in red when the plan destroys something, and plain when not', () => {
    const { unmount } = renderWithHost(<PlanView plan={SHOP_PLAN} stale={false} onReplan={vi.fn()} />);
    const count = screen.getByTestId('destroy-count');
    expect(count.textContent).toBe('1 to destroy');
    expect(count.className).toBe('destroy-count');
    unmount();
    renderWithHost(<PlanView plan={plan([change('update', cm)])} stale={false} onReplan={vi.fn()} />);
    expect(screen.getByTestId('destroy-count').className).toBe('');
  });

  it('marks a plan applied in a run, with its status, and offers to plan again', async () => {
    const onReplan = vi.fn();
    renderWithHost(<PlanView plan={SHOP_PLAN} stale={false} applied={{ runId: 'run-0003', status: 'succeeded' }} onReplan={onReplan} />);
    const marker = screen.getByTestId('plan-applied');
    expect(marker.textContent).toBe('Applied in run run-0003 (succeeded). Plan again to see what is left.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Plan again' }));
    expect(onReplan).toHaveBeenCalledOnce();
  });

  it('says why a plan is stale, and offers to plan again', () => {
    renderWithHost(<PlanView plan={SHOP_PLAN} stale staleReason="This plan is for context staging; context prod is selected now." onReplan={vi.fn()} />);
    expect(screen.getByTestId('plan-stale').textContent).toBe('This plan is for context staging; context prod is selected now. Plan again');
    expect(screen.queryByTestId('plan-applied')).toBeNull();
  });

  it('marks one thing selected at a time: a hook opened over a change unmarks the change in the tree', async () => {
    renderWithHost(<PlanView plan={plan(SHOP_CHANGES, { hooks: SHOP_HOOKS })} stale={false} onReplan={vi.fn()} />);
    const user = userEvent.setup();
    const tree = screen.getByRole('tree');
    const selected = (): string[] => [...tree.querySelectorAll('[aria-selected=true]')].map((r) => r.getAttribute('data-key') ?? '');
    await user.click(screen.getByText('web-flags'));
    expect(selected()).toEqual(['ConfigMap shop/web-flags']);

    await user.click(screen.getAllByTestId('plan-hook')[0]!);
    expect(screen.getByTestId('hook-view')).toBeTruthy();
    expect(selected()).toEqual([]);
    expect(tree.querySelectorAll('.tree-row.selected')).toHaveLength(0);

    await user.click(screen.getByText('web-flags'));
    expect(screen.queryByTestId('hook-view')).toBeNull();
    expect(selected()).toEqual(['ConfigMap shop/web-flags']);
    expect(screen.getAllByTestId('plan-hook').every((h) => h.getAttribute('aria-pressed') === 'false')).toBe(true);
  });
});
