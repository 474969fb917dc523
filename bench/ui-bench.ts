/**
 * The UI in browser mode with a plan of 20,000 changes (issue 21; issue 7 measured 5,000), in Debian's Chromium
 * driven by playwright-core, against the real local cluster:
 *   - the resource list interactive: from the moment the plan result reaches the page (the
 *     renderer's `slipway:plan-received` performance mark) until the first rows are drawn and a
 *     keyboard selection (j) has moved the cursor and been painted;
 *   - opening a diff: from j, which goes to the next resource and opens it, until Monaco shows
 *     the object (its `name:` line; a create is one pane of its YAML) and the frame is painted;
 *   - the page's JS heap (CDP Runtime.getHeapUsage) after the review.
 * Every run is a fresh browser context (own renderer process and heap): open the corpus
 * repository, pick the context, plan (a real plan by the engine: 20,000 objects to create,
 * dry-run by the API server), then measure. The corpus' namespaces exist and are empty.
 * The plan reaches the page whole, as one HTTP response: its size is reported in the notes.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, serveApp } from '../test/e2e/browser.js';
import { benchCluster } from './cluster-bench.js';
import { generateCorpus } from './corpus.js';
import { summarizeSamples, type BenchRow, type BenchSection } from './report.js';

const CONTEXT = 'slipway-admin';
const log = (m: string): void => console.error(`[bench] ui: ${m}`);
const TARGET = { interactiveMs: 1000, diffMs: 150, heapMB: 300 } as const;

/**
 * Runs in the page before Plan is pressed (as a string: bench/ has no DOM types). Resolves, once
 * the plan has arrived, with the times of the first rows, the keyboard response and the first
 * diff (Monaco loaded), each in ms after the plan-received mark.
 */
const WATCH_PLAN = `(() => {
  const MARK = 'slipway:plan-received';
  performance.clearMarks(MARK);
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  window.__slipwayBench = (async () => {
    while (performance.getEntriesByName(MARK).length === 0) {
      const failed = document.querySelector('.plan-error [data-testid=error-message]');
      if (failed) throw new Error('the plan failed: ' + failed.textContent);
      await new Promise((r) => setTimeout(r, 5));
    }
    const received = performance.getEntriesByName(MARK)[0].startTime;
    let tree = null;
    while (!(tree = document.querySelector('[data-testid=plan-tree]')) || !tree.querySelector('[role=treeitem][data-key]')) await frame();
    const firstRows = performance.now() - received;
    // A key press as the user would make one: in its own task, once the page lets it run.
    await tick();
    const before = tree.getAttribute('aria-activedescendant');
    tree.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, cancelable: true }));
    while (tree.getAttribute('aria-activedescendant') === before) await tick();
    await painted();
    const interactive = performance.now() - received;
    while (!document.querySelector('[data-testid=diff-view] .view-line')) await frame();
    const firstDiff = performance.now() - received;
    // The plan's HTTP response (browser mode sends it whole): its bytes on the wire and as JSON text.
    const response = performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '/api/plan').pop();
    return { firstRows, interactive, firstDiff, changes: performance.getEntriesByName(MARK)[0].detail?.changes ?? 0, planBytes: response?.decodedBodySize ?? 0, planWireBytes: response?.transferSize ?? 0, planResponseMs: response ? response.responseEnd - response.responseStart : 0 };
  })();
})()`;

/** Times j (the next resource, opened) until Monaco shows that object. */
const OPEN_NEXT_DIFF = `(async () => {
  const tree = document.querySelector('[data-testid=plan-tree]');
  const shows = (want) => [...document.querySelectorAll('[data-testid=diff-view] .view-line')].some((l) => l.textContent.replace(/\\u00a0/g, ' ').trim() === want);
  const before = tree.querySelector('.tree-row.cursor')?.dataset.key;
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  tree.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, cancelable: true }));
  let key;
  while ((key = tree.querySelector('.tree-row.cursor')?.dataset.key) === before) await new Promise((r) => setTimeout(r, 0));
  if (!key) throw new Error('no resource under the cursor');
  const want = 'name: ' + key.slice(Math.max(key.lastIndexOf('/'), key.indexOf(' ')) + 1);
  while (!shows(want)) await new Promise((r) => requestAnimationFrame(() => r()));
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
})()`;

interface RunResult {
  readonly firstRows: number;
  readonly interactive: number;
  readonly firstDiff: number;
  readonly changes: number;
  /** The plan's HTTP response body (JSON), decoded and on the wire (headers included). */
  readonly planBytes: number;
  readonly planWireBytes: number;
  /** From its first byte to its last, as the page received it. */
  readonly planResponseMs: number;
  readonly diffs: readonly number[];
  readonly heapMB: number;
  readonly heapAfterGcMB: number;
}

const MiB = 2 ** 20;

function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms).unref())]);
}

async function oneRun(page: Page, url: string, repoDir: string, diffs: number): Promise<RunResult> {
  await page.goto(url);
  await page.getByTestId('repo-path').waitFor({ timeout: 30_000 });
  await page.getByTestId('repo-path').fill(repoDir);
  await page.getByTestId('open-repo').click();
  await page.waitForFunction("document.querySelector('[data-testid=app-selector]')?.value === 'app:bench'", undefined, { timeout: 60_000 });
  await page.getByTestId('context-switcher').click();
  await page.locator(`[data-testid=context-menu] [role=option][data-context="${CONTEXT}"]`).click();
  await page.evaluate(WATCH_PLAN);
  await page.getByTestId('plan-button').click();
  const shown = await withTimeout('the plan', 600_000, page.evaluate('window.__slipwayBench') as Promise<Omit<RunResult, 'diffs' | 'heapMB' | 'heapAfterGcMB'>>);
  const times: number[] = [];
  for (let i = 0; i < diffs; i++) times.push(await withTimeout('opening a diff', 30_000, page.evaluate(OPEN_NEXT_DIFF) as Promise<number>));
  const cdp = await page.context().newCDPSession(page);
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.send('HeapProfiler.collectGarbage');
  const afterGc = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return { ...shown, diffs: times, heapMB: heap.usedSize / MiB, heapAfterGcMB: afterGc.usedSize / MiB };
}

const ms = (v: number): string => `${v.toFixed(0)} ms`;
const ofTarget = (v: number, target: number): string => `${((v / target) * 100).toFixed(0)} % of the target`;

export async function uiSection(opts: { objects?: number; runs?: number; diffsPerRun?: number } = {}): Promise<BenchSection> {
  const objects = opts.objects ?? 20_000;
  // Each run plans 20,000 objects afresh (~30 s of engine and API server time): few runs keep the section modest.
  const runs = opts.runs ?? 3;
  const diffsPerRun = opts.diffsPerRun ?? 6;
  const c = await benchCluster();
  log('building the renderer and engine (npm run build) so the current code is measured');
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
  log(`generating a ${objects}-object corpus`);
  const corpus = generateCorpus({ objects, commits: 0, tag: `bench-ui-${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}` });
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-ui-'));
  const results: RunResult[] = [];
  try {
    const namespaces = join(tmp, 'namespaces.json');
    writeFileSync(namespaces, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: corpus.namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) }));
    await c.kubectl(['create', '-f', namespaces]);
    const served = await serveApp([], { env: { KUBECONFIG: c.kubeconfigPath, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data') } });
    const browser = await launchChromium();
    // The printed address works once: later contexts get the session cookie the first one received.
    let cookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];
    try {
      for (let i = 0; i < runs; i++) {
        // bypassCSP: the page's CSP forbids eval, which page.evaluate of the strings above uses.
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
        await context.addCookies(cookies);
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        try {
          const r = await oneRun(page, i === 0 ? served.url : new URL(served.url).origin, corpus.dir, diffsPerRun);
          if (i === 0) cookies = await context.cookies();
          if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
          log(`run ${i + 1}/${runs}: ${r.changes} changes (${(r.planBytes / MiB).toFixed(1)} MiB of JSON); rows ${ms(r.firstRows)}, interactive ${ms(r.interactive)}, first diff ${ms(r.firstDiff)}, diffs ${r.diffs.map((d) => d.toFixed(0)).join('/')} ms, heap ${r.heapMB.toFixed(0)} MB (${r.heapAfterGcMB.toFixed(0)} after GC)`);
          results.push(r);
        } catch (err) {
          log(`run ${i + 1} failed; the server said:\n${served.log().slice(-3000)}`);
          throw err;
        } finally {
          await context.close();
        }
      }
    } finally {
      await browser.close();
      await served.stop();
    }
  } finally {
    await c.kubectl(['delete', 'namespace', ...corpus.namespaces, '--ignore-not-found', '--wait=false']).catch((e: unknown) => log(`cleanup: ${String(e)}`));
    corpus.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }

  const changes = results[0]?.changes ?? 0;
  const interactive = summarizeSamples(results.map((r) => r.interactive));
  const firstRows = summarizeSamples(results.map((r) => r.firstRows));
  const firstDiff = summarizeSamples(results.map((r) => r.firstDiff));
  const diff = summarizeSamples(results.flatMap((r) => r.diffs));
  const heap = summarizeSamples(results.map((r) => r.heapMB));
  const heapGc = summarizeSamples(results.map((r) => r.heapAfterGcMB));
  const planMiB = summarizeSamples(results.map((r) => r.planBytes / MiB));
  const planArrival = summarizeSamples(results.map((r) => r.planResponseMs));
  const transport = `The plan reaches the page whole, as one HTTP response of ${planMiB.medianMs.toFixed(1)} MiB of JSON (every object's YAML and the commits behind it; no size limit on responses), received in ${ms(planArrival.medianMs)} from its first byte to its last and parsed before the mark; in the desktop app it is one IPC reply of the same value.`;
  const row = (name: string, m: { medianMs: number; minMs: number; maxMs: number }, target: number, unit: 'ms' | 'MB', targetText: string, notes: string, missed: string): BenchRow => ({
    name,
    ...m,
    unit,
    ratio: ofTarget(m.medianMs, target),
    target: { text: targetText, met: m.medianMs <= target },
    notes: m.medianMs <= target ? notes : `${notes} Not met: ${missed}`,
  });
  return {
    title: 'UI in browser mode',
    description:
      `A plan of ${changes} changes (the ${objects}-object benchmark corpus, all to create; its namespaces exist) made by the engine against the local cluster and reviewed in Debian's Chromium (headless, playwright-core, 1440×900), ${runs} runs, each in a fresh browser context. ` +
      'Times start at the `slipway:plan-received` performance mark the renderer sets when the plan result reaches the page (after the HTTP response is parsed): "interactive" is when the first rows are drawn and a `j` key press, sent as its own task, has moved the cursor and been painted; a diff opens from j (the next resource, opened) until Monaco shows that object (a create: one pane of its YAML), painted. ' +
      `The heap is the page's JS heap (CDP Runtime.getHeapUsage) after the review, before and after a forced GC.`,
    rows: [
      row(
        `resource list interactive after the plan arrives (${changes} changes)`,
        interactive,
        TARGET.interactiveMs,
        'ms',
        '≤ 1 s',
        `first rows drawn at ${ms(firstRows.medianMs)} (median); the first diff shown at ${ms(firstDiff.medianMs)} (the diff editor's chunk is loaded while the engine plans). ${transport}`,
        'the first React commit builds the model of every row (filter, group, sort of all changes) and the page is still collecting the garbage of parsing the plan; what would close it: send the list (keys, actions, flags) first and each change\'s YAML when it is opened, and build rows in a worker.',
      ),
      row(
        `open a diff from the list (${changes}-change plan)`,
        diff,
        TARGET.diffMs,
        'ms',
        '≤ 150 ms',
        `${results.flatMap((r) => r.diffs).length} diffs opened with the keyboard (j), Monaco already loaded.`,
        'most of it is Monaco laying out the new editor (a new model per change) and the plan view re-rendering; what would close it: reuse one diff editor and swap its models.',
      ),
      row(
        `page JS heap while reviewing ${changes} changes`,
        heap,
        TARGET.heapMB,
        'MB',
        '≤ 300 MB',
        `${heapGc.medianMs.toFixed(0)} MB after a forced GC (median).`,
        'the plan (every object before and after, as YAML) lives in the page; keep only what the list needs and fetch a change\'s YAML when it is opened.',
      ),
    ],
  };
}
