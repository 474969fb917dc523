/**
 * Reviewing the demo's bad release (v2.0.0: podinfo 6.7.0 → 6.8.0) in browser mode, at a laptop's
 * 1440×900 and a small 1024×700 window (issue 17: the diff hid the change, the layout broke at
 * 1024 px, the keyboard did little): the changed line is in view when the diff opens, without
 * scrolling and not cut off; the window never scrolls (context menu open, Settings open); a create
 * is one pane of its YAML; and the keyboard flow: Ctrl+Enter plans and hands the focus to the
 * plan, j opens the next resource, / filters, ? lists the shortcuts, Ctrl+Shift+Enter opens the
 * apply confirmation and applies nothing by itself.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDemoRepo, type DemoRepo } from '../demo/sample-repo.js';
import { cleanUp } from '../support/cleanup.js';
import { kubectlRunner } from '../support/kubectl.js';
import { showRun, slipwayCli } from '../support/slipway-cli.js';
import { diffLinesInView, diffSide, launchChromium, pageScrolls, serveApp, type ServedApp } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-review-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

let tmp: string;
let demo: DemoRepo;
let app: ServedApp | undefined;
let browser: Browser;
let page: Page | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-review-'));
  demo = buildDemoRepo({ dir: join(tmp, 'storefront-gitops'), namespace: ns });
  // The cluster runs v1.2.0, as in the demo before its bad release.
  const slipway = slipwayCli({ tmp, tools });
  const applied = slipway(['apply', '--repo', demo.dir, '--app', demo.app, '--rev', 'v1.2.0', '--context', 'slipway-admin', '--kubeconfig', kubeconfig, '--history', join(tmp, 'cli-history.db'), '--auto-approve']);
  expect(applied.status, showRun(applied)).toBe(0);
  browser = await launchChromium();
}, 120_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) {
    const shot = join(tmpdir(), `slipway-ui-review-failure-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    console.error(`ui-review: "${ctx.task.name}" failed; screenshot ${shot}\npage errors: ${JSON.stringify(pageErrors)}\nserver output:\n${app?.log().slice(-4000)}`);
  }
  await page?.close();
  await app?.stop();
  page = undefined;
  app = undefined;
});

afterAll(async () => {
  await cleanUp([
    () => browser?.close(),
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => rmSync(tmp, { recursive: true, force: true }),
  ]);
});

/** `slipway serve` as the demo starts it (its address works once) and a page at this size on it, ready to plan. */
async function openPage(width: number, height: number): Promise<Page> {
  app = await serveApp(['--repo', demo.dir, '--app', demo.app, '--rev', 'v2.0.0', '--context', 'slipway-admin'], {
    env: { KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined },
  });
  const p = await browser.newPage({ viewport: { width, height } });
  p.on('pageerror', (e) => pageErrors.push(e.message));
  page = p;
  await p.goto(app.url);
  await expect.poll(() => p.getByTestId('plan-button').isEnabled()).toBe(true);
  // The app's own options (prune) arrive with its list: plan with them, not before.
  await expect.poll(() => p.getByTestId('prune-toggle').isChecked()).toBe(true);
  return p;
}

async function planWithKeys(p: Page, summary: string): Promise<void> {
  await p.keyboard.press('Control+Enter');
  await expect.poll(() => p.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe(summary);
}

/** "in view", or why not: a line of `text` is rendered whole inside its editor's box and the window. */
async function lineInView(p: Page, text: string): Promise<string> {
  const lines = await diffLinesInView(p, text);
  if (lines.length === 0) return `${text}: not rendered (scrolled away or folded)`;
  const whole = lines.some(({ line, editor, window: w }) => line.left >= editor.left - 1 && line.right <= editor.right + 1 && line.top >= editor.top - 1 && line.bottom <= editor.bottom + 1 && line.right <= w.width && line.bottom <= w.height);
  return whole ? 'in view' : `${text}: cut off — ${JSON.stringify(lines)}`;
}

const NO_SCROLL = { x: false, y: false };
/** The data-testid of the element with the keyboard focus. */
const focused = (p: Page): Promise<string | null | undefined> => p.locator('body').evaluate((body) => body.ownerDocument.activeElement?.getAttribute('data-testid'));
const openedTitle = (p: Page): Promise<string | null> => p.locator('[data-testid=change-view] h2').textContent();

describe('the diff shows the change', () => {
  it.each([
    [1440, 900, 'side-by-side'],
    [1024, 700, 'inline'],
  ])('at %i×%i the image change 6.7.0 → 6.8.0 is in view when the diff opens (%s)', async (width, height, layout) => {
    const p = await openPage(width, height);
    await planWithKeys(p, '0 to add · 1 to change · 0 to destroy');
    // The plan's only change opens by itself.
    await expect.poll(() => openedTitle(p)).toBe(`Deployment ${ns}/storefront`);
    await expect.poll(() => lineInView(p, 'podinfo:6.8.0'), { timeout: 30_000 }).toBe('in view');
    await expect.poll(() => lineInView(p, 'podinfo:6.7.0')).toBe('in view');
    // Narrower than both sides need, the diff is inline.
    expect(await p.getByTestId('diff-view').getAttribute('data-layout')).toBe(layout);
    // n goes to the diff's next change (the CPU request, line 35); p inside the diff, from the image line, back round to it.
    const activeLine = (): Promise<string | null> => p.locator('[data-testid=diff-view] .editor.modified .line-numbers.active-line-number').first().textContent();
    await expect.poll(activeLine).toBe('21');
    await p.keyboard.press('n');
    await expect.poll(activeLine).toBe('35');
    await p.locator('[data-testid=diff-view] .editor.modified .view-line', { hasText: 'podinfo:6.8.0' }).first().click();
    await p.keyboard.press('p');
    await expect.poll(activeLine).toBe('35');
    // Unchanged regions are folded.
    await expect.poll(() => p.locator('[data-testid=diff-view] .diff-hidden-lines').count()).toBeGreaterThan(0);
  });
});

describe('a 1024×700 window', () => {
  it('holds the workspace without scrolling: one toolbar row, the context menu inside, a create in one pane, Settings with Save in view', async () => {
    const p = await openPage(1024, 700);
    await planWithKeys(p, '0 to add · 1 to change · 0 to destroy');
    expect(await pageScrolls(p)).toEqual(NO_SCROLL);
    // The toolbar is one row: its items end on one line.
    const bottoms = await p.locator('.topbar > *').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().bottom)));
    expect(Math.max(...bottoms) - Math.min(...bottoms), `bottoms ${bottoms.join(', ')}`).toBeLessThanOrEqual(4);

    await p.getByTestId('context-switcher').click();
    const panel = p.getByTestId('context-switcher-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await pageScrolls(p)).toEqual(NO_SCROLL);
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1024);

    // Against the second cluster everything is a create: its YAML in one pane, as wide as the diff was.
    await p.locator('[data-testid=context-menu] [role=option][data-context="slipway-second"]').click();
    await planWithKeys(p, '5 to add · 0 to change · 0 to destroy');
    await p.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Deployment ${ns}/storefront"]`).click();
    await expect.poll(() => p.getByTestId('diff-view').getAttribute('data-pane')).toBe('single');
    await expect.poll(() => lineInView(p, 'podinfo:6.8.0'), { timeout: 30_000 }).toBe('in view');
    expect(await p.locator('[data-testid=diff-view] .monaco-editor').count()).toBe(1);
    const [editor, detail] = [(await p.locator('[data-testid=diff-view] .monaco-editor').boundingBox())!, (await p.locator('.detail').boundingBox())!];
    expect(editor.width).toBeGreaterThan(detail.width - 20);
    expect(await diffSide(p, 'original')).toBe('');

    await p.getByTestId('open-settings').click();
    const save = p.getByTestId('save-settings');
    await expect.poll(() => save.isVisible()).toBe(true);
    const s = (await save.boundingBox())!;
    expect(s.y + s.height).toBeLessThanOrEqual(700);
    // Nothing covers it and nothing clips it: the window shows the button itself there.
    expect(await save.evaluate((el) => el.ownerDocument.elementFromPoint(el.getBoundingClientRect().left + 10, el.getBoundingClientRect().top + 10) === el)).toBe(true);
    expect(await pageScrolls(p)).toEqual(NO_SCROLL);
  });
});

describe('the keyboard', () => {
  it('plans with Ctrl+Enter, hands the focus to the plan, j opens the next resource, / filters, ? lists the shortcuts, Ctrl+Shift+Enter asks before applying', async () => {
    const p = await openPage(1440, 900);
    await p.getByTestId('context-switcher').click();
    await p.keyboard.type('second');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.getByTestId('context-switcher').textContent()).toContain('slipway-second');

    // Ctrl+Enter from the revision picker's search plans; the plan takes the focus and the picker closes.
    await p.getByTestId('revision-picker').click();
    await expect.poll(() => p.getByTestId('revision-picker-panel').evaluate((panel) => panel.contains(panel.ownerDocument.activeElement))).toBe(true);
    await planWithKeys(p, '5 to add · 0 to change · 0 to destroy');
    await expect.poll(() => focused(p)).toBe('plan-tree');
    expect(await p.getByTestId('revision-picker-panel').count()).toBe(0);

    // The cluster-scoped Namespace opens first; j opens the next resource: one row highlighted, its YAML shown.
    await expect.poll(() => openedTitle(p)).toBe(`Namespace ${ns}`);
    // One editor serves change after change (a new Monaco editor per change was most of opening a diff): mark it, then j.
    await expect.poll(() => p.locator('[data-testid=diff-view] .monaco-editor').count(), { timeout: 30_000 }).toBe(1);
    await p.locator('[data-testid=diff-view] .monaco-editor').evaluate((el) => el.setAttribute('data-seen', 'namespace'));
    await p.keyboard.press('j');
    await expect.poll(() => openedTitle(p)).toBe(`ConfigMap ${ns}/storefront-config`);
    await expect.poll(() => diffSide(p, 'modified'), { timeout: 30_000 }).toContain('kind: ConfigMap');
    expect(await diffSide(p, 'modified')).not.toContain('kind: Namespace');
    expect(await p.locator('[data-testid=diff-view] .monaco-editor[data-seen=namespace]').count()).toBe(1);
    expect(await p.locator('[data-testid=plan-tree] .tree-row.selected').getAttribute('data-key')).toBe(`ConfigMap ${ns}/storefront-config`);
    expect(await p.locator('[data-testid=plan-tree] .tree-row.cursor').getAttribute('data-key')).toBe(`ConfigMap ${ns}/storefront-config`);

    // / goes to the filter; Enter back to the list, which shows what matches, opened.
    await p.keyboard.press('/');
    await p.keyboard.type('deploy');
    await p.keyboard.press('Enter');
    await expect.poll(() => p.locator('[data-testid=plan-tree] [role=treeitem][data-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual([`Deployment ${ns}/storefront`]);
    await expect.poll(() => openedTitle(p)).toBe(`Deployment ${ns}/storefront`);
    expect(await focused(p)).toBe('plan-tree');

    // ? lists the shortcuts (all of the table: its component test counts them); Escape closes the list.
    await p.keyboard.press('?');
    await expect.poll(() => p.getByTestId('shortcut-help').isVisible()).toBe(true);
    const rows = await p.getByTestId('shortcut-row').allTextContents();
    for (const row of ['Ctrl+EnterPlan', 'Ctrl+Shift+EnterApply…', 'jNext resource', '/Filter', '?This list']) expect(rows.some((r) => r.startsWith(row)), row).toBe(true);
    await p.keyboard.press('Escape');
    await expect.poll(() => p.getByTestId('shortcut-help').count()).toBe(0);

    // Ctrl+Shift+Enter opens the usual confirmation; closing it applies nothing.
    await p.keyboard.press('Control+Shift+Enter');
    await expect.poll(() => p.getByTestId('apply-dialog').isVisible()).toBe(true);
    await p.keyboard.press('Escape');
    await expect.poll(() => p.getByTestId('apply-dialog').count()).toBe(0);
    expect(kubectl.result(['get', 'namespace', ns], { context: 'slipway-second' }).status).not.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
