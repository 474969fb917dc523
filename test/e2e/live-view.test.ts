/**
 * The Live tab in the browser, against the real local cluster (issue 20): an app with a
 * Deployment of two replicas is planned and applied in the page; "Open live view" shows its tree
 * — Deployment → ReplicaSet → Pods — turning healthy as kwok runs the Pods, kept current by the
 * engine's watches ("live"); the Events of its objects (the controllers' and the scheduler's);
 * a Pod's logs, real lines kwok serves through the API server from a file (its Logs resource),
 * followed as lines are appended; `kubectl scale` shows in the tree without a reload; and the tab
 * fits a 1024×700 window without page scrollbars.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { podLogFiles, type PodLogFiles } from '../support/pod-log-files.js';
import { closeUi, openUi, pageScrolls, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-live-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
`;

let tmp: string;
let fixture: TestRepo;
let ui: UiSession;
let page: Page;
let logs: PodLogFiles | undefined;

/** The tree's nodes as "level kind key health", in order. */
const treeRows = (): Promise<string[]> =>
  page.locator('[data-testid=live-tree] [data-testid=live-node]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('aria-level')} ${r.getAttribute('data-key')} ${r.getAttribute('data-health')}`));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-live-'));
  fixture = createTestRepo({ prefix: 'slipway-ui-live-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${ns}}\n`,
    'apps/web/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/web/service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n`,
    'apps/web/deployment.yaml': DEPLOYMENT,
  });
  fixture.commit('web: two replicas behind a Service');
  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined });
  page = ui.page;
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-live', ctx, ui));

afterAll(async () => {
  await cleanUp([() => closeUi(ui), () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('the live view in the browser', () => {
  it('before the app is applied, the Live tab says so and points to the plan', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:web');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await page.getByTestId('tab-live').click();
    await expect.poll(() => page.getByTestId('live-not-applied').textContent(), { timeout: 60_000 }).toContain('web has never been applied to slipway-admin');
    await page.getByTestId('live-go-plan').click();
    await expect.poll(() => page.getByTestId('tab-plan').getAttribute('aria-selected')).toBe('true');
  }, 120_000);

  it('applies the app, and "Open live view" shows Deployment → ReplicaSet → Pods turning healthy, kept current', async () => {
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('3 to add · 0 to change · 0 to destroy');
    await expect.poll(() => page.getByTestId('apply-button').isEnabled()).toBe(true);
    await page.getByTestId('apply-button').click();
    await page.getByTestId('confirm-apply').click();
    await expect.poll(() => page.getByTestId('apply-progress').getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
    await page.getByTestId('open-live').click();
    await expect.poll(() => page.getByTestId('tab-live').getAttribute('aria-selected')).toBe('true');
    const view = page.getByTestId('live-view');
    await expect.poll(() => view.getAttribute('data-status'), { timeout: 60_000 }).toBe('synced');
    await expect.poll(() => view.getAttribute('data-health'), { timeout: 60_000 }).toBe('healthy');
    const rows = await treeRows();
    // The app's members are the roots; the Service's EndpointSlice is under it.
    expect(rows.filter((r) => r.startsWith('1 ')).sort()).toEqual([`1 Deployment ${ns}/web healthy`, `1 Namespace ${ns} healthy`, `1 Service ${ns}/web healthy`]);
    expect(rows[rows.indexOf(`1 Service ${ns}/web healthy`) + 1]).toMatch(new RegExp(`^2 EndpointSlice ${ns}/web-[a-z0-9]+ `));
    const deployment = rows.indexOf(`1 Deployment ${ns}/web healthy`);
    expect(rows[deployment + 1]).toMatch(new RegExp(`^2 ReplicaSet ${ns}/web-[a-z0-9]+ healthy$`));
    expect(rows.slice(deployment + 2, deployment + 4)).toEqual([expect.stringMatching(new RegExp(`^3 Pod ${ns}/web-[a-z0-9]+-[a-z0-9]+ healthy$`)), expect.stringMatching(new RegExp(`^3 Pod ${ns}/web-[a-z0-9]+-[a-z0-9]+ healthy$`))]);
    expect(await page.getByTestId('live-counts').textContent()).toMatch(/objects: \d+ healthy$/);
    expect(await page.getByTestId('live-watching').textContent()).toBe('● live');
  }, 240_000);

  it("lists the Events of the app's objects, newest first", async () => {
    await expect.poll(() => page.getByTestId('live-event').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const events = await page.getByTestId('live-event').evaluateAll((list) => list.map((e) => `${e.getAttribute('data-type')} ${e.getAttribute('data-reason')}`));
    expect(events).toContain('Normal ScalingReplicaSet');
    const times = await page.locator('[data-testid=live-event] time').evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute('datetime') ?? '')));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("opens a Pod's logs: real lines from the cluster, followed as the container writes", async () => {
    const pod = (await page.locator('[data-testid=live-node][data-kind=Pod]').first().getAttribute('data-key'))!.split('/')[1]!;
    logs = await podLogFiles(kubectl, { dir: tmp, namespace: ns, pod, containers: { web: { lines: [`hello from ${pod}`, 'listening on :80'] } } });
    await page.locator(`[data-testid=live-node][data-key="Pod ${ns}/${pod}"]`).click();
    await expect.poll(() => page.getByTestId('live-tab-logs').getAttribute('aria-selected')).toBe('true');
    const lines = (): Promise<string[]> => page.getByTestId('log-line').allTextContents();
    await expect.poll(lines, { timeout: 30_000 }).toEqual([`hello from ${pod}`, 'listening on :80']);
    await expect.poll(() => page.getByTestId('logs-container').inputValue()).toBe('web');
    logs.append('web', ['GET / 200', 'GET /healthz 200']);
    await expect.poll(lines, { timeout: 30_000 }).toEqual([`hello from ${pod}`, 'listening on :80', 'GET / 200', 'GET /healthz 200']);
    await page.getByTestId('logs-search').fill('get');
    await expect.poll(lines).toEqual(['GET / 200', 'GET /healthz 200']);
    expect(await page.locator('[data-testid=log-lines] mark').count()).toBe(2);
    await page.getByTestId('logs-search').fill('');
  }, 120_000);

  it('kubectl scale shows in the tree without a reload', async () => {
    kubectl(['scale', 'deployment', 'web', '-n', ns, '--replicas=3']);
    await expect.poll(async () => (await treeRows()).filter((r) => r.startsWith(`3 Pod ${ns}/`)).length, { timeout: 60_000 }).toBe(3);
    kubectl(['scale', 'deployment', 'web', '-n', ns, '--replicas=2']);
  }, 120_000);

  it('fits a 1024×700 window without page scrollbars', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForTimeout(300);
    expect(await pageScrolls(page)).toEqual({ x: false, y: false });
    const side = await page.locator('.live-side').boundingBox();
    expect(side!.x + side!.width).toBeLessThanOrEqual(1024);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('leaving the tab stops the watch; raised no page errors', async () => {
    await page.getByTestId('tab-history').click();
    await expect.poll(() => page.getByTestId('live-view').count()).toBe(0);
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
