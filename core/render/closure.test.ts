import { describe, expect, it } from 'vitest';
import { appClosure, listingView, type Closure, type ClosureRequest } from './closure.js';

/** A repository as path → content; `{ link }` is a symlink. */
type Fixture = Record<string, string | { link: string }>;

function view(fixture: Fixture): ReturnType<typeof listingView> {
  const files = Object.entries(fixture).map(([path, c]) => ({ path, mode: typeof c === 'string' ? 'file' : 'symlink' }));
  return listingView(files, (path) => {
    const c = fixture[path];
    if (c === undefined) return Promise.reject(new Error(`read of a missing file ${path}`));
    return Promise.resolve(typeof c === 'string' ? c : c.link);
  });
}

const paths = (folders: string[], files: string[] = []): Closure => ({ kind: 'paths', folders, files });
const kustomize = (appPath: string): ClosureRequest => ({ type: 'kustomize', appPath });

const unrelated = { 'docs/big.png': 'x', 'other/app/deploy.yaml': 'kind: ConfigMap' };

describe('appClosure', () => {
  it.each<[string, Fixture, ClosureRequest, Closure]>([
    ['an overlay and its ../../base', { ...unrelated, 'apps/shop/base/kustomization.yaml': 'resources: [deploy.yaml]', 'apps/shop/base/deploy.yaml': '', 'apps/shop/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n' }, kustomize('apps/shop/overlays/prod'), paths(['apps/shop/base', 'apps/shop/overlays/prod'])],
    ['bases and components, recursively', { ...unrelated, 'a/kustomization.yaml': 'bases: [../b]\ncomponents: [../c]', 'b/kustomization.yml': 'resources: [../d]', 'c/Kustomization': 'kind: Component', 'd/kustomization.yaml': '' }, kustomize('a'), paths(['a', 'b', 'c', 'd'])],
    [
      'patch, generator, crd, configuration, openapi and replacement files',
      {
        ...unrelated,
        'app/kustomization.yaml': `
patches:
  - path: ../shared/patch.yaml
  - patch: |-
      - op: remove
        path: /spec
patchesStrategicMerge:
  - ../shared/smp.yaml
  - |-
    apiVersion: v1
    kind: ConfigMap
patchesJson6902:
  - path: ../shared/json.yaml
configMapGenerator:
  - name: c
    files: [key=../shared/conf/a.txt, ../shared/conf/b.txt]
    envs: [../shared/env.txt]
secretGenerator:
  - name: s
    env: ../shared/secret.env
crds: [../shared/crd.yaml]
configurations: [../shared/config.yaml]
openapi:
  path: ../shared/schema.json
replacements:
  - path: ../shared/repl.yaml
  - source: {kind: ConfigMap}
`,
        'shared/patch.yaml': '', 'shared/smp.yaml': '', 'shared/json.yaml': '', 'shared/conf/a.txt': '', 'shared/conf/b.txt': '', 'shared/env.txt': '', 'shared/secret.env': '', 'shared/crd.yaml': '', 'shared/config.yaml': '', 'shared/schema.json': '', 'shared/repl.yaml': '', 'shared/unused.yaml': '',
      },
      kustomize('app'),
      paths(['app'], ['shared/conf/a.txt', 'shared/conf/b.txt', 'shared/config.yaml', 'shared/crd.yaml', 'shared/env.txt', 'shared/json.yaml', 'shared/patch.yaml', 'shared/repl.yaml', 'shared/schema.json', 'shared/secret.env', 'shared/smp.yaml']),
    ],
    ['a transformer config and the patch it names', { ...unrelated, 'app/kustomization.yaml': 'transformers: [../plugins/patcher.yaml]', 'plugins/patcher.yaml': 'apiVersion: builtin\nkind: PatchTransformer\npath: ../shared/p.yaml', 'shared/p.yaml': '' }, kustomize('app'), paths(['app'], ['plugins/patcher.yaml', 'shared/p.yaml'])],
    ['helmCharts: the chart home and values files', { ...unrelated, 'app/kustomization.yaml': 'helmGlobals: {chartHome: ../charts}\nhelmCharts:\n  - name: api\n    valuesFile: ../values/api.yaml\n    additionalValuesFiles: [../values/extra.yaml]', 'charts/api/Chart.yaml': '', 'values/api.yaml': '', 'values/extra.yaml': '' }, kustomize('app'), paths(['app', 'charts'], ['values/api.yaml', 'values/extra.yaml'])],
    ['remote and missing references are left to kustomize', { ...unrelated, 'app/kustomization.yaml': 'resources:\n  - https://github.com/x/y//base?ref=v1\n  - github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v1.0.6\n  - git@github.com:x/y.git\n  - ../nowhere\n' }, kustomize('app'), paths(['app'])],
    ['a reference to the repository root takes everything', { ...unrelated, 'app/kustomization.yaml': 'resources: [..]', 'kustomization.yaml': '' }, kustomize('app'), paths([''])],
    ['a base reached through a symlinked folder keeps the link and its target', { ...unrelated, 'app/kustomization.yaml': 'resources: [../linked/base]', linked: { link: 'real' }, 'real/base/kustomization.yaml': 'resources: [../common]', 'real/common/kustomization.yaml': '' }, kustomize('app'), paths(['app', 'real/base', 'real/common'], ['linked'])],
    ['a symlink inside an included folder brings its target', { ...unrelated, 'app/kustomization.yaml': 'resources: [cm.yaml]', 'app/cm.yaml': { link: '../shared/cm.yaml' }, 'shared/cm.yaml': '' }, kustomize('app'), paths(['app'], ['shared/cm.yaml'])],
    ['a cycle of kustomizations ends', { ...unrelated, 'a/kustomization.yaml': 'resources: [../b]', 'b/kustomization.yaml': 'resources: [../a]' }, kustomize('a'), paths(['a', 'b'])],
    ['an unreadable kustomization takes the whole repository', { ...unrelated, 'app/kustomization.yaml': 'resources: [a\n  - : :' }, kustomize('app'), { kind: 'whole', reason: expect.stringMatching(/^app\/kustomization\.yaml could not be read as YAML/) as unknown as string }],
    ['a chart with file:// dependencies (Chart.yaml and requirements.yaml), recursively', { ...unrelated, 'charts/web/Chart.yaml': 'apiVersion: v2\ndependencies:\n  - name: lib\n    repository: file://../lib\n  - name: redis\n    repository: https://charts.example.com\n', 'charts/lib/Chart.yaml': 'apiVersion: v1', 'charts/lib/requirements.yaml': 'dependencies:\n  - name: base\n    repository: "file://../../common/base"\n', 'common/base/Chart.yaml': 'apiVersion: v2', 'charts/unrelated/Chart.yaml': '' }, { type: 'helm', appPath: 'charts/web' }, paths(['charts/lib', 'charts/web', 'common/base'])],
    ['values files outside the chart', { ...unrelated, 'charts/web/Chart.yaml': 'apiVersion: v2', 'env/prod/values.yaml': '', 'env/prod/other.yaml': '' }, { type: 'helm', appPath: 'charts/web', valuesFiles: ['env/prod/values.yaml', 'charts/web/values-x.yaml'] }, paths(['charts/web'], ['env/prod/values.yaml'])],
    [
      'jsonnet: the folder, its libs, and imports next to a file or in a lib, recursively',
      { ...unrelated, 'gb/main.jsonnet': "local p = import 'params.libsonnet'; local k = import 'k.libsonnet'; local c = importstr '../conf/c.txt'; p", 'gb/params.libsonnet': "import '../shared/base.libsonnet'", 'shared/base.libsonnet': '{}', 'shared/other.libsonnet': '{}', 'vendor/k.libsonnet': '{}', 'conf/c.txt': 'x' },
      { type: 'jsonnet', appPath: 'gb', jsonnet: { files: ['gb/main.jsonnet'], libs: ['vendor'], code: [] } },
      paths(['gb', 'vendor'], ['conf/c.txt', 'shared/base.libsonnet']),
    ],
    [
      'jsonnet: code given as an extVar imports from the root',
      { ...unrelated, 'gb/main.jsonnet': 'std.extVar("cfg")', 'env/prod.libsonnet': '{}' },
      { type: 'jsonnet', appPath: 'gb', jsonnet: { files: ['gb/main.jsonnet'], libs: [], code: ["import 'env/prod.libsonnet'"] } },
      paths(['gb'], ['env/prod.libsonnet']),
    ],
  ])('%s', async (_, fixture, req, expected) => {
    expect(await appClosure(view(fixture), req)).toEqual(expected);
  });

  it.each<[string, Fixture, ClosureRequest, string]>([
    ['a base above the repository', { 'app/kustomization.yaml': 'resources: [../../base]' }, kustomize('app'), 'app/kustomization.yaml: resources entry ../../base points outside the repository'],
    ['an absolute patch path', { 'app/kustomization.yaml': 'patches:\n  - path: /etc/patch.yaml' }, kustomize('app'), 'app/kustomization.yaml: patches entry /etc/patch.yaml points outside the repository'],
    ['a file:// dependency above the repository', { 'web/Chart.yaml': 'dependencies:\n  - repository: file://../../lib' }, { type: 'helm', appPath: 'web' }, 'web/Chart.yaml: dependencies entry ../../lib points outside the repository'],
    ['a jsonnet import above the repository', { 'gb/main.jsonnet': "import '../../secrets.libsonnet'" }, { type: 'jsonnet', appPath: 'gb', jsonnet: { files: ['gb/main.jsonnet'], libs: [], code: [] } }, 'gb/main.jsonnet: import entry ../../secrets.libsonnet points outside the repository'],
    ['an absolute jsonnet import', { 'gb/main.jsonnet': "importstr '/etc/passwd'" }, { type: 'jsonnet', appPath: 'gb', jsonnet: { files: ['gb/main.jsonnet'], libs: [], code: [] } }, 'gb/main.jsonnet: importstr entry /etc/passwd points outside the repository'],
  ])('%s is an error naming the file', async (_, fixture, req, message) => {
    await expect(appClosure(view(fixture), req)).rejects.toMatchObject({ code: 'reference-escapes', message: expect.stringContaining(message) as unknown });
  });
});
