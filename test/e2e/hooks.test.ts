/**
 * Argo CD hooks in the UI, end to end, in browser mode against the real local cluster: a revision
 * whose app (a ConfigMap and a Deployment) comes with a PreSync migration Job and a PostSync smoke
 * test Job. The plan lists the hooks apart from the changes, by phase, with their delete policies,
 * and opens one read-only; the apply runs the PreSync hooks, then the app, then the PostSync hooks,
 * each step headed with its phase, and ends succeeded with the hooks deleted by their policies.
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
import { webDeployment } from '../support/web-deployment.js';
import { closeUi, openUi, pickRevision, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-hooks-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

/** A Job as Argo CD users write a hook (a fixed name, so it is the same under kustomize). */
const hookJob = (name: string, phase: 'PreSync' | 'PostSync', deletePolicy: string): string => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/hook: ${phase}
    argocd.argoproj.io/hook-delete-policy: ${deletePolicy}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.37
          command: ["true"]
`;

let tmp: string;
let fixture: TestRepo;
let commit: string;
let ui: UiSession;
let page: Page;

const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });
/** The values of one attribute over the elements a locator finds, in document order. */
const attrs = (testId: string, attr: string, within = page.locator('body')): Promise<(string | null)[]> => within.getByTestId(testId).evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attr);
const texts = (testId: string, within = page.locator('body')): Promise<string[]> => within.getByTestId(testId).allTextContents();

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-hooks-'));
  // The namespace is there already, so the apply's steps are the hooks' and the app's only.
  kubectl(['create', 'namespace', ns]);
  fixture = createTestRepo({ prefix: 'slipway-ui-hooks-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${ns}}\n`,
    'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n`,
    // It reads the ConfigMap, so the ConfigMap goes first.
    'apps/web/deployment.yaml': `${webDeployment('nginx:1.27.0')}          envFrom:\n            - configMapRef: {name: web-config}\n`,
    'apps/web/migrate.yaml': hookJob('db-migrate', 'PreSync', 'BeforeHookCreation'),
    'apps/web/smoke-test.yaml': hookJob('smoke-test', 'PostSync', 'HookSucceeded'),
  });
  commit = fixture.commit('web: first release, with a migration and a smoke test');
  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined });
  page = ui.page;
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-hooks', ctx, ui));

afterAll(async () => {
  await cleanUp([
    () => closeUi(ui),
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ]);
});

describe('hooks in the browser', () => {
  it('the plan lists the PreSync and PostSync hooks apart from the changes, and opens one', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:web');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await pickRevision(page, commit);
    await page.getByTestId('plan-button').click();
    // The hooks are no changes: only the ConfigMap and the Deployment are counted.
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('2 to add · 0 to change · 0 to destroy');

    const hooks = page.getByTestId('plan-hooks');
    expect(await hooks.isVisible()).toBe(true);
    expect(await page.getByTestId('plan-hooks-summary').textContent()).toBe('On apply, 2 hooks run');
    expect(await attrs('hook-phase', 'data-phase', hooks)).toEqual(['PreSync', 'PostSync']);
    const pre = hooks.locator('[data-testid=hook-phase][data-phase=PreSync] [data-testid=plan-hook]');
    const post = hooks.locator('[data-testid=hook-phase][data-phase=PostSync] [data-testid=plan-hook]');
    expect(await pre.count()).toBe(1);
    expect(await post.count()).toBe(1);
    expect(await pre.textContent()).toContain(`Job ${ns}/db-migrate`);
    expect(await pre.getByTestId('hook-meta').textContent()).toMatch(/^BeforeHookCreation · Argo CD · apps\/web\/migrate\.yaml:1/);
    expect(await post.textContent()).toContain(`Job ${ns}/smoke-test`);
    expect(await post.getByTestId('hook-meta').textContent()).toMatch(/^HookSucceeded · Argo CD · apps\/web\/smoke-test\.yaml:1/);
    expect(await hooks.getByTestId('hooks-not-run').count()).toBe(0);
    // Neither Job is among the changes.
    expect(await page.locator('[data-testid=plan-tree] [role=treeitem][data-key^="Job "]').count()).toBe(0);

    // A hook opens read-only, as it will be created.
    await pre.click();
    const view = page.getByTestId('hook-view');
    await expect.poll(() => view.isVisible()).toBe(true);
    await expect.poll(async () => ((await view.locator('.view-lines').first().textContent()) ?? '').replace(/\u00a0/g, ' '), { timeout: 30_000 }).toContain('argocd.argoproj.io/hook: PreSync');
  }, 120_000);

  it('the apply runs the PreSync hooks, then the app, then the PostSync hooks, each step headed with its phase, and succeeds', async () => {
    await expect.poll(() => page.getByTestId('apply-button').isEnabled()).toBe(true);
    await page.getByTestId('apply-button').click();
    await page.getByTestId('confirm-apply').click();
    const progress = page.getByTestId('apply-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');

    expect(await texts('step-phase', progress)).toEqual(['PreSync hooks', 'Sync · wave 0 · config', 'Sync · wave 0 · workloads', 'PostSync hooks']);
    expect(await attrs('apply-step', 'data-sync-phase', progress)).toEqual(['PreSync', 'Sync', 'Sync', 'PostSync']);
    expect(await attrs('apply-step', 'data-hooks', progress)).toEqual(['true', null, null, 'true']);
    // Each step's objects and how they ended; the hooks are marked as hooks.
    const steps = await progress.getByTestId('apply-step').evaluateAll((els) =>
      els.map((s) => [...s.querySelectorAll('[data-testid=apply-object]')].map((o) => `${o.getAttribute('data-key')} ${o.getAttribute('data-state')}${o.querySelector('[data-testid=hook-pill]') ? ' (hook)' : ''}`)),
    );
    expect(steps).toEqual([[`Job ${ns}/db-migrate healthy (hook)`], [`ConfigMap ${ns}/web-config healthy`], [`Deployment ${ns}/web healthy`], [`Job ${ns}/smoke-test healthy (hook)`]]);
    // Hooks are no changes: the result counts the two objects of the app.
    expect(await page.getByTestId('apply-result').textContent()).toMatch(/^2 of 2 changes applied and healthy/);

    // By their delete policies: the migration stays until the next apply, the smoke test went once it succeeded.
    await expect.poll(() => kubectl(['get', 'jobs', '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}'])).toBe('db-migrate');
  }, 180_000);

  it('raised no page errors', () => {
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
