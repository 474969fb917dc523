/**
 * The plan review: the summary line, the resource tree grouped by namespace then kind with action
 * badges, the filters (action chips with counts, text over kind/name/namespace) and the keyboard.
 */
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SHOP_PLAN, change, plan } from '../testing/fixtures.js';
import { renderWithHost } from '../testing/host.js';
import { PlanView } from './PlanView.js';

function renderPlan(p = SHOP_PLAN): ReturnType<typeof userEvent.setup> {
  renderWithHost(<PlanView plan={p} stale={false} onReplan={vi.fn()} />);
  return userEvent.setup();
}

/** The tree as text lines: "▾ shop 4" for groups, "+ web-config" for resources. */
function treeLines(): string[] {
  return within(screen.getByRole('tree')).queryAllByRole('treeitem').map((row) => {
    const badge = row.querySelector('.badge')?.textContent;
    const label = row.querySelector('.ellipsis')?.textContent ?? '';
    const count = row.querySelector('.count')?.textContent;
    return badge ? `${badge} ${label}` : `${row.getAttribute('aria-level') === '1' ? 'ns' : 'kind'} ${label} ${count}`;
  });
}

const cursorRow = (): string => screen.getByRole('tree').querySelector('.cursor .ellipsis')?.textContent ?? '';
const selectedRow = (): string => screen.getByRole('tree').querySelector('[aria-selected=true] .ellipsis')?.textContent ?? '';
const openedTitle = (): string => screen.getByTestId('change-view').querySelector('h2')?.textContent ?? '';

describe('PlanView', () => {
  it('says what the plan does in Terraform words', () => {
    renderPlan();
    expect(screen.getByTestId('plan-summary').textContent).toBe('3 to add · 2 to change · 1 to destroy');
    expect(screen.getByText('1 unchanged')).toBeTruthy();
  });

  it('counts a replace as one to add and one to destroy', () => {
    renderPlan(plan([change('replace', { group: 'apps', version: 'v1', kind: 'StatefulSet', namespace: 'db', name: 'pg' })]));
    expect(screen.getByTestId('plan-summary').textContent).toBe('1 to add · 0 to change · 1 to destroy');
  });

  it('groups resources by namespace (cluster-scoped first), then kind, with an action badge on each', () => {
    renderPlan();
    expect(treeLines()).toEqual([
      'ns Cluster-scoped 1',
      'kind Namespace 1',
      '+ shop',
      'ns billing 1',
      'kind Service 1',
      '+ api',
      'ns shop 4',
      'kind ConfigMap 2',
      '+ web-config',
      '~ web-flags',
      'kind Deployment 1',
      '~ web',
      'kind Secret 1',
      '− old-token',
    ]);
    const deleted = screen.getByRole('tree').querySelector('[data-key="Secret shop/old-token"]')!;
    expect(within(deleted as HTMLElement).getByLabelText('delete')).toBeTruthy();
    expect(deleted.querySelector('.warn-dot')?.getAttribute('title')).toBe('dangerous');
  });

  it('opens the first resource listed, with its diff', async () => {
    renderPlan();
    expect(openedTitle()).toBe('Namespace shop');
    expect((await screen.findByTestId('diff-after')).textContent).toContain('kind: Namespace');
  });

  it('shows action chips with counts, hides unchanged resources until asked, and filters by action', async () => {
    const user = renderPlan();
    const chip = (a: string): HTMLElement => screen.getByTestId(`chip-${a}`);
    expect(['create', 'update', 'replace', 'delete', 'noop'].map((a) => [a, chip(a).textContent?.replace(/\s+/g, ' ').trim(), chip(a).getAttribute('aria-pressed')])).toEqual([
      ['create', '+ 3', 'true'],
      ['update', '~ 2', 'true'],
      ['replace', '± 0', 'true'],
      ['delete', '− 1', 'true'],
      ['noop', '= 1', 'false'],
    ]);
    expect(screen.queryByTestId('chip-error')).toBeNull();
    expect(treeLines()).not.toContain('= web');

    await user.click(chip('noop'));
    expect(treeLines()).toContain('= web');
    expect(treeLines()).toContain('ns shop 5');

    await user.click(chip('create'));
    await user.click(chip('delete'));
    expect(treeLines()).toEqual(['ns shop 3', 'kind ConfigMap 1', '~ web-flags', 'kind Deployment 1', '~ web', 'kind ServiceAccount 1', '= web']);
  });

  it.each([
    ['a kind', 'configmap', ['ns shop 2', 'kind ConfigMap 2', '+ web-config', '~ web-flags']],
    ['a name', 'old-token', ['ns shop 1', 'kind Secret 1', '− old-token']],
    ['a namespace and a kind', 'billing service', ['ns billing 1', 'kind Service 1', '+ api']],
    ['words in any order, any case', 'WEB deployment', ['ns shop 1', 'kind Deployment 1', '~ web']],
  ])('filters by %s', async (_what, text, lines) => {
    const user = renderPlan();
    await user.type(screen.getByTestId('tree-filter'), text);
    expect(treeLines()).toEqual(lines);
  });

  it('says when nothing matches the filter', async () => {
    const user = renderPlan();
    await user.type(screen.getByTestId('tree-filter'), 'no-such-thing');
    expect(screen.getByText('No resource matches the filter.')).toBeTruthy();
  });

  it('goes to the next or previous resource with j/k and ↓/↑ and opens it: the cursor and the open resource are one row', async () => {
    const user = renderPlan();
    act(() => screen.getByRole('tree').focus());
    // The cursor starts on the resource opened first.
    expect([cursorRow(), selectedRow(), openedTitle()]).toEqual(['shop', 'shop', 'Namespace shop']);
    await user.keyboard('j');
    expect([cursorRow(), selectedRow(), openedTitle()]).toEqual(['api', 'api', 'Service billing/api']);
    expect((await screen.findByTestId('diff-after')).textContent).toContain('name: api');
    await user.keyboard('{ArrowDown}');
    expect([cursorRow(), selectedRow(), openedTitle()]).toEqual(['web-config', 'web-config', 'ConfigMap shop/web-config']);
    await user.keyboard('k');
    expect([cursorRow(), openedTitle()]).toEqual(['api', 'Service billing/api']);
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect([cursorRow(), openedTitle()]).toEqual(['shop', 'Namespace shop']);

    await user.keyboard('{End}');
    expect([cursorRow(), selectedRow(), openedTitle()]).toEqual(['old-token', 'old-token', 'Secret shop/old-token']);
    expect(screen.getByTestId('diff-before').textContent).toContain('name: old-token');
    expect(screen.getByTestId('diff-after').textContent).toBe('');
    await user.keyboard('{Home}');
    expect([cursorRow(), openedTitle()]).toEqual(['shop', 'Namespace shop']);
  });

  it('goes from a resource to its kind and namespace with ←, folding each, unfolds with →, folds with Enter', async () => {
    const user = renderPlan();
    act(() => screen.getByRole('tree').focus());
    await user.keyboard('j');
    expect(cursorRow()).toBe('api');
    await user.keyboard('{ArrowLeft}');
    expect(cursorRow()).toBe('Service');
    await user.keyboard('{ArrowLeft}');
    expect(treeLines().slice(3, 6)).toEqual(['ns billing 1', 'kind Service 1', 'ns shop 4']);
    await user.keyboard('{ArrowLeft}');
    expect(cursorRow()).toBe('billing');
    await user.keyboard('{Enter}');
    expect(treeLines().slice(3, 5)).toEqual(['ns billing 1', 'ns shop 4']);
    await user.keyboard('{ArrowRight}');
    expect(treeLines().slice(3, 6)).toEqual(['ns billing 1', 'kind Service 1', 'ns shop 4']);
    // A folded group's resources are passed over.
    await user.keyboard('j');
    expect([cursorRow(), openedTitle()]).toEqual(['web-config', 'ConfigMap shop/web-config']);
  });

  it('takes the focus when a plan arrives, and / goes to the filter, Enter back to the list, Escape clears it', async () => {
    const user = renderPlan();
    expect(document.activeElement).toBe(screen.getByRole('tree'));
    await user.keyboard('/');
    expect(document.activeElement).toBe(screen.getByTestId('tree-filter'));
    await user.keyboard('secret{Enter}');
    expect(document.activeElement).toBe(screen.getByRole('tree'));
    expect(treeLines()).toEqual(['ns shop 1', 'kind Secret 1', '− old-token']);
    expect(openedTitle()).toBe('Secret shop/old-token');
    await user.keyboard('/{Escape}');
    expect((screen.getByTestId('tree-filter') as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(screen.getByRole('tree'));
    expect(treeLines()).toHaveLength(14);
  });

  it('j/k work from anywhere on the page but a field, and bring the focus back to the list', async () => {
    const user = renderPlan();
    act(() => (document.activeElement as HTMLElement).blur());
    await user.keyboard('j');
    expect(openedTitle()).toBe('Service billing/api');
    expect(document.activeElement).toBe(screen.getByRole('tree'));
    // In a field, j is a letter.
    await user.click(screen.getByTestId('tree-filter'));
    await user.keyboard('j');
    expect((screen.getByTestId('tree-filter') as HTMLInputElement).value).toBe('j');
    expect(document.activeElement).toBe(screen.getByTestId('tree-filter'));
  });

  it('opens a resource on click, and folds a group on click', async () => {
    const user = renderPlan();
    await user.click(screen.getByText('web-flags'));
    expect(openedTitle()).toBe('ConfigMap shop/web-flags');
    await user.click(within(screen.getByRole('tree')).getByText('ConfigMap'));
    expect(treeLines()).not.toContain('~ web-flags');
    expect(screen.getByText('1 changed field')).toBeTruthy();
  });

  it('lists diagnostics with the file and line they point at', () => {
    renderPlan(
      plan([], {
        diagnostics: [{ severity: 'error', code: 'yaml-syntax', message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented', location: { file: 'apps/web/config.yaml', documentIndex: 0, line: 12, column: 3 } }],
      }),
    );
    const diagnostics = screen.getByTestId('plan-diagnostics');
    expect(diagnostics.hasAttribute('open')).toBe(true);
    expect(diagnostics.textContent).toContain('yaml-syntax');
    expect(diagnostics.textContent).toContain('invalid YAML: Flow sequence');
    expect(diagnostics.textContent).toContain('apps/web/config.yaml:12:3');
  });
});
