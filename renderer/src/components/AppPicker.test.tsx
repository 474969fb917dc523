/**
 * The workspace's app picker offers what `slipway apps` lists: the apps of the repository, or, when
 * it defines none, the folders that look like apps, each planned as a folder app by its path.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AppList } from '../../../core/api/contract.js';
import { REPO, valid } from '../testing/fixtures.js';
import { renderWithHost, testHost, type TestHost } from '../testing/host.js';
import { Workspace } from './Workspace.js';

beforeEach(() => localStorage.clear());

const NO_APPS = { apps: [], configured: false, diagnostics: [] };

async function openWith(list: AppList): Promise<{ host: TestHost; user: ReturnType<typeof userEvent.setup>; selector: HTMLSelectElement }> {
  const host = testHost({ listApps: () => valid('listApps', list) });
  renderWithHost(<Workspace />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  return { host, user, selector };
}

const options = (selector: HTMLSelectElement): Array<[string, string]> => [...selector.options].map((o) => [o.value, o.textContent ?? '']);

describe('app picker', () => {
  it.each<[string, AppList, Array<[string, string]>, string]>([
    [
      'a repository laid out as apps: its folders, none picked (the user is asked)',
      { ...NO_APPS, folders: [{ path: 'guestbook', sourceType: 'directory' }, { path: 'helm-guestbook', sourceType: 'helm' }, { path: 'kustomize-guestbook', sourceType: 'kustomize' }] },
      [
        ['', 'Choose one of 3 apps…'],
        ['path:guestbook', 'guestbook (directory folder)'],
        ['path:helm-guestbook', 'helm-guestbook (helm folder)'],
        ['path:kustomize-guestbook', 'kustomize-guestbook (kustomize folder)'],
        ['folder:', 'Another folder…'],
      ],
      '',
    ],
    [
      'plain manifests: the whole repository first, then its folders, none picked',
      { ...NO_APPS, folders: [{ path: '', sourceType: 'directory' }, { path: 'apps/web', sourceType: 'directory' }] },
      [
        ['', 'Choose one of 2 apps…'],
        ['path:', 'Whole repository (directory)'],
        ['path:apps/web', 'apps/web (directory folder)'],
        ['folder:', 'Another folder…'],
      ],
      '',
    ],
    ['an engine that sends no folders: the whole repository', NO_APPS, [['path:', 'Whole repository (folder)'], ['folder:', 'Another folder…']], 'path:'],
    [
      'defined apps win over folders',
      { ...NO_APPS, configured: true, apps: [{ name: 'web', path: 'apps/web', sourceType: 'kustomize', origin: { kind: 'slipway.yaml', file: 'slipway.yaml', line: 3 }, prune: false, protected: false }], folders: [{ path: 'apps/web', sourceType: 'kustomize' }] },
      [
        ['app:web', 'web — apps/web'],
        ['folder:', 'Another folder…'],
      ],
      'app:web',
    ],
  ])('%s', async (_what, list, expected, picked) => {
    const { selector } = await openWith(list);
    expect(options(selector)).toEqual(expected);
    expect(selector.value).toBe(picked);
  });

  it('plans the folder picked from the list by its path', async () => {
    const { host, user, selector } = await openWith({ ...NO_APPS, folders: [{ path: 'guestbook', sourceType: 'directory' }, { path: 'helm-guestbook', sourceType: 'helm' }] });
    await user.selectOptions(selector, 'path:helm-guestbook');
    await user.click(screen.getByTestId('plan-button'));
    await screen.findByTestId('plan-summary');
    expect(host.requests('plan')).toEqual([{ repoId: REPO.id, rev: 'refs/heads/main', context: 'dev', path: 'helm-guestbook', prune: false, createNamespace: false, why: true }]);
  });

  it('asks among many apps: Plan waits for a choice, which is remembered with the repository', async () => {
    const many = { ...NO_APPS, folders: Array.from({ length: 17 }, (_, i) => ({ path: `fixtures/case-${i}`, sourceType: 'directory' as const })) };
    const { host, user, selector } = await openWith(many);
    expect(selector.value).toBe('');
    expect(selector.options[0]?.textContent).toBe('Choose one of 17 apps…');
    expect(screen.getByTestId<HTMLButtonElement>('plan-button').disabled).toBe(true);
    await user.selectOptions(selector, 'path:fixtures/case-3');
    expect(screen.getByTestId<HTMLButtonElement>('plan-button').disabled).toBe(false);
    await waitFor(() => expect(host.requests('rememberRepository')).toContainEqual({ dir: REPO.dir, path: 'fixtures/case-3' }));
  });

  it('picks the app last used in this repository', async () => {
    const many = { ...NO_APPS, folders: [{ path: 'a', sourceType: 'directory' as const }, { path: 'b', sourceType: 'directory' as const }] };
    const host = testHost({ listApps: () => valid('listApps', many), rememberRepository: (r) => ({ repositories: [{ dir: r.dir, path: 'b' }] }) });
    renderWithHost(<Workspace />, host);
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('repo-path'), REPO.dir);
    await user.click(screen.getByTestId('open-repo'));
    const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
    await waitFor(() => expect(selector.value).toBe('path:b'));
  });
});
