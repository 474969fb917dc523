/**
 * A run's objects in History: hooks the run created are listed with the app's objects, each with
 * a "hook · <phase>" badge (they are no part of the app), under the name they ran with.
 */
import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ResourceKey } from '../../../core/api/contract.js';
import { REPO, runDetails, valid } from '../testing/fixtures.js';
import { renderWithHost, testHost } from '../testing/host.js';
import { HistoryView } from './HistoryView.js';

const job = (name: string): ResourceKey => ({ group: 'batch', version: 'v1', kind: 'Job', namespace: 'shop', name });

function withHooks(runId: string) {
  const run = runDetails(runId);
  const at = run.finishedAt!;
  return valid('runDetails', {
    ...run,
    objects: [
      { key: job('migrate-a1b2c3d-presync-1764000000'), action: 'create', outcome: 'healthy', wave: 0, hook: 'PreSync', message: 'Job completed', finishedAt: at },
      ...run.objects,
      { key: job('notify'), action: 'create', outcome: 'healthy', wave: 0, hook: 'PostSync', finishedAt: at },
    ],
  });
}

/** Rows as "Job shop/notify [hook · PostSync]" or "ConfigMap shop/web-config". */
const rows = (): string[] =>
  within(screen.getByTestId('run-objects'))
    .getAllByRole('row')
    .slice(1)
    .map((tr) => {
      const badge = within(tr).queryByTestId('hook-badge')?.textContent;
      return `${tr.dataset.key}${badge ? ` [${badge}]` : ''}`;
    });

describe('HistoryView', () => {
  it("marks the hooks of a run's objects with the phase they ran in", async () => {
    renderWithHost(<HistoryView repoId={REPO.id} app="web" context="staging" refreshKey={0} onPreview={vi.fn()} previewing={false} />, testHost({ runDetails: (r) => withHooks(r.runId) }));
    await screen.findByTestId('run-details');
    expect(rows()).toEqual(['Job shop/migrate-a1b2c3d-presync-1764000000 [hook · PreSync]', 'ConfigMap shop/web-config', 'Deployment shop/web', 'Job shop/notify [hook · PostSync]']);
    const hook = screen.getAllByTestId('hook-badge')[0]!;
    expect(hook.getAttribute('title')).toBe('A hook, run before anything of the app is applied: never part of the app, so a revert or rollback leaves it alone');
    expect(hook.closest('tr')?.dataset.hook).toBe('PreSync');
  });
});
