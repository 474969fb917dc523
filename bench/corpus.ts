/**
 * The benchmark corpus: a Git repository holding one Slipway app of N objects of mixed kinds
 * (Namespaces, a CRD and its custom resources, Deployments, Services, ConfigMaps, Secrets,
 * ServiceAccounts, Roles, RoleBindings) across several namespaces, and a history of commits that
 * each change about 10 % of the objects. Everything is deterministic from the seed.
 *
 * Layout: `slipway.yaml` (app `bench`, path `apps/bench`, prune on) and one object per file,
 * pretty-printed JSON by default (block YAML with `format: 'yaml'`):
 *   apps/bench/00-crd.yaml
 *   apps/bench/<namespace>/00-namespace.yaml
 *   apps/bench/<namespace>/<kind>-<n>.yaml
 * (file names sort namespaces first, so `kubectl apply -R -f apps/bench` works as well).
 *
 * Deployments are 1 in 50 objects with one replica: the local cluster's single fake node holds 110 Pods.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { createTestRepo, type TestRepo } from '../test/support/git-repo.js';

export const CORPUS_GROUP = 'bench.slipway.dev';
export const CORPUS_CRD = `widgets.${CORPUS_GROUP}`;
/** Every corpus object carries this label (value: the corpus tag), so kubectl can select them. */
export const CORPUS_LABEL = 'bench.slipway.dev/corpus';

export interface CorpusOptions {
  /** Objects in the app, all kinds together (Namespaces and the CRD included). */
  readonly objects: number;
  /** Namespaces the objects spread over (default: one per 250 objects, at least 2). */
  readonly namespaces?: number;
  /** Commits after the first (default 50). */
  readonly commits?: number;
  /** Share of the objects each commit changes (default 0.1). */
  readonly changeRatio?: number;
  readonly seed?: number;
  /** Names the namespaces (`<tag>-<i>`) and labels every object; must be a DNS label prefix. */
  readonly tag: string;
  /** How each file is written: pretty-printed JSON (default, as `kubectl get -o json` prints), or block YAML (as people write it). */
  readonly format?: 'json' | 'yaml';
}

export interface CorpusObject {
  readonly path: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface Corpus {
  readonly repo: TestRepo;
  readonly dir: string;
  readonly app: 'bench';
  readonly appPath: 'apps/bench';
  readonly tag: string;
  readonly namespaces: readonly string[];
  readonly objects: readonly CorpusObject[];
  /** Commit oids, oldest first: commits[0] is the initial revision. */
  readonly commits: readonly string[];
  /** How many objects each commit (after the first) changed. */
  readonly changedPerCommit: number;
  /** The app's files (path → content) at commit `i`, as `kubectl apply -f` would read them. */
  filesAt(i: number): Record<string, string>;
  /** Writes the app's manifests at commit `i` into `dir` (for kubectl). */
  writeManifests(i: number, dir: string): void;
  cleanup(): void;
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kinds per block of 50 namespaced objects. */
const MIX: readonly [string, number][] = [
  ['Deployment', 1],
  ['Service', 1],
  ['ConfigMap', 20],
  ['Secret', 8],
  ['ServiceAccount', 5],
  ['Role', 5],
  ['RoleBinding', 5],
  ['Widget', 5],
];
const PATTERN: readonly string[] = MIX.flatMap(([kind, n]) => Array.from({ length: n }, () => kind));

function manifest(o: CorpusObject, tag: string, version: number): object {
  const labels = { [CORPUS_LABEL]: tag, 'app.kubernetes.io/part-of': 'bench' };
  const meta = { name: o.name, ...(o.namespace && { namespace: o.namespace }), labels };
  const app = o.name.replace(/^[a-z]+-/, 'app-');
  switch (o.kind) {
    case 'Namespace':
      return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.name, labels } };
    case 'CustomResourceDefinition':
      return {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: CORPUS_CRD, labels },
        spec: {
          group: CORPUS_GROUP,
          names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
          scope: 'Namespaced',
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, colour: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } } } } } },
            },
          ],
        },
      };
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app } },
          template: {
            metadata: { labels: { app }, annotations: { 'bench.slipway.dev/version': String(version) } },
            spec: { containers: [{ name: 'app', image: `registry.example.com/${app}:1.${version}.0`, ports: [{ containerPort: 8080 }], env: [{ name: 'VERSION', value: String(version) }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
          },
        },
      };
    case 'Service':
      return { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 + (version % 3) }] } };
    case 'ConfigMap':
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { 'settings.yaml': `level: info\nversion: ${version}\nfeature-${o.name}: true\n`, VERSION: String(version) } };
    case 'Secret':
      return { apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', stringData: { password: `pw-${o.name}-${version}`, user: o.name } };
    case 'ServiceAccount':
      return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...meta, annotations: { 'bench.slipway.dev/version': String(version) } } };
    case 'Role':
      return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: version % 2 ? ['get', 'list', 'watch'] : ['get', 'list'] }] };
    case 'RoleBinding':
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { ...meta, annotations: { 'bench.slipway.dev/version': String(version) } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: o.name.replace(/^rolebinding-/, 'role-') },
        subjects: [{ kind: 'ServiceAccount', name: o.name.replace(/^rolebinding-/, 'serviceaccount-'), namespace: o.namespace }],
      };
    case 'Widget':
      return { apiVersion: `${CORPUS_GROUP}/v1`, kind: 'Widget', metadata: meta, spec: { size: 1 + (version % 7), colour: ['red', 'green', 'blue'][version % 3], tags: [`v${version}`] } };
    default:
      throw new Error(`corpus: no manifest for ${o.kind}`);
  }
}

/** The objects of an N-object corpus, and their file paths. */
function layout(opts: CorpusOptions): { objects: CorpusObject[]; namespaces: string[] } {
  const nsCount = opts.namespaces ?? Math.max(2, Math.round(opts.objects / 250));
  const namespaces = Array.from({ length: nsCount }, (_, i) => `${opts.tag}-${i}`);
  const objects: CorpusObject[] = [{ path: 'apps/bench/00-crd.yaml', kind: 'CustomResourceDefinition', name: CORPUS_CRD }];
  for (const ns of namespaces) objects.push({ path: `apps/bench/${ns}/00-namespace.yaml`, kind: 'Namespace', name: ns });
  const counts = new Map<string, number>();
  for (let i = 0; objects.length < opts.objects; i++) {
    const kind = PATTERN[Math.floor(i / nsCount) % PATTERN.length]!;
    const namespace = namespaces[i % nsCount]!;
    const n = (counts.get(`${namespace}/${kind}`) ?? 0) + 1;
    counts.set(`${namespace}/${kind}`, n);
    // RoleBindings bind the Role and ServiceAccount of the same number (both come earlier in each block).
    const name = `${kind.toLowerCase()}-${n}`;
    objects.push({ path: `apps/bench/${namespace}/${kind.toLowerCase()}-${String(n).padStart(4, '0')}.yaml`, kind, namespace, name });
  }
  return { objects, namespaces };
}

export function generateCorpus(opts: CorpusOptions): Corpus {
  const commitCount = opts.commits ?? 50;
  const ratio = opts.changeRatio ?? 0.1;
  const random = prng(opts.seed ?? 7);
  const { objects, namespaces } = layout(opts);
  // Namespaces and the CRD never change: the other objects do, about `ratio` of all objects per commit.
  const changeable = objects.map((o, i) => ({ o, i })).filter(({ o }) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition');
  const changedPerCommit = Math.max(1, Math.round(objects.length * ratio));
  /** versions[c][i]: the version of object i at commit c. */
  const versions: number[][] = [objects.map(() => 0)];
  for (let c = 1; c <= commitCount; c++) {
    const next = [...versions[c - 1]!];
    const picked = new Set<number>();
    while (picked.size < Math.min(changedPerCommit, changeable.length)) picked.add(changeable[Math.floor(random() * changeable.length)]!.i);
    for (const i of picked) next[i] = c;
    versions.push(next);
  }
  const filesAt = (c: number): Record<string, string> => {
    const v = versions[c];
    if (!v) throw new Error(`corpus: no commit ${c}`);
    const write = opts.format === 'yaml' ? (m: object): string => stringify(m) : (m: object): string => `${JSON.stringify(m, null, 2)}\n`;
    return Object.fromEntries(objects.map((o, i) => [o.path, write(manifest(o, opts.tag, v[i]!))]));
  };
  const repo = createTestRepo({ prefix: `slipway-bench-${opts.tag}-` });
  const commits: string[] = [];
  repo.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: bench\n    path: apps/bench\n    destination: {namespace: ${namespaces[0]}}\n    options: {prune: true}\n`,
    ...filesAt(0),
  });
  commits.push(repo.commit('initial'));
  for (let c = 1; c <= commitCount; c++) {
    const before = versions[c - 1]!;
    const now = versions[c]!;
    const all = filesAt(c);
    repo.write(Object.fromEntries(objects.flatMap((o, i) => (now[i] !== before[i] ? [[o.path, all[o.path]!]] : []))));
    commits.push(repo.commit(`change ${c}`));
  }
  repo.git('gc', '-q');
  return {
    repo,
    dir: repo.dir,
    app: 'bench',
    appPath: 'apps/bench',
    tag: opts.tag,
    namespaces,
    objects,
    commits,
    changedPerCommit,
    filesAt,
    writeManifests(c, dir) {
      for (const [path, text] of Object.entries(filesAt(c))) {
        const file = join(dir, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
    },
    cleanup: () => repo.cleanup(),
  };
}
