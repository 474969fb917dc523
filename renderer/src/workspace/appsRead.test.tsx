/**
 * Plan waits for the revision's apps: an app given at start-up (`--app`) is chosen at once, but its
 * options (prune, createNamespace) come with the list, so planning before the list is read would
 * make a plan that is stale on arrival.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, expect, it } from 'vitest';
import { App } from '../App.js';
import { APPS, REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';

beforeEach(() => localStorage.clear());

it('keeps Plan disabled until the apps of the revision are read, then plans with the app\'s own options', async () => {
  let release: () => void = () => undefined;
  const appsRead = new Promise<void>((resolve) => (release = resolve));
  const host = testHost({
    getStartup: () => ({ repository: REPO.dir, app: 'web', context: 'staging' }),
    listApps: async () => {
      await appsRead;
      return APPS;
    },
  });
  renderWithHost(<App />, host);
  const plan = await screen.findByTestId<HTMLButtonElement>('plan-button');
  await waitFor(() => expect(host.requests('listApps').length).toBeGreaterThan(0));
  expect(plan.disabled).toBe(true);
  release();
  await waitFor(() => expect(plan.disabled).toBe(false));
  await userEvent.setup().click(plan);
  await waitFor(() => expect(host.requests('plan')).toHaveLength(1));
  expect(host.requests('plan')[0]).toMatchObject({ app: 'web', prune: true });
});
