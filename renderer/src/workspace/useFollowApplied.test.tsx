/**
 * After a rollback (or revert) applied, the Revision and App fields show what the cluster runs, so
 * the next Plan — in any context — plans that, not the release that was rolled back.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../core/api/contract.js';
import { COMMITS, REPO, plan, change, runDetails } from '../testing/fixtures.js';
import { renderWithHost, testHost, type Handlers, type TestHost } from '../testing/host.js';
import { Workspace } from '../components/Workspace.js';

beforeEach(() => localStorage.clear());

const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
/** What the engine makes of "Roll back to this" on run-0001, here of a commit tagged v1.0.0. */
const ROLLBACK: Plan = { ...plan([change('update', web, { changedPaths: ['spec.replicas'] })], { id: 'plan-0000000000000a01', commit: COMMITS.first }), inputs: { ...plan([]).inputs, commit: COMMITS.first, mode: { kind: 'rollback', to: 'run-0001' } } };
const REVERT: Plan = { ...ROLLBACK, id: 'plan-0000000000000a02', inputs: { ...ROLLBACK.inputs, commit: COMMITS.head, mode: { kind: 'revert', of: 'run-0002' } } };

async function applyFromHistory(kind: 'rollback' | 'revert', runId: string, handlers: Handlers = {}): Promise<{ host: TestHost; user: ReturnType<typeof userEvent.setup> }> {
  const host = testHost({ planRollback: () => ROLLBACK, planRevert: () => REVERT, ...handlers });
  renderWithHost(<Workspace />, host);
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('repo-path'), REPO.dir);
  await user.click(screen.getByTestId('open-repo'));
  const selector = await screen.findByTestId<HTMLSelectElement>('app-selector');
  await waitFor(() => expect(selector.disabled).toBe(false));
  await user.selectOptions(selector, 'app:web');
  expect(screen.getByTestId('revision-picker').textContent).toContain('main');
  await user.click(screen.getByTestId('tab-history'));
  const rows = await screen.findAllByTestId('history-run');
  await user.click(rows.find((r) => r.dataset.runId === runId)!);
  await waitFor(() => expect(screen.getByTestId('run-details').dataset.runId).toBe(runId));
  await user.click(screen.getByTestId(kind === 'rollback' ? 'rollback-to-run' : 'revert-run'));
  await screen.findByTestId('preview-banner');
  await user.click(screen.getByTestId('apply-button'));
  await user.click(await screen.findByTestId('confirm-apply'));
  await screen.findByTestId('apply-progress');
  return { host, user };
}

describe('after a rollback or revert applied', () => {
  it('a rollback: the Revision field shows its commit (by its tag), and Plan in another context plans that', async () => {
    const { host, user } = await applyFromHistory('rollback', 'run-0001');
    host.emit({ type: 'apply-finished', runId: 'run-0003', status: 'succeeded', elapsedMs: 1000 });
    await waitFor(() => expect(screen.getByTestId('revision-picker').textContent).toContain('v1.0.0'));
    await user.click(screen.getByTestId('close-progress'));
    await user.click(screen.getByTestId('context-switcher'));
    await user.click(document.querySelector('[data-context=prod]')!);
    await user.click(screen.getByTestId('plan-button'));
    await waitFor(() => expect(host.requests('plan').at(-1)).toMatchObject({ rev: 'refs/tags/v1.0.0', context: 'prod', app: 'web' }));
  });

  it('a revert: the commit of the run before the one reverted, named by the engine when the list does not hold it', async () => {
    const older = 'e'.repeat(40);
    const { host } = await applyFromHistory('revert', 'run-0002', {
      runDetails: (r) => ({ ...runDetails(r.runId), ...(r.runId === 'run-0002' && { before: { runId: 'run-0000', commit: older } }) }),
      describeRevisions: (r) => ({ revisions: r.commits.filter((c) => c === older).map((c) => ({ commit: c, shortOid: 'eeeeeee', subject: 'storefront: scale up', tags: [], label: 'storefront: scale up (eeeeeee)' })) }),
    });
    host.emit({ type: 'apply-finished', runId: 'run-0003', status: 'progressing', elapsedMs: 1000 });
    await waitFor(() => expect(screen.getByTestId('revision-picker').textContent).toContain('storefront: scale up (eeeeeee)'));
  });

  it('a rollback that failed leaves the fields as they were', async () => {
    const { host } = await applyFromHistory('rollback', 'run-0001');
    host.emit({ type: 'apply-finished', runId: 'run-0003', status: 'failed', error: 'step 1 failed', elapsedMs: 1000 });
    await screen.findByText(/step 1 failed/);
    expect(host.requests('describeRevisions').filter((r) => r.commits.includes(COMMITS.first))).toEqual([]);
    expect(screen.getByTestId('revision-picker').textContent).toContain('main');
  });
});
