import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../model/diagnostics.js';
import type { App } from './apps.js';
import { importChildApps, isArgoObject, overlaidBases } from './children.js';
import { globRegExp, matchDirectories, renderTemplate } from './gitops/applicationset.js';
import type { GitOpsObject } from './gitops.js';

const REPO = 'https://github.com/acme/platform.git';
/** The repository at the revision: Argo CD's example layout (an apps chart, a folder, a chart). */
const FILES = ['apps/Chart.yaml', 'apps/values.yaml', 'apps/templates/guestbook.yaml', 'guestbook/deploy.yaml', 'helm-guestbook/Chart.yaml', 'helm-guestbook/templates/deploy.yaml', 'addons/metrics/deploy.yaml', 'addons/logs/deploy.yaml'];

const application = (name: string, source: Record<string, unknown>, more: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: { project: 'default', source: { repoURL: REPO, targetRevision: 'HEAD', ...source }, destination: { server: 'https://kubernetes.default.svc', namespace: name }, ...more },
});

const rendered = (...manifests: Record<string, unknown>[]): GitOpsObject[] => manifests.map((manifest, i) => ({ manifest, source: { file: 'apps/templates/apps.yaml', line: 1 + i * 20 } }));

/** What a test reads of a child app. */
const view = (a: App): Record<string, unknown> => ({ name: a.name, path: a.path, type: a.source.type, ...(a.source.helm && { helm: a.source.helm }), namespace: a.destination.namespace, prune: a.options.prune, parent: a.parent, ...(a.origin.applicationSet && { applicationSet: a.origin.applicationSet }) });

const parentOf = (repoUrl?: string): Pick<App, 'name' | 'repoUrl'> => ({ name: 'apps', ...(repoUrl && { repoUrl }) });

describe('importChildApps', () => {
  it.each<[string, Pick<App, 'name' | 'repoUrl'>, GitOpsObject[], Record<string, unknown>[], string[]]>([
    [
      'two Applications of the same repository: a folder and a chart with values',
      parentOf(REPO),
      rendered(application('guestbook', { path: 'guestbook' }, { syncPolicy: { automated: { prune: true } } }), application('helm-guestbook', { path: 'helm-guestbook', helm: { valueFiles: ['values-prod.yaml'], parameters: [{ name: 'replicaCount', value: '2' }] } })),
      [
        { name: 'guestbook', path: 'guestbook', type: 'auto', namespace: 'guestbook', prune: true, parent: 'apps' },
        { name: 'helm-guestbook', path: 'helm-guestbook', type: 'helm', helm: { valuesFiles: ['helm-guestbook/values-prod.yaml'], set: { replicaCount: '2' } }, namespace: 'helm-guestbook', prune: false, parent: 'apps' },
      ],
      [],
    ],
    [
      'an Application of another repository stays a note',
      parentOf(REPO),
      rendered(application('guestbook', { path: 'guestbook' }), application('elsewhere', { repoURL: 'https://github.com/acme/other.git', path: 'guestbook' })),
      [{ name: 'guestbook', path: 'guestbook', type: 'auto', namespace: 'guestbook', prune: false, parent: 'apps' }],
      ['apps/templates/apps.yaml:21: info: child app of apps not planned here: spec.source.repoURL https://github.com/acme/other.git, which is not this repository (github.com/acme/platform); not imported (Application.argoproj.io argocd/elsewhere)'],
    ],
    [
      'a parent that is no Application: any repoURL counts, but the path must be a folder here',
      parentOf(),
      rendered(application('guestbook', { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', path: 'guestbook' }), application('sock-shop', { path: 'sock-shop' })),
      [{ name: 'guestbook', path: 'guestbook', type: 'auto', namespace: 'guestbook', prune: false, parent: 'apps' }],
      ['apps/templates/apps.yaml:21: info: child app sock-shop of apps not planned here: its path "sock-shop" is no folder of this repository at this revision (is its repoURL another repository?)'],
    ],
    [
      'a chart from a Helm repository is a child app; an AppProject and other objects are no apps',
      parentOf(REPO),
      rendered(
        application('ingress', { repoURL: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', targetRevision: '4.10.0' }),
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team' }, spec: {} },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-an-app' } },
      ),
      [{ name: 'ingress', path: '', type: 'helm', namespace: 'ingress', prune: false, parent: 'apps' }],
      [],
    ],
    [
      'an ApplicationSet with the git directories generator over the repository (exclude) and a list generator',
      parentOf(REPO),
      rendered(
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'ApplicationSet',
          metadata: { name: 'addons', namespace: 'argocd' },
          spec: {
            generators: [{ git: { repoURL: REPO, revision: 'HEAD', directories: [{ path: 'addons/*' }, { path: 'addons/logs', exclude: true }] } }, { list: { elements: [{ path: 'guestbook', 'path.basename': 'guestbook' }] } }],
            template: { metadata: { name: 'addon-{{path.basename}}' }, spec: { source: { repoURL: REPO, path: '{{path}}' }, destination: { namespace: 'addons' } } },
          },
        },
      ),
      [
        { name: 'addon-guestbook', path: 'guestbook', type: 'auto', namespace: 'addons', prune: false, parent: 'apps', applicationSet: 'addons' },
        { name: 'addon-metrics', path: 'addons/metrics', type: 'auto', namespace: 'addons', prune: false, parent: 'apps', applicationSet: 'addons' },
      ],
      [],
    ],
  ])('%s', (_what, parent, objects, apps, notes) => {
    const children = importChildApps(parent, objects, { files: FILES });
    expect(children.apps.map(view)).toEqual(apps);
    expect(children.diagnostics.map((d) => formatDiagnostic(d))).toEqual(notes);
  });

  it('has nothing to say about a rendering without Argo CD objects', () => {
    expect(importChildApps(parentOf(REPO), rendered({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }), { files: FILES })).toEqual({ apps: [], diagnostics: [] });
  });
});

describe('overlaidBases', () => {
  /** A Flux HelmRelease app defined at `file` (or rendered by an overlay's kustomization). */
  const release = (name: string, file: string, more: { namespace?: string; parent?: string; line?: number } = {}): App => ({
    name,
    path: 'charts/podinfo',
    source: { type: 'helm' },
    destination: {},
    options: { prune: false, createNamespace: false, ignoreDifferences: [], protected: false },
    ...(more.parent && { parent: more.parent }),
    origin: { kind: 'flux', file, ...(more.line !== undefined && { line: more.line }), object: { kind: 'HelmRelease', ...(more.namespace && { namespace: more.namespace }), name } },
  });
  const base = release('podinfo', 'apps/base/podinfo/release.yaml', { namespace: 'podinfo', line: 1 });
  const other = release('podinfo', 'team-b/podinfo/release.yaml', { namespace: 'team-b', line: 1 });
  const standalone = release('redis', 'apps/redis/release.yaml', { namespace: 'redis', line: 1 });
  const staging = release('podinfo', 'apps/staging/kustomization.yaml', { namespace: 'podinfo', parent: 'staging-apps' });
  /** What the overlay's kustomize build reads: its folder and the base it patches. */
  const reads = (file: string): boolean => file.startsWith('apps/staging/') || file.startsWith('apps/base/podinfo/');

  it.each<[string, App[], App[], (file: string) => boolean, [string, string][]]>([
    ['a base the overlay reads and patches: the child stands in for it', [staging], [base, standalone], reads, [['apps/staging/kustomization.yaml', 'apps/base/podinfo/release.yaml']]],
    ['a same-named release the overlay does not read stays an app', [staging], [other, standalone], reads, []],
    ['the overlay moved it to another namespace (kustomize namespace:): matched by name', [release('podinfo', 'apps/staging/kustomization.yaml', { namespace: 'staging', parent: 'staging-apps' })], [base], reads, [['apps/staging/kustomization.yaml', 'apps/base/podinfo/release.yaml']]],
    ['two same-named bases read: told apart by namespace', [staging], [base, release('podinfo', 'apps/base/podinfo/canary.yaml', { namespace: 'canary', line: 1 })], reads, [['apps/staging/kustomization.yaml', 'apps/base/podinfo/release.yaml']]],
    ['a folder rendering the file as written is that app (the same file), no base', [release('podinfo', 'apps/base/podinfo/release.yaml', { namespace: 'podinfo', parent: 'base', line: 1 })], [base], reads, []],
    ['an app of slipway.yaml or an Argo CD Application is no base', [staging], [{ ...base, origin: { kind: 'argocd', file: 'apps/base/podinfo/release.yaml', line: 1 } }], reads, []],
    ['a child that is no HelmRelease', [{ ...staging, origin: { kind: 'argocd', file: 'apps/staging/kustomization.yaml' } }], [base], reads, []],
  ])('%s', (_what, children, apps, read, expected) => {
    const found = overlaidBases(children, apps, read);
    expect([...found].map(([child, b]) => [child.origin.file, b.origin.file])).toEqual(expected);
  });
});

describe('isArgoObject', () => {
  it.each([
    [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' }, true],
    [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' }, true],
    [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject' }, true],
    [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' }, false],
    [{ apiVersion: 'v1', kind: 'Application' }, false],
    [null, false],
  ])('%j → %s', (manifest, expected) => {
    expect(isArgoObject(manifest)).toBe(expected);
  });
});

describe("the git directories generator's patterns (Go's path.Match)", () => {
  const folders = ['addons', 'addons/a', 'addons/a/deep', 'addons/b', 'addons/cm', 'apps', 'x.y'];
  it.each<[string, { path: string; exclude?: boolean }[], string[]]>([
    ['* stays within one folder', [{ path: 'addons/*' }], ['addons/a', 'addons/b', 'addons/cm']],
    ['exclude wins over include', [{ path: 'addons/*' }, { path: 'addons/b', exclude: true }], ['addons/a', 'addons/cm']],
    ['? and classes', [{ path: 'addons/?' }, { path: 'addons/[c]*' }], ['addons/a', 'addons/b', 'addons/cm']],
    ['negated class', [{ path: 'addons/[^a]' }], ['addons/b']],
    ['"." is literal', [{ path: 'x.y' }, { path: 'x?y' }], ['x.y']],
    ['two levels', [{ path: '*/*/*' }], ['addons/a/deep']],
  ])('%s', (_what, directories, expected) => {
    expect(matchDirectories(folders, directories)).toEqual(expected);
  });

  it('refuses a bad pattern instead of matching everything', () => {
    expect(globRegExp('addons/[a')).toBeUndefined();
  });
});

describe('renderTemplate', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean, unknown]>([
    ['fasttemplate: trimmed tags, unknown ones kept', { name: '{{ env }}-{{unknown}}' }, { env: 'dev' }, false, { ok: true, value: { name: 'dev-{{unknown}}' } }],
    ['keys are rendered too', { labels: { '{{team}}': 'yes' } }, { team: 'web' }, false, { ok: true, value: { labels: { web: 'yes' } } }],
    ['goTemplate fields and index, with {{- trimming', { name: '{{ .a.b }} - {{- index .s 1 }}' }, { a: { b: 'x' }, s: ['p', 'q'] }, true, { ok: true, value: { name: 'x -q' } }],
    ['goTemplate missing key', { name: '{{ .nope }}' }, {}, true, { ok: true, value: { name: '<no value>' } }],
  ])('%s', (_what, template, params, goTemplate, expected) => {
    expect(renderTemplate(template, params, { goTemplate })).toEqual(expected);
  });
});
