/**
 * Settings: the tools SOPS and Jsonnet apps need (sops, jsonnet), the age key file sops decrypts
 * with, and the chart repository credentials file — each shown as saved, sent to the engine as
 * typed, cleared back to the default; the credentials file by its path only.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { settingsResultSchema, type SettingsResult } from '../../../core/api/contract.js';
import { App } from '../App.js';
import { SETTINGS } from '../testing/fixtures.js';
import { EngineError } from '../host.js';
import { renderWithHost, testHost } from '../testing/host.js';

const SAVED: SettingsResult = {
  ...SETTINGS,
  settings: { ...SETTINGS.settings, tools: { helm: '/opt/helm/helm', sops: '/opt/sops/sops', jsonnet: '/opt/jsonnet/jsonnet', sopsAgeKeyFile: '/home/me/age/keys.txt', chartCredentialsFile: '/home/me/charts/credentials.yaml' } },
};

async function openSettings(saved: SettingsResult) {
  const host = testHost({ getSettings: () => saved, saveSettings: (s) => settingsResultSchema.parse({ ...saved, settings: { ...saved.settings, ...s } }) });
  renderWithHost(<App />, host);
  const user = userEvent.setup();
  // The settings are read when the app starts: wait for them before opening the dialog.
  await waitFor(() => expect(host.requests('getSettings').length).toBeGreaterThan(0));
  await user.click(await screen.findByTestId('open-settings'));
  const dialog = await screen.findByTestId('settings-dialog');
  return { host, user, dialog };
}

const field = (dialog: HTMLElement, testId: string): HTMLInputElement => within(dialog).getByTestId<HTMLInputElement>(testId);

describe('Settings: sops, jsonnet, the age key file and the chart credentials file', () => {
  it('shows the saved paths, each under its own label', async () => {
    const { dialog } = await openSettings(SAVED);
    await waitFor(() => expect(field(dialog, 'setting-sops').value).toBe('/opt/sops/sops'));
    expect(field(dialog, 'setting-jsonnet').value).toBe('/opt/jsonnet/jsonnet');
    expect(field(dialog, 'setting-sops-age-key-file').value).toBe('/home/me/age/keys.txt');
    expect(field(dialog, 'setting-chart-credentials-file').value).toBe('/home/me/charts/credentials.yaml');
    expect(field(dialog, 'setting-sops-age-key-file').closest('label')?.textContent).toContain('Age key file');
    expect(field(dialog, 'setting-chart-credentials-file').closest('label')?.textContent).toContain('Chart credentials');
  });

  it('sends each path to the engine as typed; a cleared field is left out (the default: PATH, sops\' own key lookup, $SLIPWAY_CHART_CREDENTIALS)', async () => {
    const { host, user, dialog } = await openSettings({ ...SETTINGS, settings: { ...SETTINGS.settings, tools: { jsonnet: '/old/jsonnet', sopsAgeKeyFile: '/old/keys.txt' } } });
    await user.type(field(dialog, 'setting-sops'), '  /usr/local/bin/sops ');
    await user.type(field(dialog, 'setting-chart-credentials-file'), '/etc/slipway/charts.yaml');
    await user.clear(field(dialog, 'setting-jsonnet'));
    await user.type(field(dialog, 'setting-jsonnet'), '/usr/local/bin/jsonnet');
    await user.clear(field(dialog, 'setting-sops-age-key-file'));
    await user.click(within(dialog).getByTestId('save-settings'));
    await waitFor(() => expect(screen.queryByTestId('settings-dialog')).toBeNull());
    expect(host.requests('saveSettings')).toHaveLength(1);
    expect(host.requests('saveSettings')[0]!.tools).toEqual({ sops: '/usr/local/bin/sops', jsonnet: '/usr/local/bin/jsonnet', chartCredentialsFile: '/etc/slipway/charts.yaml' });
  });

  it('the saved paths come back when the dialog opens again', async () => {
    const { user, dialog } = await openSettings(SETTINGS);
    await user.type(field(dialog, 'setting-sops-age-key-file'), '/keys/age.txt');
    await user.type(field(dialog, 'setting-chart-credentials-file'), '/keys/charts.yaml');
    await user.click(within(dialog).getByTestId('save-settings'));
    await waitFor(() => expect(screen.queryByTestId('settings-dialog')).toBeNull());
    await user.click(screen.getByTestId('open-settings'));
    const again = await screen.findByTestId('settings-dialog');
    expect(field(again, 'setting-sops-age-key-file').value).toBe('/keys/age.txt');
    expect(field(again, 'setting-chart-credentials-file').value).toBe('/keys/charts.yaml');
  });

  it('the chart credentials file is a path: the dialog asks the engine for nothing but the settings, and shows nothing of the file', async () => {
    const { host, dialog } = await openSettings(SAVED);
    await waitFor(() => expect(field(dialog, 'setting-chart-credentials-file').value).toBe('/home/me/charts/credentials.yaml'));
    const before = host.calls.length;
    await userEvent.setup().click(field(dialog, 'setting-chart-credentials-file'));
    expect(host.calls.slice(before)).toEqual([]);
    expect(field(dialog, 'setting-chart-credentials-file').type).toBe('text');
    expect(dialog.textContent).toContain('only its path is kept here');
    expect(dialog.textContent).not.toMatch(/password|username|token/i);
  });
});

describe('Settings opened before the settings are read', () => {
  it('reads them first: the fields show what is saved, and a save keeps a setting the dialog had not shown yet', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const saved: SettingsResult = { ...SETTINGS, settings: { ...SETTINGS.settings, tools: { kustomize: '/opt/kustomize' } } };
    const host = testHost({
      getSettings: async () => {
        await gate;
        return saved;
      },
      saveSettings: (s) => settingsResultSchema.parse({ ...saved, settings: { ...saved.settings, ...s } }),
    });
    renderWithHost(<App />, host);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-settings'));
    expect(await screen.findByTestId('settings-reading')).toBeTruthy();
    expect(screen.queryByTestId('save-settings')).toBeNull();
    release();
    await screen.findByTestId('setting-kustomize');
    const dialog = screen.getByTestId('settings-dialog');
    expect(field(dialog, 'setting-kustomize').value).toBe('/opt/kustomize');
    await user.type(field(dialog, 'setting-sops'), '/opt/sops');
    await user.click(within(dialog).getByTestId('save-settings'));
    await waitFor(() => expect(host.requests('saveSettings')).toHaveLength(1));
    expect(host.requests('saveSettings')[0]!.tools).toEqual({ kustomize: '/opt/kustomize', sops: '/opt/sops' });
  });

  it('settings that cannot be read: the dialog says why and offers no Save (which would overwrite them with blanks)', async () => {
    const host = testHost({
      getSettings: () => {
        throw new EngineError({ code: 'engine-closed', message: 'the engine is shutting down' });
      },
    });
    renderWithHost(<App />, host);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('open-settings'));
    const dialog = await screen.findByTestId('settings-dialog');
    await waitFor(() => expect(dialog.textContent).toContain('Cannot read the settings'));
    expect(dialog.textContent).toContain('the engine is shutting down');
    expect(within(dialog).queryByTestId('save-settings')).toBeNull();
    expect(host.requests('saveSettings')).toEqual([]);
  });
});
