/**
 * Reviewing a plan in the UI, end to end, in browser mode: a real Git repository, the real local
 * cluster, `slipway serve` from the build, and Debian's Chromium.
 *
 * The app (a Namespace, a ConfigMap and a Deployment) is applied at its first commit with
 * kubectl's own server-side ApplySet; the second commit changes the Deployment's image. In the
 * browser the user opens the repository, picks the second commit from the searchable revision
 * list and the slipway-admin context, plans, and reads the change in Monaco's side-by-side diff.
 * Then the same revision is planned against the second cluster, where everything is a create.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openRepository } from '../../core/git/repository.js';
import { appParent } from '../support/applyset.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { closeUi, diffSide as diffSideOf, openUi, reportUiFailure, type UiSession } from './browser.js';
import { cleanUp } from '../support/cleanup.js';
import { kubectlRunner } from '../support/kubectl.js';
import { webDeployment } from '../support/web-deployment.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-e2e-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const OLD_IMAGE = 'nginx:1.27.0';
const NEW_IMAGE = 'nginx:1.27.1';

const deployment = (image: string): string => webDeployment(image, { port: 80 });

let tmp: string;
let fixture: TestRepo;
let secondCommit: string;
let ui: UiSession;
let page: Page;
const foreignRequests: string[] = [];

const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

/** The text Monaco shows on one side of the diff (it renders spaces as no-break spaces). */
const diffSide = (side: 'original' | 'modified'): Promise<string> => diffSideOf(page, side);

async function pickContext(name: string): Promise<void> {
  await page.getByTestId('context-switcher').click();
  await page.locator(`[data-testid=context-menu] [role=option][data-context="${name}"]`).click();
  await expect.poll(() => page.getByTestId('context-switcher').textContent()).toContain(name);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-e2e-'));
  fixture = createTestRepo({ prefix: 'slipway-ui-e2e-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${ns}}\n`,
    'apps/web/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n`,
    'apps/web/deployment.yaml': deployment(OLD_IMAGE),
  });
  fixture.commit('web: first release');

  // Apply commit 1 as kubectl would: the namespace first (the ApplySet parent lives in it), then the app.
  const dir = join(fixture.dir, 'apps', 'web');
  kubectl(['apply', '--server-side', '--field-manager=slipway', '-f', join(dir, 'namespace.yaml')]);
  // The ApplySet Slipway gives this app: named after the repository's first commit and the app.
  const repo = await openRepository(fixture.dir);
  const parent = await appParent(repo, { name: 'web', path: 'apps/web', namespace: ns });
  await repo.close();
  kubectl(['apply', '--server-side', '--field-manager=slipway', `--applyset=${parent.name}`, '--prune', '-n', ns, '-f', dir]);

  fixture.write({ 'apps/web/deployment.yaml': deployment(NEW_IMAGE) });
  secondCommit = fixture.commit(`web: roll out ${NEW_IMAGE}`);

  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data') });
  page = ui.page;
  const origin = new URL(ui.app.url).origin;
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) foreignRequests.push(url);
  });
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-plan-review', ctx, ui));

afterAll(async () => {
  const steps: Array<() => unknown> = [
    () => closeUi(ui),
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ];
  await cleanUp(steps);
});

describe('reviewing a plan in the browser', () => {
  it('opens the repository typed in the start bar', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('repo-name').textContent()).toContain(fixture.dir.split('/').pop());
    // The only app of slipway.yaml is chosen; the current branch is the starting revision.
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:web');
    expect(await page.getByTestId('revision-picker').textContent()).toContain('main');
  });

  it('picks the second commit from the searchable commit list', async () => {
    await page.getByTestId('revision-picker').click();
    const menu = page.getByTestId('revision-menu');
    // Both commits are listed with subject, author and a relative date, under the branch.
    await expect.poll(() => menu.locator('[role=option]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('main'), expect.stringMatching(/web: first release.*Ada Lovelace · /), expect.stringMatching(/web: roll out .*Ada Lovelace · /)]),
    );
    await page.getByTestId('revision-search').fill(NEW_IMAGE);
    await expect.poll(() => menu.locator('[role=option]').allTextContents()).toEqual([expect.stringContaining(`web: roll out ${NEW_IMAGE}`)]);
    await menu.locator(`[role=option][data-rev="${secondCommit}"]`).click();
    await expect.poll(() => page.getByTestId('revision-picker').textContent()).toContain(secondCommit.slice(0, 7));
  });

  it('plans against slipway-admin: one Deployment to change, with its image in the diff', async () => {
    await pickContext('slipway-admin');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Deployment ${ns}/web"]`).click();
    await expect.poll(() => page.getByTestId('change-view').getAttribute('data-action')).toBe('update');
    await expect.poll(() => diffSide('modified'), { timeout: 30_000 }).toContain(`image: ${NEW_IMAGE}`);
    await expect.poll(() => diffSide('original')).toContain(`image: ${OLD_IMAGE}`);
    expect(await diffSide('modified')).not.toContain(`image: ${OLD_IMAGE}`);
    // Why this change (no apply in the history: the object's last commits): both commits listed; the image line marked in the gutter with the commit that rolled it out.
    await expect.poll(() => page.locator('[data-testid=change-why] li').allTextContents()).toEqual([expect.stringContaining(`web: roll out ${NEW_IMAGE} Ada Lovelace`), expect.stringContaining('web: first release Ada Lovelace')]);
    const gutter = page.locator('[data-testid=diff-view] .why-gutter');
    await expect.poll(() => gutter.count()).toBe(1);
    expect(await gutter.getAttribute('title')).toMatch(new RegExp(`^${secondCommit.slice(0, 7)} web: roll out ${NEW_IMAGE.replace(/\./g, '\\.')} — Ada Lovelace, \\d{4}-\\d\\d-\\d\\d$`));
    // Unchanged resources are counted, and hidden from the tree until asked for.
    expect(await page.locator('[data-testid=plan-tree] [role=treeitem][data-key]').count()).toBe(1);
    await page.getByTestId('chip-noop').click();
    await expect.poll(() => page.locator('[data-testid=plan-tree] [role=treeitem][data-action=noop]').count()).toBe(2);
  }, 120_000);

  it('switches to slipway-second and plans again: everything is a create', async () => {
    await pickContext('slipway-second');
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('3 to add · 0 to change · 0 to destroy');
    expect((await page.locator('[data-testid=plan-tree] [role=treeitem][data-key]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-action')} ${r.getAttribute('data-key')}`))).sort()).toEqual(
      [`create ConfigMap ${ns}/web-config`, `create Deployment ${ns}/web`, `create Namespace ${ns}`].sort(),
    );
    // The open resource stays open across plans; a create has nothing on the live side.
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Deployment ${ns}/web"]`).click();
    await expect.poll(() => page.getByTestId('change-view').getAttribute('data-action')).toBe('create');
    await expect.poll(() => diffSide('modified'), { timeout: 30_000 }).toContain(`image: ${NEW_IMAGE}`);
    expect((await diffSide('original')).trim()).toBe('');

    // Keyboard: k goes up past the Deployment group to the ConfigMap and opens it.
    await page.getByTestId('plan-tree').focus();
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('[data-testid=change-view] h2').textContent()).toContain('web-config');
    await expect.poll(() => diffSide('modified')).toContain('greeting: hello');
  }, 120_000);

  it('used no network beyond the engine and raised no page errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(ui.pageErrors).toEqual([]);
    expect(ui.app.log()).not.toMatch(/engine: .* failed/);
  });
});
