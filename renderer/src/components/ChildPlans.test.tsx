/**
 * App of apps in the plan tab: a plan whose app renders Argo CD Applications asks the engine for
 * its child apps' plans and shows them as a tree of summaries; "Pick" selects a child.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Plan } from '../../../core/api/contract.js';
import { SHOP_PLAN } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';
import { ChildPlans } from './ChildPlans.js';

const PARENT: Plan = {
  ...SHOP_PLAN,
  diagnostics: [{ severity: 'info', code: 'argocd-child-apps', message: '2 Application objects are child apps here', location: { file: 'apps/templates/guestbook.yaml' } }],
};
const summary = (create: number) => ({ create, update: 0, delete: 0, replace: 0, noop: 0, error: 0 });

describe('ChildPlans', () => {
  it('shows each child app under the plan with its summary, and picks one', async () => {
    const host = testHost({
      planChildren: () => ({
        children: [
          { app: 'guestbook', parent: 'shop', path: 'guestbook', depth: 1, planId: 'plan-g', summary: summary(3), errors: 0 },
          { app: 'nested', parent: 'shop', path: 'nested', depth: 1, planId: 'plan-n', summary: summary(0), errors: 0 },
          { app: 'leaf', parent: 'nested', path: 'leaf', depth: 2, error: 'helm is not installed' },
        ],
        argoCdSyncs: false,
      }),
    });
    const onPick = vi.fn();
    renderWithHost(<ChildPlans plan={PARENT} onPick={onPick} />, host);
    const rows = await screen.findAllByTestId('child-plan');
    expect(rows.map((r) => [r.getAttribute('aria-level'), r.textContent?.replace(/\s+/g, ' ').trim()])).toEqual([
      ['1', '└ guestbook guestbook 3 to add, 0 to change, 0 to destroy Pick'],
      ['1', '└ nested nested no changes Pick'],
      ['2', '└ leaf leaf not planned: helm is not installed Pick'],
    ]);
    expect(host.requests('planChildren')).toEqual([{ planId: PARENT.id }]);
    await userEvent.setup().click(within(rows[0]!).getByRole('button', { name: 'Pick' }));
    expect(onPick).toHaveBeenCalledWith('guestbook');
    expect(screen.getByText(/This cluster has no Argo CD/)).toBeTruthy();
  });

  it('shows the Flux HelmReleases a plan left out (no Flux on the cluster) as child apps', async () => {
    const flux: Plan = { ...SHOP_PLAN, diagnostics: [{ severity: 'info', code: 'flux-child-apps', message: '1 HelmRelease object is a child app here', location: { file: 'apps/staging/kustomization.yaml' } }] };
    const host = testHost({ planChildren: () => ({ children: [{ app: 'staging-apps-podinfo', parent: 'shop', path: 'charts/podinfo', depth: 1, planId: 'plan-p', summary: summary(1), errors: 0 }], argoCdSyncs: false }) });
    renderWithHost(<ChildPlans plan={flux} onPick={vi.fn()} />, host);
    expect((await screen.findAllByTestId('child-plan')).map((r) => r.dataset.app)).toEqual(['staging-apps-podinfo']);
    expect(screen.getByText(/This cluster has no Flux: each child app is applied as its own app/)).toBeTruthy();
  });

  it('asks nothing for a plan whose app renders no Argo CD objects', () => {
    const host = testHost();
    renderWithHost(<ChildPlans plan={SHOP_PLAN} onPick={vi.fn()} />, host);
    expect(screen.queryByTestId('child-plans')).toBeNull();
    expect(host.requests('planChildren')).toEqual([]);
  });
});
