/**
 * The plan's findings in the plan tab: a panel of risks, then rollout impact, most severe first,
 * each sentence with its severity; a badge on each resource of the tree that has findings (the
 * most severe one's colour); the opened resource lists its own. Clicking a finding opens its
 * resource, even an unchanged one the tree hides by default.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ResourceKey } from '../../../core/api/contract.js';
import type { Finding } from '../findings.js';
import { SHOP_CHANGES, change, plan } from '../testing/fixtures.js';
import { renderWithHost } from '../testing/host.js';
import { PlanView } from './PlanView.js';

const key = (kind: string, name: string, namespace: string, group = ''): ResourceKey => ({ group, version: 'v1', kind, name, namespace });
const API = key('Deployment', 'api', 'shop', 'apps');
const WEB = key('Deployment', 'web', 'shop', 'apps');
const FLAGS = key('ConfigMap', 'web-flags', 'shop');

/** As the engine sorts them: most severe first, risks before impact. */
const FINDINGS: Finding[] = [
  { kind: 'risk', rule: 'replicas-to-zero', severity: 'danger', subject: WEB, message: 'Deployment shop/web scales from 3 replicas to 0: it stops serving.', paths: ['spec.replicas'] },
  { kind: 'impact', rule: 'config-env', severity: 'warning', subject: API, cause: FLAGS, message: 'Running Pods of Deployment shop/api keep the old value of ConfigMap shop/web-flags until they restart: they read it as environment variables (envFrom in container api).', paths: ['data.level'] },
  { kind: 'impact', rule: 'pods-kept', severity: 'info', subject: WEB, message: 'Deployment shop/web keeps its running Pods: its Pod template does not change (only spec.replicas).' },
];

const withFindings = (findings: readonly Finding[] = FINDINGS) => plan([...SHOP_CHANGES, change('noop', API)], { findings });

function renderPlan(p: ReturnType<typeof plan>): ReturnType<typeof userEvent.setup> {
  renderWithHost(<PlanView plan={p} stale={false} onReplan={vi.fn()} />);
  return userEvent.setup();
}

/** "Risks: danger Deployment shop/web …" per finding, section by section. */
function panel(): string[] {
  return [...screen.getByTestId('plan-findings').querySelectorAll<HTMLElement>('[data-testid=finding-section]')].flatMap((s) =>
    within(s)
      .getAllByTestId('plan-finding')
      .map((f) => `${s.getAttribute('aria-label') ?? ''}: ${f.dataset.severity ?? ''} ${f.dataset.subject ?? ''} | ${within(f).getByTestId('finding-message').textContent ?? ''}`),
  );
}

const row = (label: string): HTMLElement => screen.getByTestId('plan-tree').querySelector<HTMLElement>(`[role=treeitem][data-key="${label}"]`)!;

describe('PlanView findings', () => {
  it('shows risks, then rollout impact, most severe first, with their counts', () => {
    renderPlan(withFindings());
    expect(screen.getByTestId('plan-findings-summary').textContent).toBe('Impact and risks · 1 danger · 1 warning · 1 info');
    expect(panel()).toEqual([
      'Risks: danger Deployment shop/web | Deployment shop/web scales from 3 replicas to 0: it stops serving.',
      'Rollout impact: warning Deployment shop/api | Running Pods of Deployment shop/api keep the old value of ConfigMap shop/web-flags until they restart: they read it as environment variables (envFrom in container api).',
      'Rollout impact: info Deployment shop/web | Deployment shop/web keeps its running Pods: its Pod template does not change (only spec.replicas).',
    ]);
  });

  it('marks the resources that have findings in the tree, with the most severe one, and no other', () => {
    renderPlan(withFindings());
    const badge = within(row('Deployment shop/web')).getByTestId('finding-badge');
    expect([badge.dataset.severity, badge.textContent]).toEqual(['danger', '!! 2']);
    expect(badge.getAttribute('title')).toBe('danger: Deployment shop/web scales from 3 replicas to 0: it stops serving.\ninfo: Deployment shop/web keeps its running Pods: its Pod template does not change (only spec.replicas).');
    for (const other of ['ConfigMap shop/web-flags', 'ConfigMap shop/web-config', 'Secret shop/old-token']) expect(within(row(other)).queryByTestId('finding-badge')).toBeNull();
  });

  it('opens the resource of a finding, also an unchanged one the tree hides, and lists its findings over its diff', async () => {
    const user = renderPlan(withFindings());
    expect(screen.getByTestId('plan-tree').querySelector('[data-key="Deployment shop/api"]')).toBeNull();
    await user.click(screen.getAllByTestId('plan-finding').find((f) => f.dataset.rule === 'config-env')!);
    expect(screen.getByTestId('change-view').querySelector('h2')?.textContent).toBe('Deployment shop/api');
    expect(within(row('Deployment shop/api')).getByTestId('finding-badge').dataset.severity).toBe('warning');
    expect(screen.getByTestId('chip-noop').getAttribute('aria-pressed')).toBe('true');
    expect(within(screen.getByTestId('change-findings')).getByRole('listitem').textContent).toBe(
      'warning Running Pods of Deployment shop/api keep the old value of ConfigMap shop/web-flags until they restart: they read it as environment variables (envFrom in container api).',
    );
    expect(screen.getAllByTestId('plan-finding').find((f) => f.dataset.rule === 'config-env')?.getAttribute('aria-pressed')).toBe('true');

    // Hiding the unchanged resources again is the reviewer's choice: the tree opens another one.
    await user.click(screen.getByTestId('chip-noop'));
    expect(screen.getByTestId('change-view').querySelector('h2')?.textContent).not.toBe('Deployment shop/api');
  });

  it('shows no panel and no badge for a plan without findings', () => {
    renderPlan(withFindings([]));
    expect(screen.queryByTestId('plan-findings')).toBeNull();
    expect(screen.queryByTestId('finding-badge')).toBeNull();
    expect(screen.queryByTestId('change-findings')).toBeNull();
  });
});
