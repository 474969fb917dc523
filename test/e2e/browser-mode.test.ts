import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveApp, type ServedApp } from './browser.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let app: ServedApp;
let browser: Browser;
/** The page that used the printed address (it holds the session cookie). */
let first: Page;

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
    const page = (first = await browser.newPage());
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

  it('opens once: the used address is refused, the session is a different HttpOnly secret, and neither is logged beyond the printed address', async () => {
    const token = new URL(app.url).searchParams.get('token')!;
    const cookies = await first.context().cookies();
    const session = cookies.find((c) => c.name === 'slipway_token');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(session!.value).not.toBe(token);
    expect(session!.value.length).toBeGreaterThanOrEqual(32);
    // Another browser (no cookie) with the same address: refused.
    const other = await browser.newPage();
    expect((await other.goto(app.url))?.status()).toBe(401);
    // The page that holds the session may reload the printed address.
    expect((await first.goto(app.url))?.status()).toBe(200);
    expect(new URL(first.url()).searchParams.get('token')).toBeNull();
    await first.getByTestId('engine-info').waitFor();
    // The server printed the address once (its intended channel) and nothing else carrying a secret.
    const log = app.log();
    expect(log.split(token).length - 1).toBe(1);
    expect(log).not.toContain(session!.value);
  });
});
