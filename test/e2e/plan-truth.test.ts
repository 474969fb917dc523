/**
 * The plan view tells the truth (issue 17), end to end in browser mode against the real cluster:
 * an applied plan is marked and not offered again; a revision with files that do not parse never
 * says "No changes" but lists its errors with file:line and the lines of the file (never those of
 * a Secret's file); on the read-only context Apply is disabled with the rights it lacks and an
 * approximate diff says it is a client-side comparison; the plan goes stale when the context
 * changes; a plan that deletes three objects has a danger Apply naming the count and a confirmation
 * naming them; and History opens a past run's plan.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONTEXTS } from '../cluster/cluster.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { closeUi, diffSide, openUi, pickRevision, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-truth-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
/** A Secret value that must never reach the page, even from a file that does not parse. */
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

let tmp: string;
let fixture: TestRepo;
const commits: Record<'first' | 'broken' | 'cleanup', string> = { first: '', broken: '', cleanup: '' };
let ui: UiSession;
let page: Page;

const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });
const applyButton = (): ReturnType<Page['getByTestId']> => page.getByTestId('apply-button');

async function pickContext(name: string): Promise<void> {
  await page.getByTestId('context-switcher').click();
  await page.locator(`[data-testid=context-menu] [role=option][data-context="${name}"]`).click();
  await expect.poll(() => page.getByTestId('context-switcher').textContent()).toContain(name);
}

/** Plan, once the apps of the revision are read (the app's options, e.g. prune, come with them). */
async function clickPlan(): Promise<void> {
  await expect.poll(() => page.getByTestId('app-selector').isEnabled()).toBe(true);
  await page.getByTestId('plan-button').click();
}

async function plan(summary: string): Promise<void> {
  await clickPlan();
  await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe(summary);
}

/** Apply… → (the dialog) → Apply → the run succeeds → Back to the plan. Returns the run id. */
async function applyAndReturn(): Promise<string> {
  await expect.poll(() => applyButton().isEnabled()).toBe(true);
  await applyButton().click();
  await page.getByTestId('confirm-apply').click();
  const progress = page.getByTestId('apply-progress');
  await expect.poll(() => progress.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
  const runId = (await progress.getAttribute('data-run-id'))!;
  await page.getByTestId('close-progress').click();
  return runId;
}

const namespace = (labels: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {${labels}}\n`;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-truth-'));
  fixture = createTestRepo({ prefix: 'slipway-ui-truth-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${ns}}\n    options: {prune: true}\n`,
    'apps/web/namespace.yaml': namespace('team: web'),
    'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n',
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: ${PASSWORD}\n`,
    'apps/web/job.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: seed\nspec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: seed\n          image: busybox:1.36\n',
  });
  commits.first = fixture.commit('web: first release');
  // Two files that do not parse: a ConfigMap (shown), and a Secret (never shown: it holds a value).
  fixture.write({
    'apps/web/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: [1, 2\n  b: 3\n',
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-db\nstringData:\n  password: [${PASSWORD}\n`,
  });
  commits.broken = fixture.commit('web: two broken files');
  fixture.write({ 'apps/web/bad.yaml': null, 'apps/web/secret.yaml': null, 'apps/web/config.yaml': null, 'apps/web/job.yaml': null, 'apps/web/namespace.yaml': namespace('team: web, tier: retired') });
  commits.cleanup = fixture.commit('web: retire the seed job, its config and its database');

  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined });
  page = ui.page;
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-plan-truth', ctx, ui));

afterAll(async () => {
  await cleanUp([() => closeUi(ui), () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('the plan view tells the truth', () => {
  it('an applied plan is marked applied in its run, and Apply is not offered again', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:web');
    await pickContext(CONTEXTS.admin);
    await pickRevision(page, commits.first);
    await plan('4 to add · 0 to change · 0 to destroy');
    const runId = await applyAndReturn();
    const marker = page.getByTestId('plan-applied');
    await expect.poll(() => marker.textContent()).toBe(`Applied in run ${runId} (succeeded). Plan again to see what is left.`);
    expect(await page.getByTestId('plan-summary').textContent()).toBe('4 to add · 0 to change · 0 to destroy');
    expect(await applyButton().isEnabled()).toBe(false);
    expect(await applyButton().getAttribute('title')).toBe(`Applied in run ${runId} (succeeded): plan again to see what is left`);
  }, 180_000);

  it('a revision whose files do not parse never says "No changes": its errors come first, with file:line and the file around it', async () => {
    await pickRevision(page, commits.broken);
    await clickPlan();
    const errors = page.getByTestId('plan-errors');
    await expect.poll(() => errors.locator('h2').textContent(), { timeout: 60_000 }).toBe('This plan cannot be applied: 2 errors');
    expect(await page.getByTestId('no-changes').count()).toBe(0);
    expect(await page.getByTestId('plan-cannot-apply').textContent()).toBe('Cannot be applied: 2 errors');
    const bad = errors.locator('[data-testid=plan-error][data-location^="apps/web/bad.yaml:7"]');
    await expect.poll(() => bad.getByTestId('source-snippet').locator('.snippet-line.at').textContent()).toBe('7  b: 3');
    expect(await bad.getByTestId('source-snippet').textContent()).toContain('  a: [1, 2');
    const secret = errors.locator('[data-testid=plan-error][data-location^="apps/web/secret.yaml:"]');
    await expect.poll(() => secret.getByTestId('snippet-hidden').textContent()).toBe('Not shown: the file declares a Secret: its values are never shown.');
    expect(await page.content()).not.toContain(PASSWORD);
    expect(await applyButton().isEnabled()).toBe(false);
    expect(await applyButton().getAttribute('title')).toBe('This plan cannot be applied: 2 errors');
  }, 90_000);

  it('the read-only context: Apply disabled with the rights it lacks; an approximate diff says it compared client-side', async () => {
    await pickContext(CONTEXTS.readonly);
    await pickRevision(page, commits.cleanup);
    await plan('0 to add · 1 to change · 3 to destroy');
    await expect.poll(() => applyButton().getAttribute('title')).toMatch(/^Not permitted: slipway-readonly may not .+ in namespace .+, so the apply would fail$/);
    expect(await applyButton().isEnabled()).toBe(false);
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Namespace ${ns}"]`).click();
    await expect.poll(() => page.locator('[data-testid=diff-view] .diff-sides').textContent(), { timeout: 30_000 }).toContain('client-side comparison (no permission to dry-run)');
    expect(await page.locator('[data-testid=diff-view] .diff-sides').textContent()).not.toContain('server dry-run');
  }, 90_000);

  it('another context selected: the plan says it is stale, and Plan again plans the new one', async () => {
    await pickContext(CONTEXTS.admin);
    await expect.poll(() => page.getByTestId('plan-stale').textContent()).toContain(`This plan is for context ${CONTEXTS.readonly}; context ${CONTEXTS.admin} is selected now.`);
    expect(await applyButton().isEnabled()).toBe(false);
    await page.getByTestId('plan-stale').getByRole('button', { name: 'Plan again' }).click();
    await expect.poll(() => page.getByTestId('plan-stale').count(), { timeout: 60_000 }).toBe(0);
    expect(await page.getByTestId('plan-summary').textContent()).toBe('0 to add · 1 to change · 3 to destroy');
  }, 90_000);

  it('a plan that deletes three objects: the count in red, a danger Apply naming it, a confirmation naming them', async () => {
    expect(await page.getByTestId('destroy-count').getAttribute('class')).toBe('destroy-count');
    await expect.poll(() => applyButton().isEnabled()).toBe(true);
    expect(await applyButton().textContent()).toBe('Apply (destroys 3)');
    expect(await applyButton().getAttribute('class')).toContain('destroys');
    await applyButton().click();
    const deletes = page.getByTestId('apply-dialog-deletes');
    const sentence = (await deletes.textContent()) ?? '';
    expect(sentence).toMatch(/^This plan deletes 3 objects: /);
    for (const name of [`ConfigMap ${ns}/web-config`, `Job ${ns}/seed`, `Secret ${ns}/web-db`]) expect(sentence).toContain(name);
    expect(await page.getByTestId('confirm-apply').getAttribute('class')).toContain('danger');
    await page.getByTestId('confirm-apply').click();
    const progress = page.getByTestId('apply-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
    expect(kubectl(['get', 'configmap,secret,job', '-n', ns, '-l', '!applyset.kubernetes.io/id', '-o', 'name', '--ignore-not-found']).split('\n').filter((l) => /web-config|web-db|seed/.test(l))).toEqual([]);
    await page.getByTestId('close-progress').click();
    await expect.poll(() => page.getByTestId('plan-applied').getAttribute('data-status')).toBe('succeeded');
  }, 180_000);

  it("History opens a past run's plan: its changes and diffs, marked applied, never offered to apply", async () => {
    await page.getByTestId('tab-history').click();
    const runs = page.getByTestId('history-run');
    await expect.poll(() => runs.count()).toBe(2);
    await runs.nth(0).click();
    await page.getByTestId('open-run-plan').click();
    await expect.poll(() => page.getByTestId('preview-banner').getAttribute('data-kind')).toBe('run');
    expect(await page.getByTestId('plan-summary').textContent()).toBe('0 to add · 1 to change · 3 to destroy');
    await expect.poll(() => page.getByTestId('plan-applied').textContent()).toMatch(/^Applied in run \S+ \(succeeded\)\./);
    expect(await applyButton().isEnabled()).toBe(false);
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Namespace ${ns}"]`).click();
    await expect.poll(() => diffSide(page, 'modified'), { timeout: 30_000 }).toContain('tier: retired');
  }, 90_000);

  it('raised no page errors', () => {
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
