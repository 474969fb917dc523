/**
 * Settings: the three notification switches (drift, an apply that ended in the background, a
 * cluster unreachable) — shown as saved, sent to the engine as ticked, and Save asks for the
 * permission to notify while any is on (a user's gesture, as browsers want).
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settingsResultSchema, type SettingsResult } from '../../../core/api/contract.js';
import { App } from '../App.js';
import { SETTINGS } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';

/** A Notification API whose permission was not asked yet; records requestPermission calls. */
function fakeNotificationApi(): { asked: number } {
  const seen = { asked: 0 };
  const api = Object.assign(function FakeNotification() {}, {
    permission: 'default' as NotificationPermission,
    requestPermission: async () => {
      seen.asked++;
      return 'granted' as NotificationPermission;
    },
  });
  vi.stubGlobal('Notification', api);
  return seen;
}

afterEach(() => vi.unstubAllGlobals());

async function openSettings(saved: SettingsResult) {
  const host = testHost({ getSettings: () => saved, saveSettings: (s) => settingsResultSchema.parse({ ...saved, settings: { ...saved.settings, ...s } }) });
  renderWithHost(<App />, host);
  const user = userEvent.setup();
  await waitFor(() => expect(host.requests('getSettings').length).toBeGreaterThan(0));
  await user.click(await screen.findByTestId('open-settings'));
  const dialog = await screen.findByTestId('settings-dialog');
  return { host, user, dialog };
}

const box = (dialog: HTMLElement, testId: string): HTMLInputElement => within(dialog).getByTestId<HTMLInputElement>(testId);

describe('Settings: notifications', () => {
  it('shows the three switches in a Notifications group, as saved', async () => {
    const { dialog } = await openSettings({ ...SETTINGS, settings: { ...SETTINGS.settings, notifications: { drift: true, applyFinished: false, unreachable: true } } });
    const group = within(dialog).getByRole('group', { name: 'Notifications' });
    expect(within(group).getAllByRole('checkbox')).toHaveLength(3);
    await waitFor(() => expect(box(dialog, 'setting-notify-drift').checked).toBe(true));
    expect(box(dialog, 'setting-notify-apply').checked).toBe(false);
    expect(box(dialog, 'setting-notify-unreachable').checked).toBe(true);
    expect(box(dialog, 'setting-notify-drift').closest('label')?.textContent).toContain('Drift');
  });

  it('saves what is ticked, and asks for the permission to notify while any is on', async () => {
    const api = fakeNotificationApi();
    const { host, user, dialog } = await openSettings(SETTINGS);
    await user.click(box(dialog, 'setting-notify-drift'));
    await user.click(box(dialog, 'setting-notify-unreachable'));
    const before = api.asked; // the workspace asks too, while a notification is on
    await user.click(within(dialog).getByTestId('save-settings'));
    await waitFor(() => expect(host.requests('saveSettings')).toHaveLength(1));
    expect(host.requests('saveSettings')[0]!.notifications).toEqual({ drift: false, applyFinished: true, unreachable: false });
    expect(api.asked).toBe(before + 1);
  });

  it('does not ask for the permission when every notification is off', async () => {
    const api = fakeNotificationApi();
    const { host, user, dialog } = await openSettings({ ...SETTINGS, settings: { ...SETTINGS.settings, notifications: { drift: false, applyFinished: true, unreachable: false } } });
    await user.click(box(dialog, 'setting-notify-apply'));
    const before = api.asked;
    await user.click(within(dialog).getByTestId('save-settings'));
    await waitFor(() => expect(host.requests('saveSettings')).toHaveLength(1));
    expect(host.requests('saveSettings')[0]!.notifications).toEqual({ drift: false, applyFinished: false, unreachable: false });
    expect(api.asked).toBe(before);
  });
});
