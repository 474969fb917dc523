/**
 * The first start in the browser (issue 17, finding 10): no kubeconfig yet, no repository typed.
 * The folder picker walks from the home folder to a repository and opens it; a repository of
 * several apps asks which one; "no kubeconfig" leads to Settings' kubeconfig field; "Open
 * another…" goes back to the start screen, whose recent repositories (kept in the settings, not in
 * the page) are there again after a restart on another port, opening with the app last chosen.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { launchChromium, serveApp, type ServedApp } from './browser.js';

const kubeconfig = inject('kubeconfig');
let tmp: string;
let home: string;
let infra: TestRepo;
let infraDir: string;
let browser: Browser;
let page: Page;
const served: ServedApp[] = [];
const pageErrors: string[] = [];

/** `slipway serve` with this home folder and no kubeconfig at all: the first start on a new machine. */
async function serve(): Promise<ServedApp> {
  const app = await serveApp([], { env: { HOME: home, KUBECONFIG: undefined, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined } });
  served.push(app);
  return app;
}

const configMap = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

beforeAll(async () => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-ui-first-')));
  home = join(tmp, 'home');
  mkdirSync(join(home, 'src', 'notes'), { recursive: true });
  infra = createTestRepo({ prefix: 'slipway-ui-first-infra-' });
  infra.write({ 'checkout/cm.yaml': configMap('checkout'), 'payments/cm.yaml': configMap('payments'), 'search/cm.yaml': configMap('search') });
  infra.commit('three apps');
  // The repository lives under the home folder, as a user's would.
  infraDir = join(home, 'src', 'infra');
  infra.git('clone', '-q', infra.dir, infraDir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(served.map((a) => a.stop()));
  infra?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('first start', () => {
  it('picks the repository with the folder picker, from the home folder down', async () => {
    const app = await serve();
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('browse-folders').isEnabled()).toBe(true);
    expect(await page.getByTestId('recent-repositories').count()).toBe(0);
    await page.getByTestId('browse-folders').click();
    const picker = page.getByTestId('folder-browser');
    await expect.poll(() => picker.getByTestId('folder-current').textContent()).toBe(home);
    await picker.locator('[data-testid=folder-entry] .folder-name', { hasText: 'src' }).click();
    await expect.poll(() => picker.getByTestId('folder-current').textContent()).toBe(join(home, 'src'));
    await expect.poll(() => picker.getByTestId('folder-entry').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-path')} ${r.getAttribute('data-repository') ?? '-'}`))).toEqual([`${infraDir} true`, `${join(home, 'src', 'notes')} -`]);
    await picker.locator(`[data-testid=folder-entry][data-path="${infraDir}"] [data-testid=folder-open]`).click();
    await expect.poll(() => page.getByTestId('repo-name').textContent()).toContain('infra');
  });

  it('asks which of its apps to plan instead of picking the first', async () => {
    const selector = page.getByTestId('app-selector');
    await expect.poll(() => selector.isEnabled()).toBe(true);
    expect(await selector.inputValue()).toBe('');
    expect(await selector.locator('option').first().textContent()).toBe('Choose one of 4 apps…') // the whole repository, and its three folders;
    await selector.selectOption('path:payments');
  });

  it('says no kubeconfig was found, and its button opens Settings at the kubeconfig field; saved, the contexts are there', async () => {
    await expect.poll(() => page.getByTestId('no-kubeconfig').isVisible()).toBe(true);
    await page.getByTestId('kubeconfig-settings').click();
    const field = page.getByTestId('setting-kubeconfig');
    await expect.poll(() => field.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await field.fill(kubeconfig);
    await page.getByTestId('save-settings').click();
    await expect.poll(() => page.getByTestId('no-kubeconfig').count()).toBe(0);
    await expect.poll(() => page.getByTestId('context-switcher').textContent()).toContain('slipway-admin');
    expect(await page.getByTestId('plan-button').isEnabled()).toBe(true);
  });

  it('"Open another…" goes back to the start screen, which lists the repository with its app', async () => {
    await page.getByTestId('open-another-repo').click();
    const recent = page.getByTestId('recent-repository');
    await expect.poll(() => recent.count()).toBe(1);
    expect(await recent.getAttribute('data-dir')).toBe(infraDir);
    expect(await recent.textContent()).toContain('payments');
  });

  it('after a restart on another port the recent repositories are still there, and one opens with its app', async () => {
    await served[0]!.stop();
    const again = await serve();
    expect(new URL(again.url).port).not.toBe(new URL(served[0]!.url).port);
    await page.goto(again.url);
    const recent = page.getByTestId('recent-repository');
    await expect.poll(() => recent.count()).toBe(1);
    await recent.click();
    await expect.poll(() => page.getByTestId('repo-name').textContent()).toContain('infra');
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('path:payments');
    // The kubeconfig saved in the settings holds too.
    await expect.poll(() => page.getByTestId('context-switcher').textContent()).toContain('slipway-admin');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
    for (const app of served) expect(app.log()).not.toMatch(/engine: .* failed/);
  });
});
