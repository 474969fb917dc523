/**
 * The live tree of a 500-object app drawn in the page (issue 20: "live tree of a 500-object app
 * drawn ≤ 500 ms"), the UI's part, in Debian's Chromium (playwright-core) against the local
 * cluster: the Live tab of an app of 100 Deployments (one replica) and 100 Services, members of
 * its ApplySet, with the ReplicaSets, Pods (kwok) and EndpointSlices their controllers make.
 *   - drawn after the tree arrives: from the renderer's `slipway:live-tree-received` mark (the
 *     watchLiveTree answer parsed) until the tree's rows are in the DOM and a frame is painted;
 *   - open the tab: from the click on Live until the same paint (the engine reads the app from
 *     the repository, discovers, lists the kinds and starts its watches meanwhile).
 * The ApplySet parent is the one the engine finds for the app (asked of `slipway status --json`
 * before anything exists); the objects are created with kubectl, labelled as its members.
 *
 *   npx tsx bench/live-ui-bench.ts          (or: npm run bench -- live-ui)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_ID_LABEL, APPLYSET_PART_OF_LABEL, APPLYSET_TOOLING_ANNOTATION } from '../core/model/applyset.js';
import { launchChromium, serveApp } from '../test/e2e/browser.js';
import { createTestRepo } from '../test/support/git-repo.js';
import { benchCluster } from './cluster-bench.js';
import { summarizeSamples, type BenchRow, type BenchSection } from './report.js';

const log = (m: string): void => console.error(`[bench] live-ui: ${m}`);
const CONTEXT = 'slipway-admin';
const UNITS = 100;
const TARGET_MS = 500;
const root = new URL('..', import.meta.url).pathname;

const manifests = (ns: string, setId: string): string =>
  Array.from({ length: UNITS }, (_, i) => {
    const name = `web-${String(i).padStart(3, '0')}`;
    return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}, labels: {${APPLYSET_PART_OF_LABEL}: ${setId}}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: nginx:1.27.0, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}, labels: {${APPLYSET_PART_OF_LABEL}: ${setId}}}
spec: {selector: {app: ${name}}, ports: [{port: 80}]}
`;
  }).join('---\n');

/**
 * Runs in the page (a string: bench/ has no DOM types), the Plan tab showing: clicks Live and
 * resolves, once the tree's rows are drawn and painted, with the times from the click and from
 * the received mark, and the number of rows.
 */
const OPEN_LIVE = `(async () => {
  const MARK = 'slipway:live-tree-received';
  performance.clearMarks(MARK);
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const t0 = performance.now();
  document.querySelector('[data-testid=tab-live]').click();
  let tree = null;
  while (!(tree = document.querySelector('[data-testid=live-tree]')) || !tree.querySelector('[data-testid=live-node]')) {
    const failed = document.querySelector('[data-testid=live-view] [data-testid=error-message]');
    if (failed) throw new Error('the live view failed: ' + failed.textContent);
    await frame();
  }
  await painted();
  const drawn = performance.now();
  const received = performance.getEntriesByName(MARK)[0];
  if (!received) throw new Error('no ' + MARK + ' mark: the tree came as an event, not as the answer');
  return { fromClick: drawn - t0, fromReceived: drawn - received.startTime, rows: Number(tree.dataset.rows) };
})()`;

interface Sample {
  readonly fromClick: number;
  readonly fromReceived: number;
  readonly rows: number;
}

async function openLive(page: Page): Promise<Sample> {
  const s = (await page.evaluate(OPEN_LIVE)) as Sample;
  // Back to the Plan tab: the live tree's stream stops; the next run starts a new one.
  await page.getByTestId('tab-plan').click();
  await page.waitForTimeout(300);
  return s;
}

export async function liveUiSection(opts: { runs?: number } = {}): Promise<BenchSection> {
  const runs = opts.runs ?? 11;
  const load = loadavg()[0]!.toFixed(1);
  const c = await benchCluster();
  log('building the renderer and engine (npm run build) so the current code is measured');
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
  const ns = `bench-live-ui-${Date.now().toString(36)}`;
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-live-ui-'));
  const repo = createTestRepo({ prefix: 'slipway-bench-live-ui-' });
  const samples: Sample[] = [];
  let podsRunning: number | undefined;
  try {
    repo.write({
      'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: bench\n    path: apps/bench\n    destination: {namespace: ${ns}}\n`,
      'apps/bench/app.yaml': manifests(ns, 'set-id-of-the-engine'),
    });
    repo.commit('bench: 100 Deployments and 100 Services');
    // The parent the engine looks for (nothing exists yet: status says so, exit 3, with the parent and its id).
    const status = spawnSync(process.execPath, [`${root}bin/slipway.js`, 'status', '--repo', repo.dir, '--app', 'bench', '--context', CONTEXT, '--kubeconfig', c.kubeconfigPath, '--json', '--history', join(tmp, 'history.db')], { encoding: 'utf8' });
    const { applySet } = JSON.parse(status.stdout) as { applySet: { parent: string; id: string } };
    const parentName = applySet.parent.split('/')[2]!;
    await c.kubectl(['create', 'namespace', ns]);
    await c.kubectl(['create', 'secret', 'generic', parentName, '-n', ns]);
    await c.kubectl(['label', 'secret', parentName, '-n', ns, `${APPLYSET_ID_LABEL}=${applySet.id}`]);
    await c.kubectl(['annotate', 'secret', parentName, '-n', ns, `${APPLYSET_GROUP_KINDS_ANNOTATION}=Deployment.apps,Service`, `${APPLYSET_TOOLING_ANNOTATION}=slipway/bench`]);
    const file = join(tmp, 'app.yaml');
    writeFileSync(file, manifests(ns, applySet.id));
    await c.kubectl(['apply', '--server-side', '-f', file]);
    // Every object made (a Pod the cluster has no room for stays Pending: still an object of the tree, with its reason).
    log(`waiting for the ${UNITS} ReplicaSets, Pods and EndpointSlices`);
    const count = (kind: string): number => spawnSync(c.tools.kubectl, ['--kubeconfig', c.kubeconfigPath, '--context', CONTEXT, 'get', kind, '-n', ns, '-o', 'name'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length;
    for (const deadline = Date.now() + 300_000; ['replicasets', 'pods', 'endpointslices'].some((k) => count(k) < UNITS); ) {
      if (Date.now() > deadline) throw new Error('the controllers did not make every ReplicaSet, Pod and EndpointSlice within 5 minutes');
      await new Promise((r) => setTimeout(r, 2000));
    }
    podsRunning = spawnSync(c.tools.kubectl, ['--kubeconfig', c.kubeconfigPath, '--context', CONTEXT, 'get', 'pods', '-n', ns, '--field-selector=status.phase=Running', '-o', 'name'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).length;

    const served = await serveApp([], { env: { KUBECONFIG: c.kubeconfigPath, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SLIPWAY_HISTORY: undefined, SLIPWAY_SETTINGS: undefined } });
    const browser = await launchChromium();
    try {
      // bypassCSP: the page's CSP forbids eval, which page.evaluate of the string above uses.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(served.url);
      await page.getByTestId('repo-path').fill(repo.dir);
      await page.getByTestId('open-repo').click();
      await page.waitForFunction("document.querySelector('[data-testid=app-selector]')?.value === 'app:bench'", undefined, { timeout: 60_000 });
      await page.getByTestId('context-switcher').click();
      await page.locator(`[data-testid=context-menu] [role=option][data-context="${CONTEXT}"]`).click();
      await openLive(page); // warm: the engine's first read (discovery, the repository) and the page's first render of the view
      for (let i = 0; i < runs; i++) {
        const s = await openLive(page);
        log(`run ${i + 1}/${runs}: ${s.rows} rows drawn ${s.fromReceived.toFixed(0)} ms after the tree arrived, ${s.fromClick.toFixed(0)} ms after the click`);
        samples.push(s);
      }
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    } finally {
      await browser.close();
      await served.stop();
    }
  } finally {
    await c.kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']).catch((e: unknown) => log(`cleanup: ${String(e)}`));
    repo.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }

  const rows = samples[0]?.rows ?? 0;
  const drawn = summarizeSamples(samples.map((s) => s.fromReceived));
  const opened = summarizeSamples(samples.map((s) => s.fromClick));
  const row = (name: string, m: { medianMs: number; minMs: number; maxMs: number }, notes: string): BenchRow => ({
    name,
    ...m,
    unit: 'ms',
    ratio: `${((m.medianMs / TARGET_MS) * 100).toFixed(0)} % of the target`,
    target: { text: `≤ ${TARGET_MS} ms`, met: m.medianMs <= TARGET_MS },
    notes,
  });
  return {
    title: 'Live tree in the page',
    description:
      `The Live tab of a ${rows}-object app (issue 20: drawn ≤ ${TARGET_MS} ms) in Debian's Chromium (headless, playwright-core, 1440×900) against the local cluster: ${UNITS} Deployments of one replica and ${UNITS} Services in the app's ApplySet, with the ReplicaSets, Pods (kwok) and EndpointSlices their controllers make. ` +
      `${runs} openings of the tab after a warm one, each a new watchLiveTree stream (leaving the tab stops it). "Drawn" starts at the \`slipway:live-tree-received\` mark the renderer sets when the answer is parsed and ends when the tree's rows are in the DOM and a frame is painted; "open" starts at the click on Live.`,
    rows: [
      row(`live tree of a ${rows}-object app drawn after it arrives`, drawn, `the rows are virtualized: ${rows} rows, a screenful drawn; ${podsRunning ?? '?'} of the ${UNITS} Pods Running (the others Pending where the cluster's Node had no room: rows with their scheduling reason). Load average when the section started: ${load}.`),
      row(`open the Live tab of a ${rows}-object app until its tree is drawn`, opened, `includes the engine's part: the app found in the repository, the kinds listed, the watches started (the Live tree section times the read alone).`),
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const section = await liveUiSection();
  const { markdownTable } = await import('./report.js');
  console.log(`\n## ${section.title}\n\n${markdownTable(section.rows)}\n`);
}
