/**
 * Revisions as a reviewer knows them, in the browser against the real cluster (issue 17, finding
 * 5): History's rows name each run's commit by its tag and subject; after a rollback applied, the
 * Revision field shows the release now running (its tag), so Plan in another context plans that,
 * not the bad release; a tag and a commit made while the page is open show in the revision menu
 * without searching.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { closeUi, openUi, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-names-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

let tmp: string;
let fixture: TestRepo;
let good: string;
let bad: string;
let ui: UiSession;
let page: Page;

const config = (level: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: storefront\ndata:\n  level: ${level}\n`;
const short = (oid: string): string => oid.slice(0, 7);

async function plan(summary: string): Promise<void> {
  await expect.poll(() => page.getByTestId('plan-button').isEnabled()).toBe(true);
  await page.getByTestId('plan-button').click();
  await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe(summary);
}

async function applyAndWait(): Promise<void> {
  await expect.poll(() => page.getByTestId('apply-button').isEnabled()).toBe(true);
  await page.getByTestId('apply-button').click();
  await page.getByTestId('confirm-apply').click();
  await expect.poll(() => page.getByTestId('apply-progress').getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
}

async function pickTag(name: string): Promise<void> {
  await page.getByTestId('revision-picker').click();
  await page.locator(`[data-testid=revision-menu] [role=option][data-rev="refs/tags/${name}"]`).click();
  await expect.poll(() => page.getByTestId('revision-picker').textContent()).toContain(name);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-names-'));
  mkdirSync(join(tmp, 'data'));
  fixture = createTestRepo({ prefix: 'slipway-ui-names-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: storefront\n    path: apps/storefront\n    destination: {namespace: ${ns}}\n`,
    'apps/storefront/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/storefront/config.yaml': config('info'),
  });
  good = fixture.commit('storefront: scale up');
  fixture.tag('v1.2.0');
  fixture.write({ 'apps/storefront/config.yaml': config('debug') });
  bad = fixture.commit('storefront: bad release');
  fixture.tag('v1.3.0');
  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined });
  page = ui.page;
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-names', ctx, ui));

afterAll(async () => {
  await cleanUp([
    () => closeUi(ui),
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => kubectl(['--context', 'slipway-second', 'delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ]);
});

describe('revisions named by tag and subject', () => {
  it('applies the good release, then the bad one; History names both by tag and subject', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:storefront');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await pickTag('v1.2.0');
    await plan('2 to add · 0 to change · 0 to destroy');
    await expect.poll(() => page.getByTestId('plan-view').getByTestId('commit-label').textContent()).toBe(`v1.2.0 · storefront: scale up (${short(good)})`);
    await applyAndWait();
    await page.getByTestId('close-progress').click();
    await pickTag('v1.3.0');
    await plan('0 to add · 1 to change · 0 to destroy');
    await applyAndWait();
    await page.getByTestId('close-progress').click();

    await page.getByTestId('tab-history').click();
    await expect.poll(() => page.getByTestId('history-run').count()).toBe(2);
    await expect
      .poll(() => page.locator('[data-testid=history-run] [data-testid=commit-label]').allTextContents())
      .toEqual([`v1.3.0 · storefront: bad release (${short(bad)})`, `v1.2.0 · storefront: scale up (${short(good)})`]);
  }, 300_000);

  it('after the rollback applied, the Revision field shows the release now running, and Plan in another context plans it', async () => {
    await page.locator(`[data-testid=history-run][data-commit="${good}"]`).click();
    await expect.poll(() => page.getByTestId('run-details').getByTestId('commit-label').textContent()).toBe(`v1.2.0 · storefront: scale up (${short(good)})`);
    await page.getByTestId('rollback-to-run').click();
    await expect.poll(() => page.getByTestId('preview-banner').textContent(), { timeout: 60_000 }).toContain(`storefront at v1.2.0 · storefront: scale up (${short(good)})`);
    expect(await page.getByTestId('revision-picker').textContent()).toContain('v1.3.0'); // a preview moves nothing yet
    await applyAndWait();
    expect(kubectl(['get', 'configmap', 'storefront', '-n', ns, '-o', 'jsonpath={.data.level}'])).toBe('info');
    await expect.poll(() => page.getByTestId('revision-picker').textContent()).toContain('v1.2.0');
    await page.getByTestId('close-progress').click();

    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-second"]').click();
    await plan('2 to add · 0 to change · 0 to destroy');
    await expect.poll(() => page.getByTestId('plan-view').getByTestId('commit-label').textContent()).toBe(`v1.2.0 · storefront: scale up (${short(good)})`);
  }, 300_000);

  it('a commit and a tag made while the page is open show in the revision menu without searching', async () => {
    fixture.write({ 'apps/storefront/config.yaml': config('warn') });
    const fixed = fixture.commit('storefront: the fix');
    fixture.tag('v1.3.1');
    await page.getByTestId('revision-picker').click();
    await expect.poll(() => page.locator(`[data-testid=revision-menu] [role=option][data-rev="${fixed}"]`).count()).toBe(1);
    expect(await page.locator('[data-testid=revision-menu] [role=option][data-rev="refs/tags/v1.3.1"]').count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('raised no page errors', () => {
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
