/**
 * "Copy as Markdown" and "Save as HTML" end to end, in browser mode in Chromium against the real
 * local cluster: an app with a ConfigMap and a Secret whose values are random canaries is planned;
 * Copy as Markdown puts the plan's pull-request comment on the clipboard (read back from the
 * page), Save as HTML downloads the page; both show the Secret's keys and the ConfigMap's diff,
 * and no form of a canary is in the clipboard, the download, the page's HTML, any HTTP response or
 * WebSocket frame.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { captureOutputs, findLeaks, sentinel, type Output, type PageOutputs } from '../support/leaks.js';
import { closeUi, openUi, pickRevision, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-export-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const S = { data: sentinel('slwexpdata'), stringData: sentinel('slwexpstr') };
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

let tmp: string;
let fixture: TestRepo;
let commit: string;
let ui: UiSession;
let page: Page;
const outputs: Output[] = [];
let received: PageOutputs;
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-export-'));
  fixture = createTestRepo({ prefix: 'slipway-ui-export-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: web\n    path: apps/web\n    destination: {namespace: ${ns}}\n`,
    'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n',
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: ${b64(S.data)}\nstringData:\n  token: ${S.stringData}\n`,
  });
  commit = fixture.commit('web: config and credentials');
  kubectl(['create', 'namespace', ns]);
  ui = await openUi({ KUBECONFIG: kubeconfig, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: join(tmp, 'history.db'), SLIPWAY_SETTINGS: undefined });
  page = ui.page;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ui.app.url).origin });
  received = captureOutputs(page, outputs);
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-export', ctx, ui));

afterAll(async () => {
  await cleanUp([() => closeUi(ui), () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
}, 60_000);

async function expectNoLeaks(): Promise<void> {
  await received.settled();
  outputs.push({ where: 'the page (HTML)', content: await page.content() });
  const leaks = findLeaks(outputs, S);
  expect(leaks.map((l) => `${l.sentinel} (${l.form}) in ${l.where}: …${l.around}…`)).toEqual([]);
}

describe('the plan as a document, in the browser', () => {
  it('Copy as Markdown puts the pull-request comment on the clipboard and says so', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe('app:web');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await pickRevision(page, commit);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('2 to add · 0 to change · 0 to destroy');

    await page.getByTestId('copy-markdown').click();
    const status = page.getByTestId('plan-export-status');
    await expect.poll(() => status.getAttribute('data-kind')).toBe('done');
    expect(await status.textContent()).toMatch(/^Copied as Markdown \([\d,]+ characters\): paste it into a pull-request comment\.$/);
    const markdown = await page.locator('body').evaluate((body) => body.ownerDocument.defaultView!.navigator.clipboard.readText());
    outputs.push({ where: 'the clipboard (Copy as Markdown)', content: markdown });
    expect(markdown).toMatch(/^## Slipway plan: web → slipway-admin\n/);
    expect(markdown).toContain(`<details><summary><code>+ create</code> <b>ConfigMap ${ns}/web-config</b></summary>`);
    expect(markdown).toContain('+  greeting: hello');
    expect(markdown).toContain(`<b>Secret ${ns}/db</b>`);
    expect(markdown).toContain('- `data.password`: added');
    expect(markdown).toContain('+  password: (hidden)');
    await expectNoLeaks();
  }, 120_000);

  it('Save as HTML downloads one self-contained page with every diff', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-html').click()]);
    const planId = await page.getByTestId('plan-view').getAttribute('data-plan-id');
    expect(download.suggestedFilename()).toBe(`slipway-web-${planId}.html`);
    const html = readFileSync((await download.path())!, 'utf8');
    outputs.push({ where: 'the download (Save as HTML)', content: html });
    expect(html).toMatch(/^<!doctype html>\n/);
    expect(html).toContain(`<b>Secret ${ns}/db</b>`);
    expect(html).toContain('<span class="add">+  greeting: hello</span>');
    expect(html).not.toMatch(/<script|<link|src=/);
    await expect.poll(() => page.getByTestId('plan-export-status').textContent()).toBe(`Saved as slipway-web-${planId}.html.`);
    await expectNoLeaks();
  }, 60_000);
});
