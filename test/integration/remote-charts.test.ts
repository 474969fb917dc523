/**
 * Argo CD Applications whose chart is in a Helm repository (helm package + helm repo index, served
 * with basic auth) or an OCI registry (CNCF distribution, chart pushed with helm push), through the
 * CLI against the local cluster: plan → apply → re-plan with no changes; a chart with a dependency
 * from the repository and a file:// one; 401 / 404 / missing version errors; offline from the
 * chart cache; the password never in plans, history or caches.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { showRun, slipwayCli } from '../support/slipway-cli.js';
import { ensureRegistry, packageCharts, startChartRepo, startRegistry, type Running } from '../support/chart-servers.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const ns = `charts-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-charts-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const CANARY = `canary-${randomBytes(8).toString('hex')}`;
const credentialsFile = join(tmp, 'chart-credentials.yaml');
const env = { SLIPWAY_CHART_CREDENTIALS: credentialsFile, CHART_PASSWORD: CANARY, DOCKER_CONFIG: join(tmp, 'docker') };
const slipway = slipwayCli({ tmp, tools, env });
const wrongPassword = slipwayCli({ tmp, tools, env: { ...env, CHART_PASSWORD: 'wrong' } });
const noRegistryLogin = slipwayCli({ tmp, tools, env: { ...env, DOCKER_CONFIG: join(tmp, 'no-docker') } });
const history = join(tmp, 'history.db');
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', history];

const configMapChart = (name: string, version: string, body: string): Record<string, string> => ({
  [`${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: ${version}\n`,
  [`${name}/values.yaml`]: 'greeting: hello\n',
  [`${name}/templates/cm.yaml`]: body,
});

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const application = (name: string, source: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
${source}
  destination:
    namespace: ${ns}
`;

const src = join(tmp, 'chart-src');
const repoDir = join(tmp, 'repo-served');
let repo: TestRepo;
let charts: Running;
let registry: Running;

beforeAll(async () => {
  const webTemplate = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-web\ndata:\n  version: "${v}"\n  greeting: {{ .Values.greeting | quote }}\n`;
  writeTree(src, {
    ...Object.fromEntries(Object.entries(configMapChart('web', '1.0.0', webTemplate('1.0.0'))).map(([k, v]) => [k.replace('web/', 'web-1.0.0/'), v])),
    ...Object.fromEntries(Object.entries(configMapChart('web', '1.1.0', webTemplate('1.1.0'))).map(([k, v]) => [k.replace('web/', 'web-1.1.0/'), v])),
    ...configMapChart('mut', '0.1.0', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-mut\ndata:\n  take: first\n'),
    ...configMapChart('lib', '1.2.0', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-lib\ndata:\n  from: lib\n'),
  });
  packageCharts(tools.helm, [join(src, 'web-1.0.0'), join(src, 'web-1.1.0'), join(src, 'lib'), join(src, 'mut')], repoDir);
  writeTree(repoDir, { 'bad/index.yaml': 'entries: [unclosed\n' });
  charts = await startChartRepo(repoDir, { user: 'reader', password: CANARY });
  writeFileSync(credentialsFile, `repositories:\n  - url: ${charts.url}\n    username: reader\n    passwordEnv: CHART_PASSWORD\n`);

  registry = await startRegistry(ensureRegistry(), join(tmp, 'registry'), { user: 'pusher', password: CANARY });
  // helm registry login writes Docker's config.json, where Slipway finds the registry's login.
  const helmEnv = { ...process.env, HELM_REGISTRY_CONFIG: join(tmp, 'docker', 'config.json'), HELM_CACHE_HOME: join(tmp, 'helm-cache') };
  execFileSync(tools.helm, ['registry', 'login', `127.0.0.1:${registry.port}`, '--username', 'pusher', '--password-stdin', '--plain-http'], { env: helmEnv, input: CANARY, stdio: ['pipe', 'pipe', 'pipe'] });
  execFileSync(tools.helm, ['push', join(repoDir, 'web-1.0.0.tgz'), `oci://127.0.0.1:${registry.port}/charts`, '--plain-http'], { env: helmEnv, stdio: 'pipe' });
  execFileSync(tools.helm, ['push', join(repoDir, 'web-1.1.0.tgz'), `oci://127.0.0.1:${registry.port}/charts`, '--plain-http'], { env: helmEnv, stdio: 'pipe' });

  repo = createTestRepo({ prefix: 'slipway-charts-' });
  repo.write({
    'argocd/web-repo.yaml': application('web-repo', `  source:\n    repoURL: ${charts.url}\n    chart: web\n    targetRevision: "~1.0"\n    helm:\n      parameters:\n        - name: greeting\n          value: from-argo`),
    'argocd/web-oci.yaml': application(
      'web-oci',
      `  sources:\n    - repoURL: oci://127.0.0.1:${registry.port}/charts\n      chart: web\n      targetRevision: ">=1.0.0 <2.0.0"\n      helm:\n        valueFiles:\n          - $values/values/web.yaml\n    - repoURL: https://example.com/this.git\n      ref: values`,
    ),
    'values/web.yaml': 'greeting: from-values-file\n',
    'argocd/uncached.yaml': application('uncached', `  source:\n    repoURL: ${charts.url}\n    chart: web\n    targetRevision: 1.1.0`),
    'argocd/missing-version.yaml': application('missing-version', `  source:\n    repoURL: ${charts.url}\n    chart: web\n    targetRevision: 9.9.9`),
    'argocd/missing-chart.yaml': application('missing-chart', `  source:\n    repoURL: ${charts.url}\n    chart: nope\n    targetRevision: 1.0.0`),
    'argocd/missing-repo.yaml': application('missing-repo', `  source:\n    repoURL: ${charts.url}/nowhere\n    chart: web\n    targetRevision: 1.0.0`),
    'argocd/mutable.yaml': application('mutable', `  source:\n    repoURL: ${charts.url}\n    chart: mut\n    targetRevision: 0.1.0`),
    'argocd/bad-index.yaml': application('bad-index', `  source:\n    repoURL: ${charts.url}/bad\n    chart: web\n    targetRevision: 1.0.0`),
    'argocd/missing-oci-version.yaml': application('missing-oci-version', `  source:\n    repoURL: oci://127.0.0.1:${registry.port}/charts\n    chart: web\n    targetRevision: 3.0.0`),
    'umbrella/Chart.yaml': `apiVersion: v2\nname: umbrella\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: ^1.0.0\n    repository: ${charts.url}\n  - name: common\n    version: 0.1.0\n    repository: file://../common\n`,
    'umbrella/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-umbrella\ndata:\n  from: umbrella\n',
    'common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
    'common/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-common\ndata:\n  from: common\n',
  });
  repo.commit('chart apps');
}, 20 * 60_000);

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => charts?.stop(), () => registry?.stop(), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

const app = (name: string): string[] => ['--repo', repo.dir, '--app', name, '--create-namespace'];

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) out = out.concat(filesUnder(p));
    else if (s.isFile()) out.push(p);
  }
  return out;
}

describe('charts from Helm repositories and OCI registries', () => {
  it('an Application with a chart from a Helm repository (basic auth, a semver range): plan, apply, re-plan with no changes', () => {
    const plan = slipway(['plan', ...app('web-repo'), '--json', ...target]);
    expect(plan.status, showRun(plan)).toBe(0);
    const json = JSON.parse(plan.stdout) as { inputs: { charts?: { repoURL: string; chart: string; version: string; digest: string }[] } };
    expect(json.inputs.charts).toEqual([{ repoURL: charts.url, chart: 'web', version: '1.0.0', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) as unknown }]);
    const applied = slipway(['apply', ...app('web-repo'), '--auto-approve', ...target]);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(kubectl(['get', 'configmap', 'web-repo-web', '-n', ns, '-o', 'jsonpath={.data.version}/{.data.greeting}'])).toBe('1.0.0/from-argo');
    const again = slipway(['plan', ...app('web-repo'), '--detailed-exitcode', ...target]);
    expect(again.status, showRun(again)).toBe(0);
  });

  it('a multi-source Application with an OCI chart (login from Docker config.json) and $values from this repository', () => {
    const applied = slipway(['apply', ...app('web-oci'), '--auto-approve', ...target]);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(kubectl(['get', 'configmap', 'web-oci-web', '-n', ns, '-o', 'jsonpath={.data.version}/{.data.greeting}'])).toBe('1.1.0/from-values-file');
    const again = slipway(['plan', ...app('web-oci'), '--detailed-exitcode', ...target]);
    expect(again.status, showRun(again)).toBe(0);
  });

  it('a chart with a dependency from the repository and a file:// one', () => {
    const args = ['--repo', repo.dir, '--path', 'umbrella', '-n', ns];
    const applied = slipway(['apply', ...args, '--auto-approve', ...target]);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(kubectl(['get', 'configmap', '-n', ns, '-o', 'name']).split('\n').sort()).toEqual(expect.arrayContaining(['configmap/umbrella-common', 'configmap/umbrella-lib', 'configmap/umbrella-umbrella']));
    const again = slipway(['plan', ...args, '--detailed-exitcode', ...target]);
    expect(again.status, showRun(again)).toBe(0);
  });

  it.each([
    ['missing-version', /chart web from http:\/\/127\.0\.0\.1:\d+: no version matches "9\.9\.9" \(it has 1\.1\.0, 1\.0\.0\)/],
    ['missing-chart', /the repository has no chart named nope/],
    ['missing-repo', /index\.yaml is not in the repository http:\/\/127\.0\.0\.1:\d+\/nowhere \(HTTP 404\)/],
    ['bad-index', /chart web from http:\/\/127\.0\.0\.1:\d+\/bad: http:\/\/127\.0\.0\.1:\d+\/bad\/index\.yaml is not YAML/],
    ['missing-oci-version', /chart web 3\.0\.0 from oci:\/\/127\.0\.0\.1:\d+\/charts: the registry has no such version/],
  ])('%s: the error names the repository, chart and version', (name, message) => {
    const r = slipway(['plan', ...app(name), ...target]);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(message);
  });

  it('a wrong password: HTTP 401 naming the repository, and no password in the message', () => {
    const r = wrongPassword(['plan', ...app('uncached'), ...target]);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`chart web from ${charts.url.replace(/\./g, '\\.')} \\(version 1\\.1\\.0\\): the repository ${charts.url.replace(/\./g, '\\.')} refused index\\.yaml \\(HTTP 401 Unauthorized\\)`));
    expect(r.stdout + r.stderr).not.toContain('wrong');
  });

  it('a chart changed in its repository under the same version: apply of the saved plan refuses it (digest)', () => {
    const planFile = join(tmp, 'mutable.plan.json');
    const plan = slipway(['plan', ...app('mutable'), '--out', planFile, ...target]);
    expect(plan.status, showRun(plan)).toBe(0);
    writeTree(src, { 'mut/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-mut\ndata:\n  take: second\n' });
    packageCharts(tools.helm, [join(src, 'mut')], repoDir);
    // Only this chart leaves the cache (as on another machine): the others stay for the offline test.
    const planned = (JSON.parse(readFileSync(planFile, 'utf8')) as { inputs: { charts: { digest: string }[] } }).inputs.charts[0]!.digest;
    rmSync(join(tmp, 'cache', 'charts', 'blobs', `${planned.replace(':', '-')}.tgz`));
    const applied = slipway(['apply', planFile, '--auto-approve', '--kubeconfig', kubeconfigPath, '--history', history]);
    expect(applied.status, showRun(applied)).not.toBe(0);
    expect(applied.stdout + applied.stderr).toMatch(/chart mut 0\.1\.0 from http:\/\/127\.0\.0\.1:\d+: expected digest sha256:[0-9a-f]{64}, but the repository now lists sha256:[0-9a-f]{64}/);
  });

  it('no registry login: HTTP 401 naming the registry and how to log in', () => {
    const r = noRegistryLogin(['plan', ...app('missing-oci-version'), ...target]);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/chart web from oci:\/\/127\.0\.0\.1:\d+\/charts \(version 3\.0\.0\): the repository oci:\/\/127\.0\.0\.1:\d+\/charts refused the manifest of version 3\.0\.0 \(HTTP 401 Unauthorized\)/);
    expect(r.stdout + r.stderr).toMatch(/docker login \/ helm registry login/);
  });

  it('offline: cached charts plan with the repository stopped; an uncached one names the repository', async () => {
    await charts.stop();
    const again = slipway(['plan', ...app('web-repo'), '--detailed-exitcode', ...target]);
    expect(again.status, showRun(again)).toBe(0);
    const umbrella = slipway(['plan', '--repo', repo.dir, '--path', 'umbrella', '-n', ns, '--detailed-exitcode', ...target]);
    expect(umbrella.status, showRun(umbrella)).toBe(0);
    const uncached = slipway(['plan', ...app('uncached'), ...target]);
    expect(uncached.status, showRun(uncached)).not.toBe(0);
    expect(uncached.stdout + uncached.stderr).toMatch(new RegExp(`the repository ${charts.url.replace(/\./g, '\\.')} cannot be reached`));
  });

  it('the password never appears in plan text or JSON, history or caches', () => {
    const text = slipway(['plan', ...app('web-oci'), ...target]);
    const json = slipway(['plan', ...app('web-oci'), '--json', ...target]);
    expect(text.stdout + text.stderr + json.stdout + json.stderr).not.toContain(CANARY);
    const files = [...filesUnder(join(tmp, 'cache')), ...readdirSync(tmp).filter((n) => n.startsWith('history.db')).map((n) => join(tmp, n))];
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(readFileSync(f).includes(CANARY), f).toBe(false);
  });
});
