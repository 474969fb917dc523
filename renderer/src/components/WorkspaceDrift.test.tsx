/**
 * The drift badge in the workspace: beside the tabs, for the pickers' app and context (a new
 * stream when the context changes); "Plan to fix drift" plans that app on that context with the
 * normal plan.
 */
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { driftedObject, driftReport } from '../testing/drift.js';
import { REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost, type TestHost } from '../testing/host.js';
import { Workspace } from './Workspace.js';

async function openWorkspace(): Promise<{ host: TestHost; user: ReturnType<typeof userEvent.setup> }> {
  const host = testHost({ watchDrift: (r) => ({ streamId: r.streamId, report: { ...driftReport([driftedObject('Service', 'web', 'in-sync')]), context: r.context } }) });
  renderWithHost(<Workspace />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  await user.selectOptions(selector, 'app:web');
  return { host, user };
}

describe('drift in the workspace', () => {
  it('shows the chosen app’s drift beside the tabs, and "Plan to fix drift" plans it on that context', async () => {
    const { host, user } = await openWorkspace();
    await waitFor(() => expect(screen.getByTestId('drift-badge').textContent).toBe('In sync'));
    expect(screen.getByTestId('drift-status').closest('nav')?.getAttribute('aria-label')).toBe('Views');
    // The app picked brings its context (staging): the stream of the earlier choice was stopped.
    await waitFor(() => expect(host.requests('watchDrift').at(-1)?.context).toBe('staging'));
    const request = host.requests('watchDrift').at(-1);
    expect(request).toEqual({ streamId: expect.any(String), repoId: REPO.id, rev: 'refs/heads/main', app: 'web', context: 'staging' });
    await waitFor(() => expect(host.requests('stopDrift')).toEqual(host.requests('watchDrift').slice(0, -1).map((r) => ({ streamId: r.streamId }))));

    act(() => host.emit({ type: 'drift', streamId: request!.streamId, report: driftReport([driftedObject('Deployment', 'web', 'drifted', ['spec.replicas'])]) }));
    expect(screen.getByTestId('drift-badge').textContent).toBe('Drift: 1 object');
    await user.click(screen.getByTestId('plan-fix-drift'));
    await waitFor(() => expect(host.requests('plan')).toHaveLength(1));
    expect(host.requests('plan')[0]).toMatchObject({ repoId: REPO.id, rev: 'refs/heads/main', app: 'web', context: 'staging' });
    await screen.findByTestId('plan-summary');
  });
});
