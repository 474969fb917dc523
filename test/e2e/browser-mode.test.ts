import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveApp, type ServedApp } from './browser.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let app: ServedApp;
let browser: Browser;

beforeAll(async () => {
  app = await serveApp();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('browser mode', () => {
  it('opens the renderer from the printed address and reaches the engine', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(app.url);
    await expect.poll(() => page.locator('[data-testid=engine-info]').textContent()).toBe(`Engine ${version} on ${process.platform} (http)`);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull(); // the token does not stay in the address bar
    expect(errors).toEqual([]);
  });

  it('shows nothing without the token', async () => {
    const page = await browser.newPage();
    const res = await page.goto(app.url.replace(/\?token=.*/, ''));
    expect(res?.status()).toBe(401);
  });
});
