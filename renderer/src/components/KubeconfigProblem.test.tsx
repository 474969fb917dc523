/** No kubeconfig: a kind message and the way to Settings' kubeconfig field, not "no kubeconfig file found" in a menu. */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ContextList } from '../../../core/api/contract.js';
import { App } from '../App.js';
import { EngineError } from '../host.js';
import { CONTEXTS, REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost, type Handlers } from '../testing/host.js';

async function openApp(handlers: Handlers) {
  const host = testHost(handlers);
  renderWithHost(<App />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  await screen.findByTestId('app-selector');
  return { host, user };
}

describe('no kubeconfig', () => {
  it('says none was found and where Slipway looked; the button opens Settings at the kubeconfig field; saved, the contexts are read again', async () => {
    let contexts: ContextList = { contexts: [], files: [], diagnostics: [] };
    const { host, user } = await openApp({ listContexts: () => contexts });
    const notice = await screen.findByTestId('no-kubeconfig');
    expect(notice.textContent).toContain('No kubeconfig found.');
    expect(notice.textContent).toContain('~/.kube/config');
    await user.click(screen.getByTestId('kubeconfig-settings'));
    const field = await screen.findByTestId<HTMLInputElement>('setting-kubeconfig');
    expect(document.activeElement).toBe(field);
    contexts = CONTEXTS;
    await user.type(field, '/home/me/kube.yaml');
    await user.click(screen.getByTestId('save-settings'));
    await waitFor(() => expect(screen.queryByTestId('no-kubeconfig')).toBeNull());
    expect(host.requests('saveSettings').at(-1)).toMatchObject({ kubeconfig: '/home/me/kube.yaml' });
    expect(host.requests('listContexts').length).toBeGreaterThan(1);
  });

  it("a kubeconfig path in Settings that does not exist: the engine's error, and the same way to fix it", async () => {
    const { user } = await openApp({
      listContexts: () => {
        throw new EngineError({ code: 'kubeconfig-not-found', message: 'kubeconfig /home/me/old.yaml does not exist', location: { file: '/home/me/old.yaml' } });
      },
    });
    expect((await screen.findByTestId('kubeconfig-failed')).textContent).toContain('kubeconfig /home/me/old.yaml does not exist');
    await user.click(screen.getByTestId('kubeconfig-settings'));
    expect(document.activeElement).toBe(await screen.findByTestId('setting-kubeconfig'));
  });

  it('another failure (no cluster answers) has no Settings button', async () => {
    await openApp({
      listContexts: () => {
        throw new EngineError({ code: 'internal', message: 'boom' });
      },
    });
    await screen.findByTestId('kubeconfig-failed');
    expect(screen.queryByTestId('kubeconfig-settings')).toBeNull();
  });
});
