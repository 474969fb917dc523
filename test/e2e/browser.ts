/**
 * Drives Debian's Chromium with playwright-core (never a downloaded browser) for end-to-end tests
 * of the renderer in browser mode.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.SLIPWAY_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set SLIPWAY_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ServedApp {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the server printed so far (engine failures are logged there). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `slipway serve` from the build and returns the one-time address it prints. `env` adds to (or, with undefined, removes from) this process's environment. */
export async function serveApp(args: readonly string[] = [], opts: { env?: Readonly<Record<string, string | undefined>> } = {}): Promise<ServedApp> {
  const root = new URL('../../', import.meta.url).pathname;
  const child = spawn(process.execPath, [`${root}bin/slipway.js`, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`slipway serve printed no address within 20s:\n${output}`)), 20_000);
    const onData = (c: Buffer): void => {
      output += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`slipway serve exited (${code}):\n${output}`)));
  });
  return {
    url,
    process: child,
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The served app and a Chromium page on it, with the page's uncaught errors collected. */
export interface UiSession {
  readonly app: ServedApp;
  readonly browser: Browser;
  readonly page: Page;
  readonly pageErrors: string[];
}

/** `slipway serve` (with `env` added to this process's environment) and a 1440×900 page; open the printed address with `page.goto(ui.app.url)`. */
export async function openUi(env: Readonly<Record<string, string | undefined>>): Promise<UiSession> {
  const app = await serveApp([], { env });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (e) {
    await app.stop();
    throw e;
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { app, browser, page, pageErrors };
}

export async function closeUi(ui: UiSession | undefined): Promise<void> {
  await ui?.browser.close().catch(() => undefined);
  await ui?.app.stop();
}

/** For afterEach: a failed test leaves a screenshot and the server's output behind, to see what the user saw. */
export async function reportUiFailure(label: string, ctx: { readonly task: { readonly name: string; readonly result?: { readonly state?: string } } }, ui: UiSession | undefined): Promise<void> {
  if (ctx.task.result?.state !== 'fail' || !ui) return;
  const shot = join(tmpdir(), `slipway-${label}-failure-${Date.now()}.png`);
  await ui.page.screenshot({ path: shot }).catch(() => undefined);
  console.error(`${label}: "${ctx.task.name}" failed; screenshot ${shot}\npage errors: ${JSON.stringify(ui.pageErrors)}\nserver output:\n${ui.app.log().slice(-4000)}`);
}

/**
 * The text of one side of the change's Monaco view ('original' is live, 'modified' the predicted
 * object). A create or delete is one pane of the side it has (data-sides); the other side is ''.
 */
export async function diffSide(page: Page, side: 'original' | 'modified'): Promise<string> {
  const view = page.locator('[data-testid=diff-view]').first();
  const single = (await view.getAttribute('data-pane', { timeout: 5_000 })) === 'single';
  if (single && !((await view.getAttribute('data-sides')) ?? '').split(' ').includes(side)) return '';
  const text = await view.locator(single ? '.view-lines' : `.editor.${side} .view-lines`).first().textContent({ timeout: 5_000 });
  return (text ?? '').replace(/\u00a0/g, ' ');
}

/**
 * Where Monaco shows the lines of the change view holding `text`, each against its editor's box
 * ([] while none is rendered: Monaco renders the lines in view only). A line's text is measured,
 * not its box (a line's box is as wide as the longest line). Inline, a deleted line is there
 * twice: in the original editor, squeezed to nothing, and in a zone of the modified one.
 */
export async function diffLinesInView(page: Page, text: string): Promise<Array<{ line: DOMRectJSON; editor: DOMRectJSON; window: { width: number; height: number } }>> {
  return page.locator('[data-testid=diff-view] .view-line').evaluateAll((lines, wanted) => {
    const rect = (r: DOMRectJSON): DOMRectJSON => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
    return lines.flatMap((line) => {
      const editor = line.closest('.monaco-editor');
      if (!editor || !(line.textContent ?? '').replace(/\u00a0/g, ' ').includes(wanted)) return [];
      const range = line.ownerDocument.createRange();
      range.selectNodeContents(line);
      const view = line.ownerDocument.defaultView;
      return [{ line: rect(range.getBoundingClientRect()), editor: rect(editor.getBoundingClientRect()), window: { width: view?.innerWidth ?? 0, height: view?.innerHeight ?? 0 } }];
    });
  }, text);
}

export interface DOMRectJSON {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** Whether the page scrolls (a scrollbar of the window): the app fits its window when both are false. */
export async function pageScrolls(page: Page): Promise<{ x: boolean; y: boolean }> {
  return page.locator('html').evaluate((root) => ({ x: root.scrollWidth > root.clientWidth, y: root.scrollHeight > root.clientHeight }));
}

/** Picks a commit in the revision picker and waits until the picker shows it. */
export async function pickRevision(page: Page, oid: string): Promise<void> {
  await page.getByTestId('revision-picker').click();
  await page.locator(`[data-testid=revision-menu] [role=option][data-rev="${oid}"]`).click();
  await expect.poll(() => page.getByTestId('revision-picker').textContent()).toContain(oid.slice(0, 7));
}
