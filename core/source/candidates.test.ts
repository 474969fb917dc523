import { describe, expect, it } from 'vitest';
import { appCandidates, definesAppsByLayout } from './candidates.js';

/** A trimmed copy of the layout of Argo CD's example repository (argoproj/argocd-example-apps). */
const ARGO_EXAMPLES = [
  '.github/workflows/action.yml',
  'README.md',
  'apps/Chart.yaml',
  'apps/templates/helm-guestbook.yaml',
  'apps/templates/kustomize-guestbook.yaml',
  'apps/values.yaml',
  'blue-green/Chart.yaml',
  'blue-green/templates/rollout.yaml',
  'guestbook/guestbook-ui-deployment.yaml',
  'guestbook/guestbook-ui-svc.yaml',
  'helm-dependency/Chart.yaml',
  'helm-dependency/values.yaml',
  'helm-guestbook/Chart.yaml',
  'helm-guestbook/templates/deployment.yaml',
  'helm-guestbook/values-production.yaml',
  'jsonnet-guestbook/guestbook-ui.jsonnet',
  'kustomize-guestbook/guestbook-ui-deployment.yaml',
  'kustomize-guestbook/kustomization.yaml',
  'sock-shop/base/kustomization.yaml',
  'sock-shop/base/all.yaml',
  'sync-waves/manifests.yaml',
];

describe('appCandidates', () => {
  it.each<[string, string[], Array<[string, string]>]>([
    [
      "Argo CD's example repository: charts and kustomizations own their subtrees, plain folders (jsonnet too) are directories",
      ARGO_EXAMPLES,
      [
        ['apps', 'helm'],
        ['blue-green', 'helm'],
        ['guestbook', 'directory'],
        ['helm-dependency', 'helm'],
        ['helm-guestbook', 'helm'],
        ['jsonnet-guestbook', 'directory'],
        ['kustomize-guestbook', 'kustomize'],
        ['sock-shop/base', 'kustomize'],
        ['sync-waves', 'directory'],
      ],
    ],
    ['a chart at the root is the one app', ['Chart.yaml', 'templates/cm.yaml', 'charts/sub/Chart.yaml', 'ci/values.yaml'], [['', 'helm']]],
    ['a kustomization at the root is the one app', ['kustomization.yaml', 'base/kustomization.yaml', 'cm.yaml'], [['', 'kustomize']]],
    ['plain manifests only: the root, and the folders one may pick instead', ['ns.yaml', 'apps/web/cm.yaml', 'apps/web/extra/cm.yaml', 'apps/api/cm.yaml'], [['', 'directory'], ['apps/api', 'directory'], ['apps/web', 'directory']]],
    ['plain manifests in folders only: still the root', ['apps/web/cm.yaml'], [['', 'directory'], ['apps/web', 'directory']]],
    ['base and overlays are each an app', ['base/kustomization.yaml', 'base/deploy.yaml', 'overlays/prod/kustomization.yaml', 'overlays/dev/kustomization.yaml'], [['base', 'kustomize'], ['overlays/dev', 'kustomize'], ['overlays/prod', 'kustomize']]],
    ['a folder of manifests holding a chart is not a directory app', ['web/svc.yaml', 'web/chart/Chart.yaml'], [['web/chart', 'helm']]],
    ['manifests at the root beside charts are not offered', ['renovate.json', 'web/Chart.yaml'], [['web', 'helm']]],
    ['hidden folders and the root slipway.yaml are skipped', ['slipway.yaml', '.github/workflows/ci.yml', '.harness/kustomization.yaml', 'apps/.cache/Chart.yaml'], []],
    ['a sibling with a common prefix is not nested', ['web/Chart.yaml', 'web-extra/cm.yaml'], [['web', 'helm'], ['web-extra', 'directory']]],
    ['Kustomization (no extension) and kustomization.yml count', ['a/Kustomization', 'b/kustomization.yml'], [['a', 'kustomize'], ['b', 'kustomize']]],
    ['no manifests at all', ['README.md', 'docs/index.md'], []],
    ['an empty tree', [], []],
  ])('%s', (_what, files, expected) => {
    expect(appCandidates(files).map((c) => [c.path, c.sourceType])).toEqual(expected);
  });
});

describe('definesAppsByLayout', () => {
  it.each<[string, string[], boolean]>([
    ["Argo CD's example repository", ARGO_EXAMPLES, true],
    ['plain manifests only', ['ns.yaml', 'apps/web/cm.yaml'], false],
    ['a chart at the root', ['Chart.yaml', 'sub/kustomization.yaml'], false],
    ['one chart below a plain root', ['cm.yaml', 'charts/web/Chart.yaml'], true],
    ['nothing to render', ['README.md'], false],
  ])('%s', (_what, files, expected) => {
    expect(definesAppsByLayout(appCandidates(files))).toBe(expected);
  });
});
