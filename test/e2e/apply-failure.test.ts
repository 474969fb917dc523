/**
 * A failed apply in the browser says which Pod and why, and offers the way back first: against
 * the real local cluster with the demo repository, v1.2.0 is applied (the last good run), then the
 * bad release v2.0.0, whose Pods ask for 250 CPUs. While the rollout waits, the Deployment's row
 * says its Pods are Pending on "Insufficient cpu (FailedScheduling)" and names one; when the
 * progress deadline fails it, the view counts what did not finish and offers "Roll back to v1.2.0"
 * (the last good run, by its tag) first, then "Revert this run", with "Back to the plan" second; Roll back opens the
 * rollback preview, which applies and recovers the app; History keeps the failed run with its reason.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDemoRepo, DEMO_APP, type DemoRepo } from '../demo/sample-repo.js';
import { cleanUp } from '../support/cleanup.js';
import { kubectlRunner } from '../support/kubectl.js';
import { closeUi, openUi, pickRevision, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-fail-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

let tmp: string;
let demo: DemoRepo;
let ui: UiSession;
let page: Page;

/** Apply… → Apply, and the run's id once it is shown. */
async function startApply(): Promise<string> {
  await expect.poll(() => page.getByTestId('apply-button').isEnabled()).toBe(true);
  await page.getByTestId('apply-button').click();
  await page.getByTestId('confirm-apply').click();
  await expect.poll(() => page.getByTestId('apply-progress').getAttribute('data-run-id')).toBeTruthy();
  return (await page.getByTestId('apply-progress').getAttribute('data-run-id'))!;
}

const status = (): Promise<string | null> => page.getByTestId('apply-progress').getAttribute('data-status');
const deploymentRow = (): ReturnType<Page['locator']> => page.locator(`[data-testid=apply-object][data-key="Deployment ${ns}/storefront"]`);
/** The header's buttons in order, "(primary)" marking the primary ones. */
const headButtons = (): Promise<string[]> => page.locator('.progress-head button').evaluateAll((bs) => bs.map((b) => `${(b.textContent ?? '').trim()}${b.classList.contains('primary') ? ' (primary)' : ''}`));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-fail-'));
  demo = buildDemoRepo({ dir: join(tmp, 'storefront-gitops'), namespace: ns });
  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined });
  page = ui.page;
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-apply-failure', ctx, ui));

afterAll(async () => {
  await cleanUp([() => closeUi(ui), () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('a failed apply in the browser: why, and the way back', () => {
  it('applies v1.2.0: the last good run', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(demo.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe(`app:${DEMO_APP}`);
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await pickRevision(page, demo.commits['v1.2.0']!);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('5 to add · 0 to change · 0 to destroy');
    await startApply();
    await expect.poll(status, { timeout: 120_000 }).toBe('succeeded');
    await page.getByTestId('close-progress').click();
  }, 180_000);

  it('the bad release: the waiting row names the Pending Pods and why, live', async () => {
    await pickRevision(page, demo.commits['v2.0.0']!);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await startApply();
    // Read in one go: the row is waiting and says why (before the 20 s progress deadline fails it).
    const waitingRow = (): Promise<string> => deploymentRow().evaluate((r) => `${r.getAttribute('data-state')}: ${r.querySelector('.object-message')?.textContent ?? ''}`).catch(() => '');
    await expect.poll(waitingRow, { timeout: 20_000 }).toMatch(new RegExp(`^waiting: .*Pods Pending: 0/\\d+ nodes are available: \\d+ Insufficient cpu \\(FailedScheduling\\), e\\.g\\. ${ns}/storefront-[a-z0-9]+-[a-z0-9]{5}`));
  }, 120_000);

  it('after it failed: the reason stays on the row, the count says what did not finish, and Roll back comes first', async () => {
    await expect.poll(status, { timeout: 90_000 }).toBe('failed');
    expect(await deploymentRow().getAttribute('data-state')).toBe('failed');
    expect(await deploymentRow().locator('.object-message').textContent()).toMatch(/ProgressDeadlineExceeded: .*; \d Pods? Pending: 0\/\d+ nodes are available: \d+ Insufficient cpu \(FailedScheduling\)/);
    expect(await page.getByTestId('apply-error').textContent()).toContain('Insufficient cpu (FailedScheduling)');
    expect(await page.getByTestId('apply-count').textContent()).toMatch(/^Failed: 1 of 1 change did not finish/);
    const good = demo.commits['v1.2.0']!.slice(0, 7);
    await expect.poll(headButtons).toEqual(['Roll back to v1.2.0 (primary)', 'Revert this run', 'Show in History', 'Back to the plan']);
    expect(await page.getByTestId('recovery-hint').textContent()).toMatch(new RegExp(`^The cluster is as this run left it\\. Roll back to .*${good}.* or revert this run`));
  }, 120_000);

  it('Roll back opens the rollback preview of v1.2.0, which applies and recovers the app', async () => {
    await page.getByTestId('rollback-last-good').click();
    await expect.poll(() => page.getByTestId('preview-banner').getAttribute('data-kind'), { timeout: 60_000 }).toBe('rollback');
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await startApply();
    await expect.poll(status, { timeout: 120_000 }).toBe('succeeded');
    expect(kubectl(['get', 'deployment', 'storefront', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].resources.requests.cpu}'])).toBe('100m');
  }, 180_000);

  it("History keeps the reason: the failed run's error and its Deployment's row (unhealthy) name the Pending Pods", async () => {
    await page.getByTestId('tab-history').click();
    const runs = page.getByTestId('history-run');
    await expect.poll(() => runs.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).toEqual(['succeeded', 'failed', 'succeeded']);
    await runs.nth(1).click();
    const details = page.getByTestId('run-details');
    await expect.poll(() => details.getAttribute('data-run-id')).toBe(await runs.nth(1).getAttribute('data-run-id'));
    expect(await details.locator('.result-banner.status-failed').textContent()).toContain('Insufficient cpu (FailedScheduling)');
    const row = details.locator(`[data-testid=run-objects] tr[data-key="Deployment ${ns}/storefront"]`);
    expect(await row.getAttribute('data-outcome')).toBe('unhealthy');
    expect(await row.locator('td').last().textContent()).toMatch(new RegExp(`Pods? Pending: 0/\\d+ nodes are available: \\d+ Insufficient cpu \\(FailedScheduling\\), e\\.g\\. ${ns}/storefront-`));
  }, 60_000);

  it('raised no page errors', () => {
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
