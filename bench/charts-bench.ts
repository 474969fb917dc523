/**
 * Rendering an app whose chart comes from a Helm repository, with the chart already in Slipway's
 * chart cache, side by side with the same chart vendored as a folder in the repository (issue 18:
 * "render an app whose chart is cached ≤ 1.2× the time of the same chart vendored").
 *
 *   npx tsx bench/charts-bench.ts [RUNS]
 *
 * The chart repository is real, as in the integration tests: the chart packaged by `helm package`,
 * indexed by `helm repo index`, served over HTTP with basic auth on loopback by its own process
 * (test/support/chart-servers.ts), which reports every request it gets. The Git repository holds
 * two Argo CD Applications that differ only in where the chart is: `chart:` + `repoURL` (exact
 * version), and `path:` to the vendored copy (the same files). Both go through the engine's
 * renderApp with the same options (helm from the test tool cache, the same parameters, namespace
 * and release name), alternately, after one warm-up render each: the repository stays open as in
 * the app and `slipway serve`, so what is compared is where the chart comes from, not Git.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GitCache } from '../core/git/cache.js';
import { openRepository } from '../core/git/repository.js';
import type { Repository, Revision } from '../core/git/types.js';
import { renderApp, type RenderOptions } from '../core/render/render.js';
import { selectApp } from '../core/source/load.js';
import { ensureClientTools } from '../test/cluster/build.js';
import { packageCharts, startChartRepo } from '../test/support/chart-servers.js';
import { createTestRepo } from '../test/support/git-repo.js';
import { markdownTable, measure, summarizeSamples, type BenchRow, type BenchSection } from './report.js';

const log = (m: string): void => console.error(`[bench] charts: ${m}`);
const AUTH = { user: 'bench', password: 'bench-password' };
const VERSION = '1.4.2';
/** Kinds the chart renders, one template each, each from shared helpers (as charts from the wild are written). */
const KINDS = ['Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'Role', 'RoleBinding', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy'];

/**
 * A chart of the usual shape: helpers, values with a few levels, one template per kind, three
 * objects per template (a range). Every body is the same labels and data block: what is measured
 * is rendering (helm template, parsing), which the cluster's schema does not enter into.
 */
function chartFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'Chart.yaml': `apiVersion: v2\nname: bench-web\nversion: ${VERSION}\nappVersion: "2.3.0"\ndescription: a web service, as charts from the wild are written\n`,
    'values.yaml': [
      'replicaCount: 2',
      'image:\n  repository: registry.example.com/web\n  tag: "2.3.0"\n  pullPolicy: IfNotPresent',
      'service:\n  type: ClusterIP\n  port: 80',
      'resources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {memory: 256Mi}',
      'env:\n' + Array.from({ length: 20 }, (_, i) => `  VAR_${i}: "value-${i}"`).join('\n'),
      'instances: [a, b, c]',
      '',
    ].join('\n'),
    'templates/_helpers.tpl': `{{- define "web.fullname" -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- define "web.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
`,
  };
  for (const kind of KINDS) {
    const name = kind.toLowerCase();
    files[`templates/${name}.yaml`] = `{{- range $i, $instance := .Values.instances }}
---
apiVersion: ${kind === 'Deployment' ? 'apps/v1' : kind === 'Ingress' || kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : kind === 'HorizontalPodAutoscaler' ? 'autoscaling/v2' : kind === 'PodDisruptionBudget' ? 'policy/v1' : kind.startsWith('Role') ? 'rbac.authorization.k8s.io/v1' : 'v1'}
kind: ${kind}
metadata:
  name: {{ include "web.fullname" $ }}-${name}-{{ $instance }}
  labels:
    {{- include "web.labels" $ | nindent 4 }}
  annotations:
    bench/replicas: {{ $.Values.replicaCount | quote }}
data:
  {{- range $k, $v := $.Values.env }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
  image: {{ printf "%s:%s" $.Values.image.repository $.Values.image.tag | quote }}
{{- end }}
`;
  }
  return files;
}

const application = (name: string, source: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
${source}
    helm:
      releaseName: web
      parameters:
        - name: replicaCount
          value: "3"
  destination:
    namespace: bench
`;

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 200));

export async function chartsSection(opts: { runs?: number } = {}): Promise<BenchSection> {
  const runs = Math.max(3, opts.runs ?? 21);
  const { helm } = await ensureClientTools(log);
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-charts-'));
  const chart = chartFiles();
  write(join(tmp, 'src', 'bench-web'), chart);
  packageCharts(helm, [join(tmp, 'src', 'bench-web')], join(tmp, 'served'));
  const server = await startChartRepo(join(tmp, 'served'), AUTH);
  const credentials = join(tmp, 'chart-credentials.yaml');
  writeFileSync(credentials, `repositories:\n  - url: ${server.url}\n    username: ${AUTH.user}\n    password: ${AUTH.password}\n`, { mode: 0o600 });
  const git = createTestRepo({ prefix: 'slipway-bench-charts-repo-' });
  let repo: Repository | undefined;
  try {
    git.write({
      ...Object.fromEntries(Object.entries(chart).map(([p, t]) => [`vendored/bench-web/${p}`, t])),
      'argocd/remote.yaml': application('remote', `    repoURL: ${server.url}\n    chart: bench-web\n    targetRevision: ${VERSION}`),
      'argocd/ranged.yaml': application('ranged', `    repoURL: ${server.url}\n    chart: bench-web\n    targetRevision: "~1.4"`),
      'argocd/vendored.yaml': application('vendored', '    repoURL: https://git.example.com/bench.git\n    path: vendored/bench-web'),
    });
    git.commit('a chart from a repository, and the same chart vendored');
    repo = await openRepository(git.dir, { cache: new GitCache() });
    const revision: Revision = await repo.resolve('HEAD');
    const remote = (await selectApp(repo, revision, { app: 'remote' })).app;
    const vendored = (await selectApp(repo, revision, { app: 'vendored' })).app;
    const ranged = (await selectApp(repo, revision, { app: 'ranged' })).app;
    if (!remote.source.chart) throw new Error('the remote app has no chart: the Argo CD import changed');
    const options = (cacheDir: string): RenderOptions => ({ cacheDir, tools: { helm, chartCredentialsFile: credentials } });
    const render = async (app: typeof remote, cacheDir: string): Promise<number> => (await renderApp(repo!, revision, app, options(cacheDir))).objects.length;

    // Not cached: each run with an empty chart cache (a new cache folder), as on a machine that never planned it.
    const fetchTimes: number[] = [];
    const fetchRequests: number[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) {
      const before = server.requests().length;
      const t = performance.now();
      await render(remote, join(tmp, `cold-${i}`, 'trees'));
      fetchTimes.push(performance.now() - t);
      await settle();
      fetchRequests.push(server.requests().length - before);
    }

    // Cached: one cache folder, filled by a first render; vendored: its materialized tree made by a first render.
    const cacheDir = join(tmp, 'cache', 'trees');
    const objects = { remote: await render(remote, cacheDir), vendored: await render(vendored, cacheDir) };
    if (objects.remote !== objects.vendored || objects.remote === 0) throw new Error(`the two apps render different objects (${objects.remote} and ${objects.vendored})`);
    await settle();
    const requestsBefore = server.requests().length;
    const cached: number[] = [];
    const local: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternating, so a busy moment of the machine falls on both.
      for (const [app, times] of i % 2 === 0 ? ([[remote, cached], [vendored, local]] as const) : ([[vendored, local], [remote, cached]] as const)) {
        const t = performance.now();
        await render(app, cacheDir);
        times.push(performance.now() - t);
      }
    }
    await settle();
    const cachedRequests = server.requests().length - requestsBefore;

    // A range is resolved again on every render (index.yaml), as Argo CD does: a newer version in range is planned; the archive still comes from the cache.
    await render(ranged, cacheDir);
    await settle();
    const rangedBefore = server.requests().length;
    const r = await measure(runs, () => render(ranged, cacheDir));
    await settle();
    const rangedRequests = server.requests().slice(rangedBefore);

    const c = summarizeSamples(cached);
    const v = summarizeSamples(local);
    const f = summarizeSamples(fetchTimes);
    const ratio = c.medianMs / v.medianMs;
    const met = ratio <= 1.2;
    log(`cached ${c.medianMs.toFixed(1)} ms, vendored ${v.medianMs.toFixed(1)} ms (${ratio.toFixed(2)}×), ${cachedRequests} requests while cached`);
    const rows: BenchRow[] = [
      {
        name: `render an app whose chart is in the chart cache (${objects.remote} objects)`,
        ...c,
        comparison: { name: 'the same chart vendored in the repository', ...v },
        ratio: `${ratio.toFixed(2)}× vendored`,
        target: { text: '≤ 1.2× vendored', met },
        notes:
          `Requests to the chart repository during these ${runs} renders: ${cachedRequests} (the version is exact, so its resolution and archive come from the chart cache). ` +
          'Cached: the archive is given to `helm template` as it is (a .tgz, by digest); vendored: the chart folder of the revision, materialized once per tree and reused.' +
          (met ? '' : ' Not met in this run.'),
      },
      {
        name: 'the same chart as a semver range (~1.4), its archive in the chart cache',
        ...r,
        notes: `For reference: a range is resolved again at each render, as Argo CD does, so a newer version in range is planned: ${rangedRequests.length} requests in ${runs} renders (${[...new Set(rangedRequests)].join(', ')}); the archive comes from the cache. Offline, the range takes what it resolved to last time, with a warning.`,
      },
      {
        name: 'render the same app with an empty chart cache (fetched)',
        ...f,
        notes: `For reference: index.yaml and the archive from the repository (basic auth), checked against the index's digest and stored; requests per render: ${[...new Set(fetchRequests)].join(', ')}.`,
      },
    ];
    return {
      title: 'Charts from a Helm repository (render)',
      description:
        `One chart (${KINDS.length} templates over shared helpers, ${objects.remote} objects) served by a real Helm chart repository on loopback (helm package + helm repo index, HTTP basic auth, its own process counting requests), ` +
        'and the same files vendored in the Git repository. Two Argo CD Applications differ only in where the chart is (`chart:` + `repoURL` at an exact version, or `path:`); ' +
        `each is rendered by the engine (renderApp, helm template from the test tool cache) ${runs} times, alternately, after a first render filled the chart cache and the materialized tree. ` +
        "Issue 18's row: a cached chart renders in ≤ 1.2× the time of the vendored one, with no network call.",
      rows,
    };
  } finally {
    await repo?.close();
    await server.stop();
    git.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await chartsSection({ runs: Number(process.argv[2] ?? 21) });
  console.log(`${section.title}\n\n${section.description}\n\n${markdownTable(section.rows)}`);
}
