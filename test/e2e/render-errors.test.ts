/**
 * What the empty plan tab asks for, and a kustomize or Helm error as a reviewer reads it (issue 17,
 * findings 11 and 12), in browser mode with the real tools: the empty tab names only the choices
 * still missing and, once app, revision and context are picked, asks to press Plan; a kustomization
 * that lists a missing file, and a chart whose template fails, each fail the plan with the tool's
 * headline at file:line, the lines of that file with the line marked, and the tool's whole output
 * folded away — not the raw block the tool printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { CONTEXTS } from '../cluster/cluster.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { closeUi, openUi, pickRevision, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const ns = `ui-render-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

let tmp: string;
let fixture: TestRepo;
let commit: string;
let ui: UiSession;
let page: Page;

const prompt = (): Promise<string | null> => page.getByTestId('plan-prompt').textContent();
const planError = (): ReturnType<Page['locator']> => page.locator('.plan-error [data-testid=error-message]');
/** The snippet's lines as "<number>[*] <text>", the marked line starred. */
const snippetLines = (): Promise<string[]> =>
  planError()
    .locator('[data-testid=error-snippet] [data-line]')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-line')}${r.classList.contains('error-line') ? '*' : ''} ${(r.textContent ?? '').slice((r.querySelector('.line-no')?.textContent ?? '').length)}`));

async function pickApp(name: string): Promise<void> {
  await expect.poll(() => page.getByTestId('app-selector').isEnabled()).toBe(true);
  await page.getByTestId('app-selector').selectOption(`app:${name}`);
  await expect.poll(() => page.getByTestId('app-selector').inputValue()).toBe(`app:${name}`);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-ui-render-'));
  fixture = createTestRepo({ prefix: 'slipway-ui-render-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: shop\n    path: apps/shop\n    destination: {namespace: ${ns}}\n  - name: api\n    path: charts/api\n    destination: {namespace: ${ns}}\n`,
    'apps/shop/kustomization.yaml': 'resources:\n  - config.yaml\n  - missing.yaml\n',
    'apps/shop/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  a: "1"\n',
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'charts/api/values.yaml': 'greeting: hello\n',
    'charts/api/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  greeting: {{ .Values.greeting }}\n  deeper: {{ .Values.nope.deeper }}\n',
  });
  commit = fixture.commit('shop and api: a missing file and a template that fails');
  ui = await openUi({
    KUBECONFIG: kubeconfig,
    // kustomize and helm as a user has them: on PATH.
    PATH: `${dirname(tools.kustomize)}:${dirname(tools.helm)}:${dirname(tools.kubectl)}:${process.env.PATH ?? ''}`,
    SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'),
    SLIPWAY_DATA_DIR: join(tmp, 'data'),
    SLIPWAY_HISTORY: undefined,
    SLIPWAY_SETTINGS: undefined,
  });
  page = ui.page;
}, 120_000);

afterEach((ctx) => reportUiFailure('ui-render-errors', ctx, ui));

afterAll(async () => {
  await cleanUp([() => closeUi(ui), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('the empty plan tab (finding 12)', () => {
  it('names only what is still missing, and asks to press Plan once app, revision and context are picked', async () => {
    await page.goto(ui.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('repo-name').textContent()).toContain(fixture.dir.split('/').pop());
    // Two apps: none is picked for the user, and the tab says so — and only so.
    await expect.poll(prompt).toMatch(/^Pick an app, then press Plan \(.+\) to see what would change in the cluster\.$/);
    await pickApp('shop');
    await page.getByTestId('context-switcher').click();
    await page.locator(`[data-testid=context-menu] [role=option][data-context="${CONTEXTS.admin}"]`).click();
    await pickRevision(page, commit);
    await expect.poll(prompt).toMatch(/^Press Plan \(.+\) to see what would change in the cluster\.$/);
  }, 60_000);
});

describe('kustomize and Helm errors (finding 11)', () => {
  it("a kustomization listing a missing file: kustomize's headline at the kustomization's line, its lines, the output folded away", async () => {
    await page.getByTestId('plan-button').click();
    await expect.poll(() => planError().getAttribute('data-code'), { timeout: 60_000 }).toBe('render-failed');
    expect(await planError().locator('.error-text').textContent()).toMatch(/^kustomize build for app shop \(apps\/shop\) failed \(exit 1\): missing\.yaml does not exist \(listed in apps\/shop\/kustomization\.yaml\)$/);
    expect(await planError().locator('.error-where').textContent()).toBe('at apps/shop/kustomization.yaml:3');
    expect(await snippetLines()).toEqual(['1 resources:', '2   - config.yaml', '3*   - missing.yaml']);
    const output = planError().getByTestId('error-output');
    expect(await output.evaluate((d) => d.hasAttribute('open'))).toBe(false);
    expect(await output.locator('pre').textContent()).toMatch(/^Error: accumulating resources/);
    // Nothing of the raw block is shown outside the folded output.
    expect(await planError().locator('.error-text').textContent()).not.toContain('accumulating resources');
    expect(await page.getByTestId('plan-prompt').count()).toBe(0);
  }, 90_000);

  it("a chart whose template fails: helm's headline at the template's line and column, its lines, the output folded away", async () => {
    await pickApp('api');
    await page.getByTestId('plan-button').click();
    await expect.poll(() => planError().locator('.error-text').textContent(), { timeout: 60_000 }).toMatch(/^helm template for app api \(charts\/api\) failed \(exit 1\): /);
    expect(await planError().getAttribute('data-code')).toBe('render-failed');
    expect(await planError().locator('.error-text').textContent()).toContain('nil pointer evaluating interface {}.deeper (at <.Values.nope.deeper>)');
    expect(await planError().locator('.error-where').textContent()).toMatch(/^at charts\/api\/templates\/config\.yaml:7(:\d+)?$/);
    const lines = await snippetLines();
    expect(lines.filter((l) => /^\d+\*/.test(l))).toEqual(['7*   deeper: {{ .Values.nope.deeper }}']);
    expect(lines).toContain('6   greeting: {{ .Values.greeting }}');
    const output = planError().getByTestId('error-output');
    expect(await output.evaluate((d) => d.hasAttribute('open'))).toBe(false);
    expect(await output.locator('pre').textContent()).toContain('config.yaml:7');
    // Unfolded on request.
    await output.locator('summary').click();
    expect(await output.evaluate((d) => d.hasAttribute('open'))).toBe(true);
  }, 90_000);

  it('raised no page errors', () => {
    expect(ui.pageErrors).toEqual([]);
  });
});
