/** Commits named by tag and subject where a revision is shown: History's rows and run, and the plan's header. */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../App.js';
import { COMMITS, REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';

const NAMES: Record<string, string> = {
  [COMMITS.head]: `v1.2.0 · storefront: scale up (${COMMITS.head.slice(0, 7)})`,
  [COMMITS.previous]: `Add readiness probes (${COMMITS.previous.slice(0, 7)})`,
};

async function openApp() {
  const host = testHost({ describeRevisions: (r) => ({ revisions: r.commits.filter((c) => NAMES[c]).map((c) => ({ commit: c, shortOid: c.slice(0, 7), subject: '', tags: [], label: NAMES[c]! })) }) });
  renderWithHost(<App />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  await user.selectOptions(selector, 'app:web');
  return { host, user };
}

describe('commit labels', () => {
  it("History's rows and a run's details show the tag and subject, asked for in one request", async () => {
    const { host, user } = await openApp();
    await user.click(screen.getByTestId('tab-history'));
    await waitFor(() => expect(screen.getAllByTestId('history-run').map((r) => within(r).getByTestId('commit-label').textContent)).toEqual([NAMES[COMMITS.head], NAMES[COMMITS.previous]]));
    expect(host.requests('describeRevisions')).toEqual([{ repoId: REPO.id, commits: [COMMITS.head, COMMITS.previous] }]);
    await user.click(screen.getAllByTestId('history-run')[1]!);
    await waitFor(() => expect(within(screen.getByTestId('run-details')).getByTestId('commit-label').textContent).toBe(NAMES[COMMITS.previous]));
  });

  it("the plan's header names its commit", async () => {
    const { user } = await openApp();
    await user.click(screen.getByTestId('plan-button'));
    const view = await screen.findByTestId('plan-view');
    await waitFor(() => expect(within(view).getByTestId('commit-label').textContent).toBe(NAMES[COMMITS.head]));
  });

  it('a commit the engine does not name (another repository) keeps its short id', async () => {
    const { user } = await openApp();
    await user.click(screen.getByTestId('tab-history'));
    const rows = await screen.findAllByTestId('history-run');
    await waitFor(() => expect(within(rows[0]!).getByTestId('commit-label').textContent).toBe(NAMES[COMMITS.head]));
    expect(within(rows[0]!).getByTestId('commit-label').title).toBe(COMMITS.head);
  });
});
