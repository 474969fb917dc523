/**
 * npm run screenshots: docs/screenshots/*.png, taken in browser mode (Debian's Chromium, driven
 * by playwright-core) against the real local cluster and the demo repository, each in the light
 * and the dark theme at 1440×900:
 *
 *   start         the start screen, a repository path typed in;
 *   plan-hooks    the plan of v1.1.0: its Hooks section (the PreSync migration, the PostSync smoke test), the migration open;
 *   apply         the apply of v1.1.0, finished: its steps, waves and objects;
 *   apply-phases  the same apply's steps up close: PreSync hooks, Sync by wave and kind, PostSync hooks;
 *   plan          the plan of v1.2.0 (the scale-up), the Deployment's diff open;
 *   apply-failed  the apply of the bad release v2.0.0, failed: its Pods Pending on "Insufficient cpu" named on the
 *                 Deployment's row, and the way back first (Roll back to the v1.2.0 commit, Revert this run);
 *   live          the Live tab on that bad release: Deployment → ReplicaSets → Pods, the new Pods degraded, Pending on
 *                 "Insufficient cpu", the Deployment chosen, the scheduler's Warnings among the Events;
 *   live-logs     the same tree with a running Pod's logs open (podinfo's JSON lines, served by kwok);
 *   history       after the bad release v2.0.0 failed and a rollback to v1.2.0: the runs, the failed one open;
 *   plan-destroy  the plan of v2.1.0, which deletes the ConfigMap and the Secret (prune): the count in red,
 *                 "Apply (destroys 2)", the deleted ConfigMap open;
 *   plan-impact   the working copy, v1.2.0 with a new log level, a rotated database password and the Service
 *                 moved to port 8080: the Impact and risks panel (the running Pods keep the old values: they
 *                 read both through envFrom; the Service's clients lose their port), the Deployment open,
 *                 the hooks folded so the tree shows its badges.
 *
 * `npm run screenshots -- plan-impact plan` writes only the pictures named (the whole story still runs).
 *
 * The theme follows the OS (the default setting, "system"): each picture is taken twice, with
 * prefers-color-scheme emulated light, then dark. The repository and data folders are fixed
 * (under the temp folder) and rebuilt each run, so the pictures show the same paths and commits.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { CONTEXTS } from '../cluster/cluster.js';
import { repoRoot } from '../cluster/paths.js';
import { launchChromium, serveApp } from '../e2e/browser.js';
import { demoEnv, prepareDemo } from './prepare.js';
import { kubectlRunner } from '../support/kubectl.js';
import { podLogFiles } from '../support/pod-log-files.js';
import { DEMO_NAMESPACE } from './sample-repo.js';

const started = Date.now();
const log = (m: string): void => console.error(`[screenshots] ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s ${m}`);
const outDir = join(repoRoot, 'docs', 'screenshots');
const work = join(tmpdir(), 'slipway-screenshots');
const VIEWPORT = { width: 1440, height: 900 };
const SCHEMES = ['light', 'dark'] as const;

/** Polls `check` until it returns true (or throws on timeout, saying what it waited for). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Box = { x: number; y: number; width: number; height: number };

/** The pictures asked for on the command line; all when none is named. */
const only = new Set(process.argv.slice(2));

/** Both themes of the page, or of a part of it (`clip`, asked again for each theme). */
async function shoot(page: Page, name: string, clip?: () => Promise<Box>): Promise<void> {
  if (only.size > 0 && !only.has(name)) return;
  await page.mouse.move(VIEWPORT.width - 1, VIEWPORT.height - 1); // no hover highlight
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await until(`the ${scheme} theme`, async () => (await page.locator('html').getAttribute('data-theme')) === scheme);
    await page.waitForTimeout(1500); // Monaco repaints with its theme, and its scrollbars fade out
    const path = join(outDir, `${name}-${scheme}.png`);
    await page.screenshot({ path, ...(clip && { clip: await clip() }) });
    log(`wrote ${path}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The box from the top of `from` to the bottom of `to`, as wide as `from`, with a margin below. */
async function span(from: Locator, to: Locator): Promise<Box> {
  const [a, b] = [await from.boundingBox(), await to.boundingBox()];
  if (!a || !b) throw new Error('nothing to picture: an element is not shown');
  return { x: a.x, y: a.y, width: a.width, height: Math.min(b.y + b.height + 16, VIEWPORT.height) - a.y };
}

/** What podinfo 6.7.0 writes as it starts and serves: JSON lines, as the live view's logs show them. */
function podinfoLog(pod: string): string[] {
  const at = (s: number): string => new Date(Date.now() - 3_600_000 + s * 1000).toISOString();
  const line = (s: number, level: string, caller: string, msg: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ level, ts: at(s), caller, msg, ...extra });
  return [
    line(0, 'info', 'podinfo/main.go:153', 'Starting podinfo', { version: '6.7.0', revision: '0b5f5f5', port: '9898' }),
    line(0, 'info', 'api/server.go:255', 'Starting HTTP Server.', { addr: ':9898' }),
    line(1, 'info', 'api/server.go:437', 'readiness probe enabled'),
    ...Array.from({ length: 14 }, (_, i) => line(60 + i * 30, 'debug', 'api/server.go:331', 'request completed', { method: 'GET', path: i % 4 === 3 ? '/api/info' : '/readyz', status: 200, duration: `${(0.2 + (i % 5) * 0.07).toFixed(2)}ms`, host: pod })),
    line(540, 'warn', 'api/server.go:331', 'request completed', { method: 'GET', path: '/api/cart', status: 503, duration: '2.41ms', host: pod }),
    line(541, 'info', 'api/echo.go:40', 'echo request forwarded', { backend: 'storefront-api' }),
  ];
}

/** Picks a tag in the revision picker. */
async function pickTag(page: Page, tag: string): Promise<void> {
  await page.getByTestId('revision-picker').click();
  await page.locator(`[data-testid=revision-menu] [role=option][data-rev="refs/tags/${tag}"]`).click();
  await until(`revision ${tag}`, async () => ((await page.getByTestId('revision-picker').textContent()) ?? '').includes(tag));
}

async function plan(page: Page, expected: string): Promise<void> {
  await page.getByTestId('plan-button').click();
  await until(`the plan "${expected}"`, async () => (await page.getByTestId('plan-summary').textContent()) === expected);
}

/** Apply… → Apply → waits for the final status; returns it. */
async function apply(page: Page, want: 'succeeded' | 'failed'): Promise<void> {
  await until('Apply… enabled', () => page.getByTestId('apply-button').isEnabled());
  await page.getByTestId('apply-button').click();
  await page.getByTestId('confirm-apply').click();
  await until(`the apply to end ${want}`, async () => (await page.getByTestId('apply-progress').getAttribute('data-status')) === want, 120_000);
}

const { repo, dataDir, cluster } = await prepareDemo({ repoDir: join(work, 'storefront-gitops'), dataDir: join(work, 'data'), log });
mkdirSync(outDir, { recursive: true });
const app = await serveApp([], { env: { ...demoEnv(dataDir, join(work, 'cache')), KUBECONFIG: undefined } });
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    errors.push(e.message);
    log(`the page raised: ${e.message}${e.stack ? `\n${e.stack}` : ''}`);
  });
  await page.goto(app.url);

  log('start screen');
  await page.getByTestId('repo-path').fill(repo.dir);
  await shoot(page, 'start');
  await page.getByTestId('open-repo').click();
  await until('the app', async () => (await page.getByTestId('app-selector').inputValue()) === 'app:storefront');
  await page.getByTestId('context-switcher').click();
  await page.locator(`[data-testid=context-menu] [role=option][data-context="${CONTEXTS.admin}"]`).click();

  log('v1.0.0: plan and apply');
  await pickTag(page, 'v1.0.0');
  await plan(page, '3 to add · 0 to change · 0 to destroy');
  await apply(page, 'succeeded');
  await page.getByTestId('close-progress').click();

  log('v1.1.0: plan and apply');
  await pickTag(page, 'v1.1.0');
  await plan(page, '2 to add · 1 to change · 0 to destroy');
  const hooks = page.getByTestId('plan-hooks');
  await until('the PreSync and PostSync hooks', async () => (await hooks.getByTestId('hook-phase').evaluateAll((s) => s.map((e) => e.getAttribute('data-phase')).join(' '))) === 'PreSync PostSync');
  await hooks.getByTestId('plan-hook').first().click();
  await until('the migration hook open', async () => ((await page.locator('[data-testid=hook-view] .view-lines').first().textContent()) ?? '').includes('PreSync'), 30_000);
  await hooks.scrollIntoViewIfNeeded();
  await shoot(page, 'plan-hooks');
  await apply(page, 'succeeded');
  await shoot(page, 'apply');
  // Up close: from the apply's status down to its last step.
  await shoot(page, 'apply-phases', () => span(page.getByTestId('apply-progress'), page.getByTestId('apply-step').last()));
  await page.getByTestId('close-progress').click();

  log('v1.2.0: plan, open the Deployment diff, apply');
  await pickTag(page, 'v1.2.0');
  await plan(page, '0 to add · 1 to change · 0 to destroy');
  await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Deployment ${DEMO_NAMESPACE}/storefront"]`).click();
  await until('the diff', async () => ((await page.locator('[data-testid=diff-view] .editor.modified .view-lines').first().textContent()) ?? '').includes('replicas'), 30_000);
  await shoot(page, 'plan');
  await apply(page, 'succeeded');
  await page.getByTestId('close-progress').click();

  log('v2.0.0 (the bad release): plan and apply, which fails on the progress deadline');
  await pickTag(page, 'v2.0.0');
  await plan(page, '0 to add · 1 to change · 0 to destroy');
  await apply(page, 'failed');
  await until('Roll back offered', () => page.getByTestId('rollback-last-good').isVisible());
  await shoot(page, 'apply-failed');

  log('the Live tab on the bad release: the new Pods Pending on "Insufficient cpu", the Warnings, a running Pod\'s logs');
  await page.getByTestId('tab-live').click();
  const liveView = page.getByTestId('live-view');
  await until('the live tree, watched', async () => (await liveView.getAttribute('data-status')) === 'synced');
  await until('the Pending Pods and why', async () => (await page.locator('[data-testid=live-node][data-kind=Pod]', { hasText: 'Insufficient cpu' }).count()) > 0);
  await page.locator(`[data-testid=live-node][data-key="Deployment ${DEMO_NAMESPACE}/storefront"]`).click();
  await until('the scheduler\'s Warnings', async () => (await page.locator('[data-testid=live-event][data-type=Warning]').count()) > 0);
  await shoot(page, 'live');
  const runningPod = (await page.locator('[data-testid=live-node][data-kind=Pod][data-health=healthy]').first().getAttribute('data-key'))!.split('/')[1]!;
  // The Pod's log as podinfo writes it, served by kwok through the API server (its Logs resource).
  await podLogFiles(kubectlRunner({ kubectl: cluster.tools.kubectl, kubeconfig: cluster.kubeconfig }), {
    dir: join(work, 'logs'),
    namespace: DEMO_NAMESPACE,
    pod: runningPod,
    containers: { web: { lines: podinfoLog(runningPod), at: new Date(Date.now() - 60_000) } },
  });
  await page.locator(`[data-testid=live-node][data-key="Pod ${DEMO_NAMESPACE}/${runningPod}"]`).click();
  await until('the log lines', async () => (await page.getByTestId('log-line').count()) >= 10);
  await shoot(page, 'live-logs');
  await page.getByTestId('tab-plan').click();

  log('History: roll back to the v1.2.0 run');
  await page.getByTestId('show-history').click();
  const runs = page.getByTestId('history-run');
  await until('4 runs', async () => (await runs.count()) === 4);
  await page.locator(`[data-testid=history-run][data-commit="${repo.commits['v1.2.0']}"]`).click();
  await until('the v1.2.0 run', async () => ((await page.getByTestId('run-details').textContent()) ?? '').includes(repo.commits['v1.2.0']!));
  await page.getByTestId('rollback-to-run').click();
  await until('the rollback preview', async () => (await page.getByTestId('preview-banner').getAttribute('data-kind')) === 'rollback');
  await until('the rollback plan', async () => (await page.getByTestId('plan-summary').textContent()) === '0 to add · 1 to change · 0 to destroy');
  await apply(page, 'succeeded');
  await page.getByTestId('show-history').click();
  await until('5 runs', async () => (await runs.count()) === 5);
  await page.locator(`[data-testid=history-run][data-status=failed]`).click();
  // The migration hook, the Deployment that failed, the smoke test hook not run.
  await until('the failed run', async () => (await page.locator('[data-testid=run-objects] tbody tr').count()) === 3);
  await shoot(page, 'history');

  log('v2.1.0 (stateless): a plan that deletes the ConfigMap and the Secret');
  await page.getByTestId('tab-plan').click();
  await pickTag(page, 'v2.1.0');
  await plan(page, '0 to add · 1 to change · 2 to destroy');
  await until('Apply (destroys 2)', async () => (await page.getByTestId('apply-button').textContent()) === 'Apply (destroys 2)' && (await page.getByTestId('apply-button').isEnabled()));
  await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="ConfigMap ${DEMO_NAMESPACE}/storefront-config"]`).click();
  await until('the deleted ConfigMap', async () => ((await page.locator('[data-testid=diff-view] .view-lines').first().textContent()) ?? '').includes('PODINFO_UI_MESSAGE'), 30_000);
  await shoot(page, 'plan-destroy');

  log('the working copy: v1.2.0 (as applied) with a new log level, a rotated password and the Service on port 8080');
  const git = (...args: string[]): void => {
    const r = spawnSync('git', ['-C', repo.dir, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git('checkout', 'refs/tags/v1.2.0', '--', 'apps');
  const edit = (file: string, from: string, to: string): void => {
    const path = join(repo.dir, 'apps', 'storefront', file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
    writeFileSync(path, text.replace(from, to));
  };
  edit('base/configmap.yaml', 'PODINFO_LEVEL: info', 'PODINFO_LEVEL: debug');
  edit('overlays/prod/secret.yaml', 'DATABASE_PASSWORD: correct-horse-battery-staple', 'DATABASE_PASSWORD: tr0ub4dor-and-3');
  edit('base/service.yaml', 'port: 80', 'port: 8080');
  await page.getByTestId('revision-picker').click();
  await page.locator('[data-testid=revision-menu] [role=option][data-rev=":working"]').click();
  await plan(page, '0 to add · 3 to change · 0 to destroy');
  const findings = page.getByTestId('plan-findings');
  await until('the findings', async () => (await findings.getByTestId('plan-finding').count()) === 3);
  await findings.locator('[data-testid=plan-finding][data-rule=config-env]').first().click();
  await until('the Deployment open with its findings', async () => (await page.getByTestId('change-findings').locator('li').count()) === 2, 30_000);
  // The hooks folded, so the tree shows its badges under the panel.
  await page.getByTestId('plan-hooks-summary').click();
  await shoot(page, 'plan-impact');

  if (errors.length) throw new Error(`the page raised errors: ${errors.join('; ')}`);
  log(`done: ${only.size > 0 ? [...only].join(', ') : '22 pictures'} in ${outDir}`);
} finally {
  await browser.close();
  await app.stop();
  // Leave the shared cluster as it was found (a demo started later removes it anyway).
  spawnSync(cluster.tools.kubectl, ['--kubeconfig', cluster.kubeconfig, '--context', CONTEXTS.admin, 'delete', 'namespace', DEMO_NAMESPACE, '--ignore-not-found', '--wait=false']);
}
