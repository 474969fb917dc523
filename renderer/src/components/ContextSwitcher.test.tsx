/** Picking a kubeconfig context: protected ones are marked, the list filters, the keyboard picks. */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CONTEXTS } from '../testing/fixtures.js';
import { renderWithHost } from '../testing/host.js';
import { ContextSwitcher } from './ContextSwitcher.js';

function renderSwitcher(value: string | null) {
  const onChange = vi.fn();
  const onReload = vi.fn();
  const view = renderWithHost(<ContextSwitcher list={CONTEXTS} value={value} onChange={onChange} onReload={onReload} />);
  return { onChange, onReload, view, user: userEvent.setup() };
}

const options = (): HTMLElement[] => within(screen.getByTestId('context-menu')).getAllByRole('option');

describe('ContextSwitcher', () => {
  it('marks a protected context in the button', () => {
    renderSwitcher('prod');
    const button = screen.getByTestId('context-switcher');
    expect(within(button).getByTestId('context-protected').textContent).toBe('protected');
    expect(button.querySelector('.text-error')?.textContent).toBe('prod');
    expect(button.title).toBe('prod: cluster gke-prod (https://prod.example.com), namespace shop');
  });

  it('does not mark an unprotected one', () => {
    renderSwitcher('staging');
    expect(screen.queryByTestId('context-protected')).toBeNull();
    expect(screen.getByTestId('context-switcher').querySelector('.text-error')).toBeNull();
  });

  it('lists every context with cluster, namespace and server, marking the protected and the current one', async () => {
    const { user } = renderSwitcher('dev');
    await user.click(screen.getByTestId('context-switcher'));
    expect(options().map((o) => [o.dataset.context, o.dataset.protected ?? '', within(o).queryByText('current') ? 'current' : ''])).toEqual([
      ['dev', '', 'current'],
      ['staging', '', ''],
      ['prod', 'true', ''],
    ]);
    const prod = options()[2]!;
    expect(within(prod).getByText('protected').className).toContain('pill-danger');
    expect(prod.textContent).toContain('cluster gke-prod · namespace shop');
    expect(prod.textContent).toContain('https://prod.example.com');
    expect(screen.getByText('from /home/me/.kube/config')).toBeTruthy();
  });

  it('filters as you type and picks with the keyboard', async () => {
    const { onChange, user } = renderSwitcher('dev');
    await user.click(screen.getByTestId('context-switcher'));
    await user.keyboard('gke');
    expect(options().map((o) => o.dataset.context)).toEqual(['staging', 'prod']);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(onChange).toHaveBeenCalledWith('prod');
    expect(screen.queryByTestId('context-menu')).toBeNull();
  });

  it('says when no context matches, and reloads the kubeconfig on request', async () => {
    const { onReload, user } = renderSwitcher('dev');
    await user.click(screen.getByTestId('context-switcher'));
    await user.keyboard('nothing-like-this');
    expect(screen.getByText('No context matches “nothing-like-this”.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Reload' }));
    expect(onReload).toHaveBeenCalledOnce();
  });
});
