/**
 * Secret values never leave the engine in clear text (DESIGN.md rule 7, issue 8), end to end
 * against the real local cluster.
 *
 * Each run seeds fresh random sentinels: a Secret's `data` (written as base64) and `stringData`
 * (with a quote and a backslash, so its JSON-escaped form differs), a key whose value changes
 * between commits (a Secret *update*), a Helm chart whose values.yaml and slipway.yaml `set`
 * hold values a template puts into a Secret (one inside a connection string), the real admin
 * token of the cluster (copied into a test kubeconfig) and a fake token of a second user.
 *
 * Then it drives every front door — the CLI (render, plan as text / JSON / plan file, apply,
 * history, rollback and revert previews, diff, contexts, failures with the fake token), the
 * SQLite history (main file, -wal and -shm, read while the engine holds it open and after it
 * closed), `slipway serve`'s output, and the browser (page HTML at each step, the body of every
 * HTTP response, every WebSocket frame) — and asserts that no form of any sentinel (plain,
 * JSON-escaped, HTML-escaped, base64 at any alignment) appears anywhere. So the checks are not
 * vacuous, each step also asserts what must be there: the Secret, its key names, which key
 * changed, the runs in the database — and that the cluster really holds the values.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { captureOutputs, findLeaks, sentinel, type Output, type PageOutputs } from '../support/leaks.js';
import { closeUi, diffSide as diffSideOf, openUi, pickRevision as pickRevisionOf, reportUiFailure, type UiSession } from './browser.js';
import { cleanUp } from '../support/cleanup.js';
import { kubectlRunner } from '../support/kubectl.js';

const clusterKubeconfig = inject('kubeconfig');
const tools = inject('tools');
const root = new URL('../../', import.meta.url).pathname;
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const ns = `secrets-e2e-${suffix}`;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Every value that must never be seen. The admin token is filled in from the cluster's kubeconfig. */
const S: Record<string, string> = {
  data: sentinel('slwdata'),
  stringData: `slwstr"q\\${randomBytes(12).toString('hex')}`,
  rotate1: sentinel('slwrot1'),
  rotate2: sentinel('slwrot2'),
  rotate3: sentinel('slwrot3'),
  helmValues: sentinel('slwhelm'),
  helmSet: sentinel('slwset'),
  fakeToken: sentinel('slwfake'),
  typoData: sentinel('slwtypo1'),
  typoString: sentinel('slwtypo2'),
};

let tmp: string;
let kubeconfig: string;
let historyFile: string;
let fixture: TestRepo;
const commits: string[] = [];
/** Everything any front door produced, scanned at the end (and per step, to fail close to the cause). */
const outputs: Output[] = [];
let ui: UiSession | undefined;

const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: clusterKubeconfig });

/** PATH with helm and kubectl, the app cache and data folders in the test's temp folder, the test kubeconfig. */
function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(tools.helm)}:${dirname(tools.kubectl)}:${process.env.PATH ?? ''}`,
    KUBECONFIG: kubeconfig,
    SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'),
    SLIPWAY_DATA_DIR: join(tmp, 'data'),
    SLIPWAY_HISTORY: historyFile,
    SLIPWAY_SETTINGS: join(tmp, 'data', 'settings.json'),
    NO_COLOR: '1',
  };
}

/** Runs the built CLI; its stdout and stderr join the outputs. */
function slipway(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8', env: env(), input: '' });
  outputs.push({ where: `slipway ${args.join(' ')} (stdout)`, content: r.stdout }, { where: `slipway ${args.join(' ')} (stderr)`, content: r.stderr });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** The history database as bytes: the main file, its write-ahead log and shared-memory index. */
function readDatabase(when: string): void {
  for (const ext of ['', '-wal', '-shm', '-journal']) {
    const file = `${historyFile}${ext}`;
    if (existsSync(file)) outputs.push({ where: `history.db${ext} (${when})`, content: readFileSync(file) });
  }
}

/** No form of any sentinel in any output so far; the message names each leak's sentinel, form, place and surroundings. */
function expectNoLeaks(): void {
  const leaks = findLeaks(outputs, S);
  expect(leaks.map((l) => `${l.sentinel} (${l.form}) in ${l.where}: …${l.around}…`)).toEqual([]);
}

const vaultSecret = (rotate: string): string => `apiVersion: v1
kind: Secret
metadata:
  name: vault-creds
type: Opaque
data:
  password: ${b64(S.data!)}
  rotate: ${b64(rotate)}
stringData:
  api-key: '${S.stringData}'
`;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  tmp = mkdtempSync(join(tmpdir(), 'slipway-secrets-e2e-'));
  mkdirSync(join(tmp, 'data'));
  historyFile = join(tmp, 'history', 'history.db');

  // The test kubeconfig: the real cluster's admin token (random, so itself a sentinel) and a second user with a fake one.
  const real = parse(readFileSync(clusterKubeconfig, 'utf8')) as {
    clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority': string } }>;
    users: Array<{ name: string; user: { token: string } }>;
  };
  const cluster = real.clusters.find((c) => c.name === 'slipway')!.cluster;
  S.adminToken = real.users.find((u) => u.name === 'slipway-admin')!.user.token;
  expect(S.adminToken.length).toBeGreaterThanOrEqual(32);
  kubeconfig = join(tmp, 'kubeconfig.yaml');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: main
    cluster: {server: '${cluster.server}', certificate-authority: '${cluster['certificate-authority']}'}
users:
  - name: sentinel-admin
    user: {token: ${S.adminToken}}
  - name: sentinel-fake
    user: {token: ${S.fakeToken}}
contexts:
  - name: sentinel-admin
    context: {cluster: main, user: sentinel-admin, namespace: default}
  - name: sentinel-fake
    context: {cluster: main, user: sentinel-fake, namespace: default}
current-context: sentinel-admin
`,
    { mode: 0o600 },
  );

  fixture = createTestRepo({ prefix: 'slipway-secrets-e2e-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: vault
    path: apps/vault
    destination: {namespace: ${ns}, context: sentinel-admin}
  - name: chart
    path: apps/chart
    source:
      helm:
        set: {apiToken: ${S.helmSet}}
    destination: {namespace: ${ns}, context: sentinel-admin}
  - name: typo
    path: apps/typo
    destination: {namespace: ${ns}, context: sentinel-admin}
`,
    // A Secret with a mistyped apiVersion: the cluster refuses it, but its values were still written down.
    'apps/typo/secret.yaml': `apiVersion: V1\nkind: Secret\nmetadata:\n  name: typo-creds\ndata:\n  password: ${b64(S.typoData!)}\nstringData:\n  token: ${S.typoString}\n`,
    'apps/vault/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/vault/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault-config\ndata:\n  greeting: hello\n',
    'apps/vault/secret.yaml': vaultSecret(S.rotate1!),
    'apps/chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
    'apps/chart/values.yaml': `db:\n  password: ${S.helmValues}\napiToken: ""\n`,
    'apps/chart/templates/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: chart-db
type: Opaque
data:
  db-password: {{ .Values.db.password | b64enc | quote }}
stringData:
  url: {{ printf "postgres://app:%s@db:5432/app" .Values.db.password | quote }}
  api-token: {{ .Values.apiToken | quote }}
`,
    'apps/chart/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: chart-config\ndata:\n  release: {{ .Release.Name | quote }}\n',
  });
  commits.push(fixture.commit('vault and chart: first secrets'));
  fixture.write({ 'apps/vault/secret.yaml': vaultSecret(S.rotate2!) });
  commits.push(fixture.commit('vault: rotate the key'));
  fixture.write({ 'apps/vault/secret.yaml': vaultSecret(S.rotate3!) });
  commits.push(fixture.commit('vault: rotate the key again'));
});

afterAll(async () => {
  const steps: Array<() => unknown> = [
    () => closeUi(ui),
    () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']),
    () => fixture?.cleanup(),
    () => rmSync(tmp, { recursive: true, force: true }),
  ];
  await cleanUp(steps);
}, 60_000);

interface PlanJson {
  changes: Array<{ key: { kind: string; namespace?: string; name: string }; action: string; secretKeys?: Record<string, string> }>;
}
const secretChange = (plan: PlanJson, name: string): PlanJson['changes'][number] | undefined => plan.changes.find((c) => c.key.kind === 'Secret' && c.key.name === name);
const decoded = (name: string, key: string): string => Buffer.from(kubectl(['get', 'secret', name, '-n', ns, '-o', `jsonpath={.data.${key.replace(/\./g, '\\.')}}`]), 'base64').toString('utf8');

describe('the leak detector', () => {
  it('finds every seeded value where it is expected: the test kubeconfig, and the cluster\'s own view once applied (checked at the end)', () => {
    const found = new Set(findLeaks([{ where: 'kubeconfig', content: readFileSync(kubeconfig) }], S).map((l) => l.sentinel));
    expect([...found].sort()).toEqual(['adminToken', 'fakeToken']);
    // Each form is found inside longer text too: base64 at every alignment, JSON-escaped.
    for (const pad of ['', 'x', 'xy']) {
      const leaks = findLeaks([{ where: 'b64', content: b64(`${pad}${S.stringData}-tail`) }, { where: 'json', content: JSON.stringify({ v: `<${S.stringData}>` }) }], { stringData: S.stringData! });
      expect(leaks.map((l) => `${l.where} ${l.form}`).sort()).toEqual(['b64 base64', 'json json']);
    }
  });
});

describe('secrets through the CLI', () => {
  const runs: Record<string, string> = {};
  const repo = (): string => fixture.dir;

  it('lists contexts without credentials', () => {
    expect(ok(slipway('contexts'), 'contexts')).toMatch(/sentinel-admin[\s\S]*sentinel-fake/);
    expect(JSON.parse(ok(slipway('contexts', '--json'), 'contexts --json'))).toMatchObject([{ name: 'sentinel-admin', user: 'sentinel-admin', current: true }, { name: 'sentinel-fake', user: 'sentinel-fake' }]);
    expectNoLeaks();
  }, 60_000);

  it('renders the Secrets (directory and Helm) with their keys, never their values', () => {
    for (const name of ['vault', 'chart']) {
      const text = ok(slipway('render', '--repo', repo(), '--rev', commits[0]!, '--app', name), `render ${name}`);
      expect(text).toContain(name === 'vault' ? 'vault-creds' : 'chart-db');
      const json = ok(slipway('render', '--repo', repo(), '--rev', commits[0]!, '--app', name, '--json'), `render ${name} --json`);
      expect(json).toContain('Secret');
    }
    // The Helm template really put the values into the rendered Secret's keys.
    const chart = ok(slipway('render', '--repo', repo(), '--rev', commits[0]!, '--app', 'chart', '--json'), 'render chart --json');
    for (const key of ['db-password', 'url', 'api-token']) expect(chart).toContain(key);
    expectNoLeaks();
  }, 180_000);

  it('renders and plans a Secret with a mistyped apiVersion without its values', () => {
    const text = ok(slipway('render', '--repo', repo(), '--rev', commits[0]!, '--app', 'typo'), 'render typo');
    expect(text).toContain('typo-creds');
    expect(text).toContain('password: (hidden)');
    ok(slipway('render', '--repo', repo(), '--rev', commits[0]!, '--app', 'typo', '--json'), 'render typo --json');
    const plan = slipway('plan', '--repo', repo(), '--rev', commits[0]!, '--app', 'typo', '--json');
    expect(plan.status).toBe(1);
    expect(secretChange(JSON.parse(plan.stdout) as PlanJson, 'typo-creds')).toMatchObject({ action: 'error' });
    expectNoLeaks();
  }, 120_000);

  it('plans and applies the first commit (text, JSON and a plan file); the cluster holds the values', () => {
    const planFile = join(tmp, 'plan-vault-1.json');
    const text = ok(slipway('plan', '--repo', repo(), '--rev', commits[0]!, '--app', 'vault', '--context', 'sentinel-admin', '--out', planFile), 'plan vault');
    expect(text).toContain(`Secret ${ns}/vault-creds`);
    outputs.push({ where: 'plan-vault-1.json', content: readFileSync(planFile) });
    const json = JSON.parse(ok(slipway('plan', '--repo', repo(), '--rev', commits[0]!, '--app', 'vault', '--json'), 'plan vault --json')) as PlanJson;
    expect(secretChange(json, 'vault-creds')).toMatchObject({ action: 'create', secretKeys: { password: 'added', rotate: 'added', 'api-key': 'added' } });
    expectNoLeaks();

    const applied = slipway('apply', planFile, '--auto-approve');
    expect(ok(applied, 'apply vault')).toContain('vault-creds');
    runs.vault1 = /Run (\S+) recorded/.exec(applied.stderr)![1]!;

    const chartFile = join(tmp, 'plan-chart-1.json');
    ok(slipway('plan', '--repo', repo(), '--rev', commits[0]!, '--app', 'chart', '--out', chartFile), 'plan chart');
    outputs.push({ where: 'plan-chart-1.json', content: readFileSync(chartFile) });
    const chartRun = JSON.parse(ok(slipway('apply', chartFile, '--auto-approve', '--json'), 'apply chart')) as { runId: string; status: string };
    expect(chartRun.status).toBe('succeeded');
    runs.chart1 = chartRun.runId;

    // Not vacuous: what the cluster holds is exactly what was seeded.
    expect(decoded('vault-creds', 'password')).toBe(S.data);
    expect(decoded('vault-creds', 'api-key')).toBe(S.stringData);
    expect(decoded('vault-creds', 'rotate')).toBe(S.rotate1);
    expect(decoded('chart-db', 'db-password')).toBe(S.helmValues);
    expect(decoded('chart-db', 'url')).toBe(`postgres://app:${S.helmValues}@db:5432/app`);
    expect(decoded('chart-db', 'api-token')).toBe(S.helmSet);
    // The detector sees every value seeded into the cluster in kubectl's own answer (which is not an output of Slipway).
    const seen = new Set(findLeaks([{ where: 'kubectl get secrets -o json', content: kubectl(['get', 'secrets', 'vault-creds', 'chart-db', '-n', ns, '-o', 'json']) }], S).map((l) => l.sentinel));
    expect([...seen].sort()).toEqual(['data', 'helmSet', 'helmValues', 'rotate1', 'stringData']);
    expectNoLeaks();
  }, 180_000);

  it('plans the rotated key as a Secret update naming the key, then applies it', () => {
    const planFile = join(tmp, 'plan-vault-2.json');
    const text = ok(slipway('plan', '--repo', repo(), '--rev', commits[1]!, '--app', 'vault', '--out', planFile), 'plan vault rev 2');
    expect(text).toMatch(new RegExp(`update.*Secret ${ns}/vault-creds|Secret ${ns}/vault-creds.*update`));
    expect(text).toContain('rotate');
    outputs.push({ where: 'plan-vault-2.json', content: readFileSync(planFile) });
    const json = JSON.parse(ok(slipway('plan', '--repo', repo(), '--rev', commits[1]!, '--app', 'vault', '--json'), 'plan vault rev 2 --json')) as PlanJson;
    expect(secretChange(json, 'vault-creds')).toMatchObject({ action: 'update', secretKeys: { password: 'unchanged', rotate: 'changed', 'api-key': 'unchanged' } });
    const applied = JSON.parse(ok(slipway('apply', planFile, '--auto-approve', '--json'), 'apply vault rev 2')) as { runId: string; status: string };
    expect(applied.status).toBe('succeeded');
    runs.vault2 = applied.runId;
    expect(decoded('vault-creds', 'rotate')).toBe(S.rotate2);
    expectNoLeaks();
  }, 180_000);

  it('shows history lists and runs, without values', () => {
    const list = ok(slipway('history', '--context', 'sentinel-admin'), 'history --context');
    for (const id of Object.values(runs)) expect(list).toContain(id);
    ok(slipway('history', '--context', 'sentinel-admin', '--json'), 'history --context --json');
    ok(slipway('history', '--repo', repo(), '--app', 'vault'), 'history --app');
    expect(ok(slipway('history', runs.vault2!), 'history run')).toContain(`Secret ${ns}/vault-creds`);
    expect(ok(slipway('history', runs.vault2!, '--json'), 'history run --json')).toContain('vault-creds');
    expect(ok(slipway('history', '--resource', 'Secret/vault-creds', '-n', ns), 'history --resource')).toContain(runs.vault2);
    ok(slipway('history', '--resource', 'Secret/chart-db', '-n', ns, '--json'), 'history --resource --json');
    expectNoLeaks();
  }, 120_000);

  it('previews a rollback and a revert (no terminal: shown, then refused, nothing applied)', () => {
    for (const [what, args] of [
      ['rollback', ['rollback', '--to', runs.vault1!]],
      ['revert', ['revert', runs.vault2!]],
      ['rollback --json', ['rollback', '--to', runs.vault1!, '--json']],
    ] as const) {
      const r = slipway(...args);
      expect(r.status, what).toBe(1);
      expect(r.stderr, what).toMatch(/confirmation/);
      if (!what.endsWith('--json')) {
        expect(r.stdout, what).toContain(`Secret ${ns}/vault-creds`);
        expect(r.stdout, what).toContain('rotate');
      }
    }
    expect(decoded('vault-creds', 'rotate')).toBe(S.rotate2);
    expectNoLeaks();
  }, 120_000);

  it('compares two revisions, and two contexts where one has a wrong token', () => {
    const text = ok(slipway('diff', '--repo', repo(), '--app', 'vault', '--from', commits[0]!, '--to', commits[1]!), 'diff revisions');
    expect(text).toContain('vault-creds');
    expect(text).toContain('rotate');
    const json = JSON.parse(ok(slipway('diff', '--repo', repo(), '--app', 'vault', '--from', commits[0]!, '--to', commits[1]!, '--json'), 'diff --json')) as PlanJson;
    expect(secretChange(json, 'vault-creds')?.secretKeys).toMatchObject({ rotate: 'changed', password: 'unchanged' });
    // The fake token is refused by the API server: the errors must not quote it.
    const contexts = slipway('diff', '--repo', repo(), '--app', 'vault', '--context', 'sentinel-admin', '--against-context', 'sentinel-fake');
    expect(contexts.status).not.toBe(0);
    const fakePlan = slipway('plan', '--repo', repo(), '--rev', commits[1]!, '--app', 'vault', '--context', 'sentinel-fake');
    expect(fakePlan.status).not.toBe(0);
    expect(fakePlan.stderr).toMatch(/sentinel-fake|401|Unauthorized|unauthori[sz]ed/i);
    expectNoLeaks();
  }, 120_000);

  it('keeps the runs in the history database, whose bytes hold no value', () => {
    readDatabase('after the CLI closed it');
    const db = outputs.filter((o) => o.where.startsWith('history.db'));
    expect(db.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(db.map((o) => o.content as Buffer));
    for (const id of Object.values(runs)) expect(bytes.includes(Buffer.from(id))).toBe(true);
    expect(bytes.includes(Buffer.from('vault-creds'))).toBe(true);
    expectNoLeaks();
  });
});

describe('secrets in browser mode', () => {
  let page: Page;
  const pageHtml = async (step: string): Promise<void> => void outputs.push({ where: `page.content() ${step}`, content: await page.content() });
  let received: PageOutputs;

  const diffSide = (side: 'original' | 'modified'): Promise<string> => diffSideOf(page, side);
  const pickRevision = (oid: string): Promise<void> => pickRevisionOf(page, oid);

  async function openChange(key: string): Promise<void> {
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="${key}"]`).click();
    await expect.poll(() => diffSide('modified'), { timeout: 30_000 }).toContain('kind: Secret');
  }

  afterEach((ctx) => reportUiFailure('secrets-e2e', ctx, ui));

  beforeAll(async () => {
    ui = await openUi(env());
    page = ui.page;
    received = captureOutputs(page, outputs);
  }, 120_000);

  it('plans the rotated key: the Secret update shows key names and "changed", never values', async () => {
    await page.goto(ui!.app.url);
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').locator('option').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('vault'), expect.stringContaining('chart')]));
    await page.getByTestId('app-selector').selectOption('app:vault');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="sentinel-admin"]').click();
    await pickRevision(commits[2]!);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await openChange(`Secret ${ns}/vault-creds`);
    expect(await page.getByTestId('change-view').getAttribute('data-action')).toBe('update');
    const pills = await page.locator('[data-testid=change-view] .secret-keys .pill').allTextContents();
    expect(pills.sort()).toEqual(['api-key: unchanged', 'password: unchanged', 'rotate: changed']);
    expect(await diffSide('modified')).toContain('(hidden, changed)');
    await pageHtml('after planning commit 3 with the Secret diff open');
    expectNoLeaks();
  }, 120_000);

  it('applies it with live progress', async () => {
    await page.getByTestId('apply-button').click();
    await expect.poll(() => page.getByTestId('apply-dialog').isVisible()).toBe(true);
    await page.getByTestId('confirm-apply').click();
    const progress = page.getByTestId('apply-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
    expect(await page.getByTestId('apply-object').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toContain(`Secret ${ns}/vault-creds`);
    await pageHtml('after applying');
    expect(decoded('vault-creds', 'rotate')).toBe(S.rotate3);
    expect(received.frames).toBeGreaterThan(0); // the progress came over the WebSocket
    expectNoLeaks();
  }, 180_000);

  it('shows the history, a run, and a revert preview of it', async () => {
    await page.getByTestId('show-history').click();
    const rows = page.getByTestId('history-run');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3); // two CLI runs of vault, and this one
    await rows.first().click();
    await expect.poll(() => page.locator('[data-testid=run-objects] tbody tr').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('vault-creds')]));
    await pageHtml('history with the latest run open');
    await page.getByTestId('revert-run').click();
    await expect.poll(() => page.getByTestId('preview-banner').getAttribute('data-kind'), { timeout: 60_000 }).toBe('revert');
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await openChange(`Secret ${ns}/vault-creds`);
    expect(await page.locator('[data-testid=change-view] .secret-keys .pill').allTextContents()).toContain('rotate: changed');
    await pageHtml('revert preview with the Secret diff open');
    expectNoLeaks();
  }, 120_000);

  it('shows the Helm chart\'s Secret, unchanged, with both sides masked', async () => {
    await page.getByTestId('tab-plan').click();
    await page.getByTestId('app-selector').selectOption('app:chart');
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 0 to change · 0 to destroy');
    await page.getByTestId('chip-noop').click();
    await openChange(`Secret ${ns}/chart-db`);
    expect((await page.locator('[data-testid=change-view] .secret-keys .pill').allTextContents()).sort()).toEqual(['api-token: unchanged', 'db-password: unchanged', 'url: unchanged']);
    expect(await diffSide('original')).toContain('(hidden)');
    await pageHtml('chart plan with the Helm Secret open');
    expectNoLeaks();
  }, 120_000);

  it('leaves no value in any response, frame, the server\'s output or the open history database', async () => {
    await received.settled();
    expect(received.responses).toBeGreaterThan(10);
    expect(outputs.some((o) => o.where.includes('/api/plan') && o.content.includes('vault-creds'))).toBe(true);
    readDatabase('while slipway serve holds it open');
    await ui!.app.stop();
    readDatabase('after slipway serve stopped');
    const log = ui!.app.log();
    outputs.push({ where: 'slipway serve output', content: log });
    expect(log).toContain('Open this address');
    expect(ui!.pageErrors).toEqual([]);
    expectNoLeaks();
  }, 60_000);
});
