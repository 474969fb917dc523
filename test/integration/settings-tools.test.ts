/**
 * The Settings screen's tool fields reach the code that uses them: the engine behind the UI
 * (createHandlers, as `slipway serve` and the desktop app run it) plans, against the local
 * cluster, a folder with a SOPS-encrypted Secret, a Jsonnet folder and an Argo CD Application
 * whose chart is in a Helm repository that asks for basic auth. None of sops, jsonnet and helm is
 * on PATH, no age key is where sops looks by itself, and $SLIPWAY_CHART_CREDENTIALS is unset:
 * each app fails naming what it lacks until the setting is saved — the sops and jsonnet paths,
 * the age key file, the chart credentials file — and then plans.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHandlers, type EngineHandlers } from '../../core/api/handlers.js';
import type { Settings } from '../../core/api/contract.js';
import { ensureSopsTools, type SopsTools } from '../cluster/sops-tools.js';
import { packageCharts, startChartRepo } from '../support/chart-servers.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const ns = `settings-tools-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-settings-tools-it-'));
const CANARY = `canary-${randomBytes(9).toString('hex')}`;
const CHART_PASSWORD = `pw-${randomBytes(9).toString('hex')}`;

let sops: SopsTools;
let keyFile: string;
let recipient: string;
let credentialsFile: string;
let charts: Awaited<ReturnType<typeof startChartRepo>>;
let repo: TestRepo;
let engine: EngineHandlers;
let repoId: string;
/** What this process had, put back at the end: the engine reads tools from PATH and sops' key variables from its environment. */
const saved = { PATH: process.env.PATH, HOME: process.env.HOME, SOPS_AGE_KEY: process.env.SOPS_AGE_KEY, SOPS_AGE_KEY_FILE: process.env.SOPS_AGE_KEY_FILE, SLIPWAY_CHART_CREDENTIALS: process.env.SLIPWAY_CHART_CREDENTIALS, DOCKER_CONFIG: process.env.DOCKER_CONFIG };

beforeAll(async () => {
  sops = await ensureSopsTools((m) => console.log(m));
  keyFile = join(tmp, 'age-key.txt');
  execFileSync(sops.ageKeygen, ['-o', keyFile], { stdio: 'ignore' });
  recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))![1]!;
  const plain = join(tmp, 'secret.yaml');
  writeFileSync(plain, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY}\n`);
  const encrypted = execFileSync(sops.sops, ['encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', plain], { encoding: 'utf8', env: { ...process.env, HOME: tmp } });
  rmSync(plain);

  const chartSrc = join(tmp, 'chart-src', 'web');
  mkdirSync(join(chartSrc, 'templates'), { recursive: true });
  writeFileSync(join(chartSrc, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
  writeFileSync(join(chartSrc, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-web\ndata:\n  from: chart\n');
  packageCharts(tools.helm, [chartSrc], join(tmp, 'served'));
  charts = await startChartRepo(join(tmp, 'served'), { user: 'reader', password: CHART_PASSWORD });
  credentialsFile = join(tmp, 'chart-credentials.yaml');
  writeFileSync(credentialsFile, `repositories:\n  - url: ${charts.url}\n    username: reader\n    password: ${CHART_PASSWORD}\n`, { mode: 0o600 });

  repo = createTestRepo({ prefix: 'slipway-settings-tools-' });
  repo.write({
    'encrypted/secret.enc.yaml': encrypted,
    'jsonnet/config.jsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-jsonnet' }, data: { answer: std.toString(6 * 7) } }\n",
    'argocd/chart.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: chart\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: ${charts.url}\n    chart: web\n    targetRevision: 1.0.0\n  destination:\n    namespace: ${ns}\n`,
  });
  repo.commit('a SOPS Secret, a Jsonnet folder, a chart from a repository with basic auth');

  // Nothing found without the settings: no tool on PATH but git, no key where sops looks, no credentials from the environment.
  process.env.PATH = '/usr/bin:/bin';
  process.env.HOME = join(tmp, 'home');
  for (const v of ['SOPS_AGE_KEY', 'SOPS_AGE_KEY_FILE', 'SLIPWAY_CHART_CREDENTIALS'] as const) delete process.env[v];
  process.env.DOCKER_CONFIG = join(tmp, 'no-docker');
  engine = createHandlers({ transport: 'memory', historyPath: join(tmp, 'history.db'), settingsPath: join(tmp, 'settings.json'), env: { HOME: join(tmp, 'home'), KUBECONFIG: kubeconfigPath }, treesDir: join(tmp, 'cache', 'trees') });
  repoId = (await engine.openRepository({ path: repo.dir })).id;
}, 1_200_000);

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await cleanUp([() => engine?.close(), () => charts?.stop(), () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

async function saveTools(tools: Settings['tools']): Promise<void> {
  const current = (await engine.getSettings({})).settings;
  await engine.saveSettings({ ...current, tools });
}

const plan = (selection: { app: string } | { path: string }) => engine.plan({ repoId, rev: 'HEAD', ...selection, context: 'slipway-admin', kubeconfig: kubeconfigPath, namespace: ns, createNamespace: true });

describe('the tool settings reach the engine', () => {
  it('sops path and age key file: without them the Secret cannot be decrypted; with them it is planned, its value nowhere', async () => {
    await expect(plan({ path: 'encrypted' })).rejects.toMatchObject({ code: 'tool-missing', message: expect.stringContaining('encrypted with sops') as unknown });
    await saveTools({ sops: sops.sops });
    await expect(plan({ path: 'encrypted' })).rejects.toMatchObject({ code: 'sops-no-key', message: expect.stringContaining(recipient) as unknown });
    await saveTools({ sops: sops.sops, sopsAgeKeyFile: keyFile });
    const p = await plan({ path: 'encrypted' });
    expect(p.changes.find((c) => c.key.kind === 'Secret')).toMatchObject({ action: 'create', key: { name: 'db' }, secretKeys: { password: 'added' } });
    expect(JSON.stringify(p)).not.toContain(CANARY);
    expect(readFileSync(join(tmp, 'settings.json'), 'utf8')).toContain(keyFile);
  });

  it('jsonnet path: without it the Jsonnet folder names the tool; with it the folder plans its object', async () => {
    await expect(plan({ path: 'jsonnet' })).rejects.toMatchObject({ code: 'tool-missing', message: expect.stringContaining('needs jsonnet') as unknown });
    await saveTools({ ...(await engine.getSettings({})).settings.tools, jsonnet: tools.jsonnet });
    const p = await plan({ path: 'jsonnet' });
    expect(p.changes.find((c) => c.key.kind === 'ConfigMap')).toMatchObject({ action: 'create', key: { name: 'from-jsonnet' } });
  });

  it('chart credentials file: without it the repository answers 401; with it the chart is fetched and planned', async () => {
    await saveTools({ ...(await engine.getSettings({})).settings.tools, helm: tools.helm });
    await expect(plan({ app: 'chart' })).rejects.toMatchObject({ code: 'chart-auth-failed', message: expect.stringContaining('HTTP 401') as unknown });
    await saveTools({ ...(await engine.getSettings({})).settings.tools, chartCredentialsFile: credentialsFile });
    const requests = charts.requests().length;
    const p = await plan({ app: 'chart' });
    expect(p.changes.find((c) => c.key.kind === 'ConfigMap')).toMatchObject({ action: 'create', key: { name: 'chart-web' } });
    expect(p.inputs.charts).toEqual([expect.objectContaining({ repoURL: charts.url, chart: 'web', version: '1.0.0' })]);
    expect(charts.requests().length).toBeGreaterThan(requests);
    // The settings hold the file's path, never what is in it.
    const settingsText = readFileSync(join(tmp, 'settings.json'), 'utf8');
    expect(settingsText).toContain(credentialsFile);
    expect(settingsText).not.toContain(CHART_PASSWORD);
    expect(JSON.stringify(await engine.getSettings({}))).not.toContain(CHART_PASSWORD);
  });
});
