/**
 * The keyboard across the workspace, against the in-memory host: Ctrl+Enter plans from any field
 * and hands the focus to the plan, j opens the next resource, ? lists every shortcut of the table,
 * Ctrl+Shift+Enter opens the apply confirmation (never applies by itself, never without a plan).
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../App.js';
import { SHORTCUTS } from '../shortcuts.js';
import { REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost, type TestHost } from '../testing/host.js';
import { ShortcutHelp } from './ShortcutHelp.js';

beforeEach(() => localStorage.clear());

async function openWorkspace(): Promise<{ host: TestHost; user: ReturnType<typeof userEvent.setup> }> {
  const host = testHost();
  renderWithHost(<App />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  await user.selectOptions(selector, 'app:web');
  return { host, user };
}

const openedTitle = (): string => screen.getByTestId('change-view').querySelector('h2')?.textContent ?? '';

describe('keyboard shortcuts', () => {
  it('Ctrl+Enter plans from inside a field; the plan takes the focus, and j opens the next resource', async () => {
    const { host, user } = await openWorkspace();
    await user.click(screen.getByTestId('namespace-input'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect((await screen.findByTestId('plan-summary')).textContent).toBe('3 to add · 2 to change · 1 to destroy');
    expect(host.requests('plan')).toHaveLength(1);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('tree')));
    expect(openedTitle()).toBe('Namespace shop');
    await user.keyboard('j');
    expect(openedTitle()).toBe('Service billing/api');
  });

  it('Ctrl+Shift+Enter opens the apply confirmation and sends nothing; before a plan it does nothing', async () => {
    const { host, user } = await openWorkspace();
    await user.keyboard('{Control>}{Shift>}{Enter}{/Shift}{/Control}');
    expect(screen.queryByTestId('apply-dialog')).toBeNull();
    expect(host.requests('plan')).toHaveLength(0);

    await user.click(screen.getByTestId('plan-button'));
    await screen.findByTestId('plan-summary');
    await user.keyboard('{Control>}{Shift>}{Enter}{/Shift}{/Control}');
    expect(await screen.findByTestId('apply-dialog')).toBeTruthy();
    expect(host.requests('apply')).toHaveLength(0);
    // Inside the dialog the shortcuts rest: a second press neither plans nor applies.
    await user.keyboard('{Control>}{Shift>}{Enter}{/Shift}{/Control}{Control>}{Enter}{/Control}');
    expect(host.requests('apply')).toHaveLength(0);
    expect(host.requests('plan')).toHaveLength(1);
  });

  it('? lists the shortcuts, also from the status bar; Escape closes the list; in a field ? is a character', async () => {
    const { user } = await openWorkspace();
    act(() => (document.activeElement as HTMLElement).blur()); // off the app picker
    await user.keyboard('?');
    const help = await screen.findByTestId('shortcut-help');
    expect(within(help).getAllByTestId('shortcut-row')).toHaveLength(SHORTCUTS.length);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('shortcut-help')).toBeNull();
    await user.click(screen.getByTestId('open-shortcuts'));
    expect(await screen.findByTestId('shortcut-help')).toBeTruthy();
    await user.keyboard('{Escape}');

    await user.click(screen.getByTestId('namespace-input'));
    await user.keyboard('?');
    expect(screen.queryByTestId('shortcut-help')).toBeNull();
  });
});

describe('ShortcutHelp', () => {
  it('shows each shortcut of the table with its keys as this platform writes them, by group', () => {
    renderWithHost(<ShortcutHelp onClose={() => undefined} mac={false} />);
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Plan and apply', 'Review', 'Resource list']);
    const rows = screen.getAllByTestId('shortcut-row').map((r) => [...r.querySelectorAll('kbd')].map((k) => k.textContent).join(' ') + ' — ' + r.querySelector('td')?.textContent);
    expect(rows.slice(0, 4)).toEqual([
      'Ctrl+Enter — Plan the chosen app, revision and context',
      'Ctrl+Shift+Enter — Apply… — opens the confirmation; nothing is applied without it',
      'j — Next resource, with its diff',
      'k — Previous resource, with its diff',
    ]);
    expect(rows).toContain('/ — Filter the resources by kind, name or namespace');
  });

  it('writes ⌘ on a Mac', () => {
    renderWithHost(<ShortcutHelp onClose={() => undefined} mac />);
    expect(screen.getAllByTestId('shortcut-row')[0]!.querySelector('kbd')?.textContent).toBe('⌘↵');
  });
});
