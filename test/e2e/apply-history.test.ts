/**
 * Applying from the UI, end to end, in browser mode against the real local cluster: plan the
 * first commit, apply it (the context is protected in the settings, so its name must be typed),
 * watch the progress reach success over the event WebSocket, apply the second commit, find both
 * runs in History, and roll back to the first through its plan preview.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { closeUi, diffSide as diffSideOf, openUi, pickRevision as pickRevisionOf, reportUiFailure, type UiSession } from './browser.js';
import { cleanUp } from '../support/cleanup.js';
import { kubectlRunner } from '../support/kubectl.js';
import { webDeployment } from '../support/web-deployment.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-apply-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const OLD_IMAGE = 'nginx:1.27.0';
const NEW_IMAGE = 'nginx:1.27.1';

const deployment = (image: string): string => webDeployment(image);

let tmp: string;
let fixture: TestRepo;
let firstCommit: string;
let secondCommit: string;
let ui: UiSession;
let page: Page;

const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

const diffSide = (side: 'original' | 'modified'): Promise<string> => diffSideOf(page, side);
const pickRevision = (oid: string): Promise<void> => pickRevisionOf(page, oid);

/** Apply → confirm by typing the (protected) context name → progress → success. Returns the run id. */
async function applyAndWait(): Promise<string> {
  await expect.poll(() => page.getByTestId('apply-button').isEnabled()).toBe(true);
  await page.getByTestId('apply-button').click();
  const dialog = page.getByTestId('apply-dialog');
  await expect.poll(() => dialog.isVisible()).toBe(true);
  expect(await page.getByTestId('confirm-apply').isEnabled()).toBe(false); // protected: the name must be typed first
  await page.getByTestId('confirm-context').fill('slipway-admi');
  expect(await page.getByTestId('confirm-apply').isEnabled()).toBe(false);
  await page.getByTestId('confirm-context').fill('slipway-admin');
  await page.getByTestId('confirm-apply').click();
  const progress = page.getByTestId('apply-progress');
  await expect.poll(() => progress.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
  return (await progress.getAttribute('data-run-id'))!;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-apply-'));
  mkdirSync(join(tmp, 'data'));
  writeFileSync(join(tmp, 'data', 'settings.json'), JSON.stringify({ protectedContexts: ['slipway-admin'], timeouts: { healthSeconds: 90 } }));
  fixture = createTestRepo({ prefix: 'slipway-ui-apply-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${ns}}\n`,
    'apps/web/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n`,
    'apps/web/deployment.yaml': deployment(OLD_IMAGE),
  });
  firstCommit = fixture.commit('web: first release');
  fixture.write({ 'apps/web/deployment.yaml': deployment(NEW_IMAGE) });
  secondCommit = fixture.commit(`web: roll out ${NEW_IMAGE}`);

  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined });
  page = ui.page;
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-apply', ctx, ui));

afterAll(async () => {
  const steps: Array<() => unknown> = [
    () => closeUi(ui),
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ];
  await cleanUp(steps);
});

describe('apply, history and rollback in the browser', () => {
  it('opens the repository; the protected context is marked', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:web');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await expect.poll(() => page.getByTestId('context-protected').isVisible()).toBe(true);
    expect(await page.getByTestId('apply-button').isEnabled()).toBe(false); // nothing planned yet
  });

  it('plans the first commit and applies it with live progress', async () => {
    await pickRevision(firstCommit);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('3 to add · 0 to change · 0 to destroy');
    await applyAndWait();
    // Every object reported its final state; the Deployment waited for health.
    const states = await page.getByTestId('apply-object').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-key')} ${r.getAttribute('data-state')}`));
    expect(states.sort()).toEqual([`ConfigMap ${ns}/web-config healthy`, `Deployment ${ns}/web healthy`, `Namespace ${ns} healthy`].sort());
    expect(await page.getByTestId('apply-step').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('apply-result').textContent()).toContain('3 of 3');
    expect(kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe(OLD_IMAGE);
    // The same plan cannot be applied twice.
    await page.getByTestId('close-progress').click();
    expect(await page.getByTestId('apply-button').isEnabled()).toBe(false);
  }, 180_000);

  it('plans and applies the second commit', async () => {
    await pickRevision(secondCommit);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await applyAndWait();
    expect(kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe(NEW_IMAGE);
  }, 180_000);

  it('shows both runs in History, newest first, with their objects', async () => {
    await page.getByTestId('show-history').click();
    const runs = page.getByTestId('history-run');
    await expect.poll(() => runs.count()).toBe(2);
    expect(await runs.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-status')} ${r.getAttribute('data-commit')}`))).toEqual([`succeeded ${secondCommit}`, `succeeded ${firstCommit}`]);
    await runs.nth(1).click();
    await expect.poll(() => page.getByTestId('run-details').locator('.mono').first().textContent()).toBe(firstCommit);
    await expect.poll(() => page.locator('[data-testid=run-objects] tbody tr').count()).toBe(3);
  });

  it('rolls back to the first run through its plan preview', async () => {
    await page.getByTestId('rollback-to-run').click();
    await expect.poll(() => page.getByTestId('preview-banner').getAttribute('data-kind'), { timeout: 60_000 }).toBe('rollback');
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Deployment ${ns}/web"]`).click();
    await expect.poll(() => diffSide('modified'), { timeout: 30_000 }).toContain(`image: ${OLD_IMAGE}`);
    expect(await diffSide('original')).toContain(`image: ${NEW_IMAGE}`);
    await applyAndWait();
    expect(kubectl(['get', 'deployment', 'web', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe(OLD_IMAGE);
    await page.getByTestId('show-history').click();
    await expect.poll(() => page.getByTestId('history-run').count()).toBe(3);
    expect(await page.getByTestId('history-run').first().textContent()).toContain('rollback');
  }, 180_000);

  it('raised no page errors', () => {
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
