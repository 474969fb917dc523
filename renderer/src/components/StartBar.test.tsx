/**
 * The start screen: the recent repositories (kept by the engine in the settings, with their app),
 * and picking a repository's folder — the engine's folder list in browser mode, the desktop app's
 * own dialog where there is one.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { FolderList } from '../../../core/api/contract.js';
import { EngineError } from '../host.js';
import { REPO, SETTINGS } from '../testing/fixtures.js';
import { renderWithHost, testHost, type Handlers } from '../testing/host.js';
import { parentFolder } from './StartBar.js';
import { Workspace } from './Workspace.js';

const FOLDERS: Record<string, FolderList> = {
  '/home/me': { path: '/home/me', parent: '/home', home: '/home/me', repository: false, folders: [{ name: 'src', path: '/home/me/src', repository: false }] },
  '/home/me/src': { path: '/home/me/src', parent: '/home/me', home: '/home/me', repository: false, folders: [{ name: 'notes', path: '/home/me/src/notes', repository: false }, { name: 'shop', path: REPO.dir, repository: true }] },
};

function start(handlers: Handlers = {}) {
  const host = testHost({ listFolders: (r) => FOLDERS[r.path ?? '/home/me'] ?? (() => { throw new EngineError({ code: 'folder-not-found', message: `there is no folder ${r.path}` }); })(), ...handlers });
  renderWithHost(<Workspace />, host);
  return { host, user: userEvent.setup() };
}

describe('start screen', () => {
  it('lists the recent repositories from the settings, with their app; one click opens one', async () => {
    const recent = [{ dir: REPO.dir, app: 'web' }, { dir: '/home/me/src/infra' }];
    const { host, user } = start({ getSettings: () => ({ ...SETTINGS, settings: { ...SETTINGS.settings, recentRepositories: recent } }) });
    const list = await screen.findByTestId('recent-repositories');
    expect(within(list).getAllByTestId('recent-repository').map((b) => b.textContent)).toEqual([`shop ${REPO.dir} · web`, 'infra /home/me/src/infra']);
    expect(screen.getByTestId<HTMLInputElement>('repo-path').value).toBe(REPO.dir);
    await user.click(within(list).getAllByTestId('recent-repository')[0]!);
    await screen.findByTestId('app-selector');
    expect(host.requests('openRepository')).toEqual([{ path: REPO.dir }]);
    expect(host.requests('rememberRepository')[0]).toEqual({ dir: REPO.dir });
  });

  it('browser mode: picks the folder from the engine\'s list, from the home folder down to a repository, and opens it', async () => {
    const { host, user } = start();
    await user.click(await screen.findByTestId('browse-folders'));
    const browser = await screen.findByTestId('folder-browser');
    await waitFor(() => expect(within(browser).getByTestId('folder-current').textContent).toBe('/home/me'));
    await user.click(within(browser).getByText('src'));
    await waitFor(() => expect(within(browser).getByTestId('folder-current').textContent).toBe('/home/me/src'));
    const entries = within(browser).getAllByTestId('folder-entry');
    expect(entries.map((e) => [e.textContent, e.dataset.repository])).toEqual([
      ['📁 notes', undefined],
      ['▤ shopGit repositoryOpen', 'true'],
    ]);
    await user.click(within(entries[1]!).getByTestId('folder-open'));
    await screen.findByTestId('app-selector');
    expect(host.requests('listFolders')).toEqual([{}, { path: '/home/me/src' }]);
    expect(host.requests('openRepository')).toEqual([{ path: REPO.dir }]);
    expect(screen.queryByTestId('folder-browser')).toBeNull();
  });

  it('browser mode: starts next to the last repository, and at home when that folder is gone', async () => {
    const { host, user } = start({ getSettings: () => ({ ...SETTINGS, settings: { ...SETTINGS.settings, recentRepositories: [{ dir: '/home/me/gone/repo' }] } }) });
    await screen.findByTestId('recent-repositories');
    await user.clear(screen.getByTestId('repo-path'));
    await user.click(screen.getByTestId('browse-folders'));
    await waitFor(() => expect(screen.getByTestId('folder-current').textContent).toBe('/home/me'));
    expect(host.requests('listFolders')).toEqual([{ path: '/home/me/gone' }, {}]);
  });

  it('the desktop app: its own dialog, opened at the folder typed; cancelled, the typed folder stays', async () => {
    const chosen: Array<string | null> = [null, REPO.dir];
    const { host, user } = start({ engineInfo: () => ({ version: '0.1.0-test', platform: 'linux', transport: 'electron', folderDialog: 'native' }), chooseFolder: () => ({ path: chosen.shift() ?? null }) });
    await user.type(await screen.findByTestId('repo-path'), '/home/me/src');
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>('browse-folders').disabled).toBe(false));
    await user.click(screen.getByTestId('browse-folders'));
    await waitFor(() => expect(host.requests('chooseFolder')).toEqual([{ start: '/home/me/src' }]));
    expect(screen.getByTestId<HTMLInputElement>('repo-path').value).toBe('/home/me/src');
    expect(host.requests('openRepository')).toEqual([]);
    await user.click(screen.getByTestId('browse-folders'));
    await screen.findByTestId('app-selector');
    expect(host.requests('openRepository')).toEqual([{ path: REPO.dir }]);
    expect(host.requests('listFolders')).toEqual([]);
  });

  it('"Open another…" in the workspace goes back to the start screen', async () => {
    const { user } = start();
    await user.type(await screen.findByTestId('repo-path'), REPO.dir);
    await user.click(screen.getByTestId('open-repo'));
    await user.click(await screen.findByTestId('open-another-repo'));
    expect(await screen.findByTestId('repo-path')).toBeTruthy();
  });
});

describe('parentFolder', () => {
  it.each([
    ['/home/me/src/infra', '/home/me/src'],
    ['/infra', '/'],
    ['C:\\src\\infra', 'C:\\src'],
    ['infra', undefined],
  ])('%s → %s', (dir, parent) => {
    expect(parentFolder(dir)).toBe(parent);
  });
});
