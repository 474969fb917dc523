/**
 * Drift in the browser against the real local cluster: the app chosen on a context it was never
 * applied to says so; applied from the page, its badge says "In sync"; `kubectl scale` of its
 * Deployment turns the badge into "Drift: 1 object" naming spec.replicas, and a desktop
 * notification says so (the test's browser context grants the permission; an init script records
 * each Notification made and still makes the real one); "Plan to fix drift" plans the update of
 * spec.replicas back to what the repository says.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { webDeployment } from '../support/web-deployment.js';
import { closeUi, diffSide, openUi, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-drift-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

let tmp: string;
let fixture: TestRepo;
let ui: UiSession;
let page: Page;

type Shown = Array<{ title: string; body: string }>;
/** Run in the page before its scripts: records each Notification the page makes (in window.__notifications) and still makes the real one. */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const shown = [];
  window.__notifications = shown;
  window.Notification = class extends Real {
    constructor(title, options) {
      super(title, options);
      shown.push({ title, body: (options && options.body) || '' });
    }
  };
})();`;

const badge = (): Promise<string | null> => page.getByTestId('drift-badge').textContent({ timeout: 2000 }).catch(() => null);
const notifications = (): Promise<Shown> => page.evaluate(() => (globalThis as unknown as { __notifications?: Shown }).__notifications ?? []);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-drift-'));
  mkdirSync(join(tmp, 'data'));
  writeFileSync(join(tmp, 'data', 'settings.json'), JSON.stringify({ timeouts: { healthSeconds: 90 } }));
  fixture = createTestRepo({ prefix: 'slipway-ui-drift-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${ns}}\n`,
    'apps/web/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/web/deployment.yaml': webDeployment('nginx:1.27.0'),
  });
  fixture.commit('web');
  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined });
  page = ui.page;
  await page.context().grantPermissions(['notifications'], { origin: new URL(ui.app.url).origin });
  await page.addInitScript(RECORD_NOTIFICATIONS);
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-drift', ctx, ui));

afterAll(async () => {
  await cleanUp([() => closeUi(ui), () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('drift in the browser', () => {
  it('says the app was never applied to the context', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:web');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await expect.poll(badge).toBe('Not applied here');
    expect(await page.evaluate(() => (globalThis as unknown as { Notification: { permission: string } }).Notification.permission)).toBe('granted');
  });

  it('applied from the page, the app is in sync', async () => {
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('2 to add · 0 to change · 0 to destroy');
    await page.getByTestId('apply-button').click();
    await page.getByTestId('confirm-apply').click();
    await expect.poll(() => page.getByTestId('apply-progress').getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
    await page.getByTestId('close-progress').click();
    await expect.poll(badge, { timeout: 30_000 }).toBe('In sync');
    expect(await notifications()).toEqual([]);
  }, 180_000);

  it('kubectl scale: the badge names the drifted field, and a notification says so', async () => {
    kubectl(['scale', 'deployment', 'web', '-n', ns, '--replicas=3']);
    await expect.poll(badge, { timeout: 10_000 }).toBe('Drift: 1 object');
    expect(await page.getByTestId('drift-badge').getAttribute('title')).toBe(`Deployment ${ns}/web: spec.replicas`);
    await expect.poll(notifications, { timeout: 5000 }).toEqual([{ title: 'Drift in web on slipway-admin', body: `Deployment ${ns}/web: spec.replicas` }]);
  });

  it('"Plan to fix drift" plans spec.replicas back to the repository', async () => {
    await page.getByTestId('plan-fix-drift').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Deployment ${ns}/web"]`).click();
    await expect.poll(() => diffSide(page, 'original'), { timeout: 30_000 }).toContain('replicas: 3');
    expect(await diffSide(page, 'modified')).toContain('replicas: 1');
    // The drift is still there until the plan is applied; it was told once.
    expect(await badge()).toBe('Drift: 1 object');
    expect(await notifications()).toHaveLength(1);
  }, 120_000);

  it('raised no page errors', () => {
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
