/**
 * `slipway serve --repo … --app … --rev … --context …` (what `npm run demo` runs): the page opens
 * that repository with the app, revision and context already picked; a repository that cannot be
 * opened lands on the start screen with the error and the path filled in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDemoRepo, type DemoRepo } from '../demo/sample-repo.js';
import { launchChromium, serveApp, type ServedApp } from './browser.js';

const kubeconfig = inject('kubeconfig');
let tmp: string;
let demo: DemoRepo;
let browser: Browser;
const served: ServedApp[] = [];

async function serve(args: readonly string[]): Promise<ServedApp> {
  const app = await serveApp(args, { env: { KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined } });
  served.push(app);
  return app;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-startup-'));
  demo = buildDemoRepo({ dir: join(tmp, 'storefront-gitops') });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(served.map((a) => a.stop()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('starting with a repository, app, revision and context', () => {
  it('opens them before the user does anything', async () => {
    const app = await serve(['--repo', demo.dir, '--app', demo.app, '--rev', 'v1.1.0', '--context', 'slipway-second']);
    const page = await browser.newPage();
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('repo-name').textContent()).toContain('storefront-gitops');
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe(`app:${demo.app}`);
    await expect.poll(() => page.getByTestId('revision-picker').textContent()).toContain('v1.1.0');
    await expect.poll(() => page.getByTestId('context-switcher').textContent()).toContain('slipway-second');
    // The inputs settle after the last field shows (the app list loads): wait for them as a user would.
    await expect.poll(() => page.getByTestId('plan-button').isEnabled()).toBe(true);
    await page.close();
  });

  it('lands on the start screen with the error when the repository cannot be opened', async () => {
    const missing = join(tmp, 'no-such-repository');
    const app = await serve(['--repo', missing]);
    const page = await browser.newPage();
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('error-message').isVisible()).toBe(true);
    expect(await page.getByTestId('repo-path').inputValue()).toBe(missing);
    await page.close();
  });
});
