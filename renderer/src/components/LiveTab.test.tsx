/**
 * The Live tab in the workspace: it watches the pickers' app and context while it is open (and
 * stops when another tab is chosen), and after a successful apply "Open live view" shows the app
 * that apply applied, at its commit.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { COMMITS, REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost, type Handlers, type TestHost } from '../testing/host.js';
import { logsAnswer, watchAnswer } from '../testing/liveFixtures.js';
import { Workspace } from './Workspace.js';

beforeEach(() => localStorage.clear());

const LIVE: Handlers = {
  watchLiveTree: (r) => watchAnswer(r.streamId),
  stopLiveTree: () => ({ stopped: true }),
  startLogs: (r) => logsAnswer(r.streamId, r.container),
  stopLogs: () => ({ stopped: true }),
};

async function openWorkspace(): Promise<{ host: TestHost; user: ReturnType<typeof userEvent.setup> }> {
  const host = testHost(LIVE);
  renderWithHost(<Workspace />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  await user.selectOptions(selector, 'app:web');
  return { host, user };
}

describe('the Live tab', () => {
  it('watches the chosen app on the chosen context while it is open', async () => {
    const { host, user } = await openWorkspace();
    expect(host.requests('watchLiveTree')).toEqual([]);
    await user.click(screen.getByTestId('tab-live'));
    expect(screen.getByTestId('tab-live').getAttribute('aria-selected')).toBe('true');
    await screen.findByTestId('live-tree');
    expect(host.requests('watchLiveTree')).toEqual([{ streamId: expect.any(String), repoId: REPO.id, rev: 'refs/heads/main', app: 'web', context: 'staging' }]);
    await user.click(screen.getByTestId('tab-history'));
    await waitFor(() => expect(host.requests('stopLiveTree')).toEqual([{ streamId: host.requests('watchLiveTree')[0]!.streamId }]));
    expect(screen.queryByTestId('live-view')).toBeNull();
  });

  it('after a successful apply, "Open live view" shows the app it applied, at its commit', async () => {
    const { host, user } = await openWorkspace();
    await user.click(screen.getByTestId('plan-button'));
    await screen.findByTestId('plan-summary');
    await user.click(screen.getByTestId('apply-button'));
    await user.click(await screen.findByTestId('confirm-apply'));
    await screen.findByTestId('apply-progress');
    expect(screen.queryByTestId('open-live')).toBeNull(); // not while it runs
    host.emit({ type: 'apply-started', runId: 'run-0003', steps: 1, changes: 1 });
    host.emit({ type: 'apply-finished', runId: 'run-0003', status: 'succeeded', elapsedMs: 9_000 });
    await user.click(await screen.findByTestId('open-live'));
    await screen.findByTestId('live-tree');
    expect(host.requests('watchLiveTree')).toEqual([{ streamId: expect.any(String), repoId: REPO.id, rev: COMMITS.head, app: 'web', context: 'staging', namespace: 'shop' }]);
    // Back on the Plan tab the apply's result is still there.
    await user.click(screen.getByTestId('tab-plan'));
    expect(screen.getByTestId('apply-progress').dataset.status).toBe('succeeded');
  });

  it('a failed apply offers no live view', async () => {
    const { host, user } = await openWorkspace();
    await user.click(screen.getByTestId('plan-button'));
    await screen.findByTestId('plan-summary');
    await user.click(screen.getByTestId('apply-button'));
    await user.click(await screen.findByTestId('confirm-apply'));
    await screen.findByTestId('apply-progress');
    host.emit({ type: 'apply-finished', runId: 'run-0003', status: 'failed', error: 'step 1 failed', elapsedMs: 1_000 });
    await screen.findByTestId('close-progress');
    expect(screen.queryByTestId('open-live')).toBeNull();
  });
});
