import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type GitRepository } from '../git/repository.js';
import type { Revision } from '../git/types.js';
import type { ApiResource, Discovery } from '../kube/types.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import type { DesiredObject } from '../model/desired.js';
import type { RenderResult } from '../render/render.js';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { HEAVY_IO_TIMEOUT } from '../../test/support/timeouts.js';
import { loadApps } from '../source/load.js';
import { defaultApp } from '../source/apps.js';
import { argoObjectsOnTarget, controllerObjectsOnTarget, fluxObjectsOnTarget, loadAppTree, mayRenderChildren, resolveApp, type AppNode } from './child-apps.js';

const application = (name: string, path: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  source:
    repoURL: https://github.com/acme/platform.git
    path: ${path}
  destination:
    namespace: ${name}
`;
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n';

/** Apps as the tree shows them: "name" and its children indented. */
function lines(nodes: readonly AppNode[], depth = 0): string[] {
  return nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.app.name}${n.app.parent ? ` (child of ${n.app.parent})` : ''} ${n.app.path}`, ...lines(n.children, depth + 1)]);
}

describe('loadAppTree', () => {
  let t: TestRepo;
  let repo: GitRepository;
  let revision: Revision;
  const opts = { cacheDir: '/nonexistent' };

  beforeAll(async () => {
    t = createTestRepo({ prefix: 'slipway-child-apps-' });
    t.write({
      'slipway.yaml': 'apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: guestbook\n    path: legacy\n',
      'legacy/cm.yaml': CM,
      // The root Application renders its own folder of Application files (Argo CD's bootstrapping).
      'argocd/root.yaml': application('root', 'argocd'),
      'argocd/guestbook.yaml': application('guestbook', 'guestbook'),
      'argocd/web.yaml': application('web', 'web'),
      'argocd/nested.yaml': application('nested', 'nested'),
      'argocd/gone.yaml': application('gone', 'not-here'),
      'nested/leaf.yaml': application('leaf', 'leaf'),
      'guestbook/cm.yaml': CM,
      'web/cm.yaml': CM,
      'leaf/cm.yaml': CM,
    });
    t.commit('an app of apps of folders');
    repo = await openRepository(t.dir);
    revision = await repo.resolve('HEAD');
  });

  afterAll(async () => {
    await repo.close();
    t.cleanup();
  });

  it(
    'lists children under their parent, renames a child whose name is taken, and leaves out the parent rendering itself',
    async () => {
      const tree = await loadAppTree(repo, revision, opts);
      // web, nested and leaf are Applications of the repository's files too: they are listed under the app that renders them.
      // gone's path is no folder here: not a child (it stays an app of the files, as before).
      expect(lines(tree.apps)).toEqual([
        'gone not-here',
        'guestbook legacy',
        'root argocd',
        '  nested (child of root) nested',
        '    leaf (child of nested) leaf',
        '  root-guestbook (child of root) guestbook',
        '  web (child of root) web',
      ]);
      const said = tree.diagnostics.map((d) => `${formatDiagnostic(d)} [${d.code}]`);
      expect(said).toEqual(
        expect.arrayContaining([
          'argocd/guestbook.yaml:1: warning: child app guestbook of root is named root-guestbook: guestbook is the app defined in slipway.yaml:4 [child-app-name-clash]',
          'argocd/root.yaml:1: info: child app root of root renders the same folder as its parent (argocd); it is that app, not a child [child-app-cycle]',
          'argocd/gone.yaml:1: info: child app gone of root not planned here: its path "not-here" is no folder of this repository at this revision (is its repoURL another repository?) [child-app-missing-path]',
        ]),
      );
    },
    HEAVY_IO_TIMEOUT,
  );

  it(
    'finds a child app by name, and names the children when the name is unknown',
    async () => {
      const { app } = await resolveApp(repo, revision, { app: 'root-guestbook' }, opts);
      expect(app).toMatchObject({ name: 'root-guestbook', path: 'guestbook', parent: 'root', destination: { namespace: 'guestbook' } });
      await expect(resolveApp(repo, revision, { app: 'nope' }, opts)).rejects.toThrow(/no app named nope at this revision; apps: gone, guestbook, root, nested, leaf, root-guestbook, web/);
    },
    HEAVY_IO_TIMEOUT,
  );
});

describe('loadAppTree with Flux sources it cannot follow', () => {
  const release = (name: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: podinfo
spec:
  chartRef:
    kind: ExternalArtifact
    name: podinfo-chart
    namespace: flux-system
`;
  let t: TestRepo;
  let repo: GitRepository;

  beforeAll(async () => {
    t = createTestRepo({ prefix: 'slipway-child-apps-flux-' });
    // The repository's files hold the HelmReleases, and an app renders the same folder: one warning for the source, not one per reading.
    t.write({ 'argocd/root.yaml': application('root', 'flux'), 'flux/podinfo.yaml': release('podinfo'), 'flux/canary.yaml': release('podinfo-canary') });
    t.commit('HelmReleases from an ExternalArtifact');
    repo = await openRepository(t.dir);
  });

  afterAll(async () => {
    await repo.close();
    t.cleanup();
  });

  it(
    'names each source once, however many HelmReleases and renderings refer to it',
    async () => {
      const tree = await loadAppTree(repo, await repo.resolve('HEAD'), { cacheDir: '/nonexistent' });
      const unfollowed = tree.diagnostics.filter((d) => d.code === 'flux-source-unfollowed');
      expect(unfollowed.map((d) => formatDiagnostic(d))).toEqual([expect.stringMatching(/^flux\/canary\.yaml:1:1: warning: ExternalArtifact flux-system\/podinfo-chart is not followed: .*not imported: HelmRelease podinfo\/podinfo-canary, HelmRelease podinfo\/podinfo \(flux\/podinfo\.yaml:1:1\)/)]);
    },
    HEAVY_IO_TIMEOUT,
  );
});

describe('argoObjectsOnTarget', () => {
  const object = (kind: string, name: string, group = 'argoproj.io'): DesiredObject => ({
    key: { group, version: group === '' ? 'v1' : 'v1alpha1', kind, name },
    manifest: { apiVersion: group === '' ? 'v1' : `${group}/v1alpha1`, kind, metadata: { name } },
    source: { file: 'apps/templates/apps.yaml', line: 1 },
  });
  const render = { objects: [object('Application', 'a'), object('Application', 'b'), object('ApplicationSet', 's'), object('AppProject', 'p'), object('ConfigMap', 'c', '')], renderedHash: 'h' } as unknown as RenderResult;
  const resource = (kind: string): ApiResource => ({ group: 'argoproj.io', version: 'v1alpha1', kind, plural: `${kind.toLowerCase()}s`, namespaced: true, verbs: [], preferred: true });
  const discovery = (kinds: string[]): Discovery => ({ resources: kinds.map(resource), unavailable: [], source: 'aggregated' });

  it('without Argo CD: leaves them out with a note, keeps the rest and the rendered hash', () => {
    const on = argoObjectsOnTarget(render, discovery([]), { name: 'apps' });
    expect(on.render.objects.map((o) => o.key.name)).toEqual(['c']);
    expect(on.render.renderedHash).toBe('h');
    expect(on.diagnostics.map((d) => d.message)).toEqual([
      '2 Application objects and 1 ApplicationSet object are child apps here: the cluster has no Argo CD, so they are planned as Slipway apps, not applied (`slipway apps` lists the children of apps); 1 AppProject object is left out too (only Argo CD reads it)',
    ]);
  });

  it('with Argo CD: applies them as objects, and says Argo CD syncs the children', () => {
    const on = argoObjectsOnTarget(render, discovery(['Application', 'ApplicationSet', 'AppProject']), { name: 'apps' });
    expect(on.render).toBe(render);
    expect(on.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['argocd-served', "2 Application objects, 1 ApplicationSet object and 1 AppProject object are applied as objects: this cluster serves Argo CD's API, so Argo CD syncs the child apps; Slipway previews them but does not apply them"],
    ]);
  });

  it('says nothing about a rendering without Argo CD objects', () => {
    const plain = { objects: [object('ConfigMap', 'c', '')], renderedHash: 'h' } as unknown as RenderResult;
    expect(argoObjectsOnTarget(plain, discovery([]), { name: 'apps' })).toEqual({ render: plain, leftOut: 0, applied: 0, diagnostics: [] });
  });
});

describe('fluxObjectsOnTarget', () => {
  const object = (apiVersion: string, kind: string, name: string, spec: Record<string, unknown> = {}): DesiredObject => {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return { key: { group: group!, version: version!, kind, namespace: 'flux-system', name }, manifest: { apiVersion, kind, metadata: { name, namespace: 'flux-system' }, spec }, source: { file: 'apps/staging/kustomization.yaml', documentIndex: 0 } };
  };
  const release = object('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'podinfo');
  const repository = object('source.toolkit.fluxcd.io/v1', 'HelmRepository', 'podinfo');
  const git = object('source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux-system');
  const kustomization = object('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'apps');
  const namespace = object('v1', 'Namespace', 'podinfo');
  const crd = (group: string, kind: string): DesiredObject => ({ ...object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', `${kind.toLowerCase()}s.${group}`, { group, names: { kind } }), key: { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', name: `${kind.toLowerCase()}s.${group}` } });
  const render = (...objects: DesiredObject[]): RenderResult => ({ objects, renderedHash: 'h' }) as unknown as RenderResult;
  const served = (...kinds: [group: string, version: string, kind: string][]): Discovery => ({ resources: kinds.map(([group, version, kind]): ApiResource => ({ group, version, kind, plural: `${kind.toLowerCase()}s`, namespaced: true, verbs: [], preferred: true })), unavailable: [], source: 'aggregated' });
  const noFlux = served();
  const flux = served(['helm.toolkit.fluxcd.io', 'v2', 'HelmRelease'], ['source.toolkit.fluxcd.io', 'v1', 'HelmRepository'], ['source.toolkit.fluxcd.io', 'v1', 'GitRepository'], ['kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization']);

  it.each<[string, RenderResult, Discovery, string[], [string, string][]]>([
    [
      'no Flux: the HelmRelease is a child app, its source is left out too (one note)',
      render(namespace, repository, release),
      noFlux,
      ['podinfo'],
      [['flux-child-apps', '1 HelmRelease object is a child app here: the cluster has no Flux (it does not serve helm.toolkit.fluxcd.io, source.toolkit.fluxcd.io), so it is planned as a Slipway app, not applied (`slipway apps` lists the children of staging-apps); 1 HelmRepository object is left out too: only Flux\'s controllers read it']],
    ],
    [
      'no Flux, no HelmRelease: the sources and Kustomizations are left out',
      render(git, kustomization, namespace),
      noFlux,
      ['podinfo'],
      [['flux-objects-left-out', "1 Kustomization object and 1 GitRepository object are left out: only Flux's controllers read them, and the cluster has no Flux (it does not serve kustomize.toolkit.fluxcd.io, source.toolkit.fluxcd.io)"]],
    ],
    [
      'Flux runs: applied as objects, Flux installs the charts',
      render(namespace, repository, release),
      flux,
      ['podinfo', 'podinfo', 'podinfo'],
      [['flux-served', "1 HelmRelease object and 1 HelmRepository object are applied as objects: this cluster serves Flux's API, so Flux acts on them (its helm-controller installs the charts of the HelmReleases; Slipway previews them as child apps but does not apply them)"]],
    ],
    [
      "a Flux bootstrap (gotk-components.yaml holds the CRDs): kept, planned after the CRDs",
      render(crd('source.toolkit.fluxcd.io', 'GitRepository'), crd('kustomize.toolkit.fluxcd.io', 'Kustomization'), git, kustomization),
      noFlux,
      ['gitrepositorys.source.toolkit.fluxcd.io', 'kustomizations.kustomize.toolkit.fluxcd.io', 'flux-system', 'apps'],
      [['flux-served', "1 Kustomization object and 1 GitRepository object are applied as objects: this cluster serves Flux's API, so Flux acts on them"]],
    ],
    ['nothing to say about a rendering without Flux objects', render(namespace), noFlux, ['podinfo'], []],
  ])('%s', (_what, rendered, discovery, kept, notes) => {
    const on = fluxObjectsOnTarget(rendered, discovery, { name: 'staging-apps' });
    expect(on.render.objects.map((o) => o.key.name)).toEqual(kept);
    expect(on.render.renderedHash).toBe('h');
    expect(on.diagnostics.map((d) => [d.code, d.message])).toEqual(notes);
  });
});

describe('mayRenderChildren', () => {
  let t: TestRepo;
  let repo: GitRepository;

  beforeAll(async () => {
    t = createTestRepo({ prefix: 'slipway-may-render-' });
    t.write({
      'apps/base/db/kustomization.yaml': 'resources:\n  - release.yaml\n',
      'apps/base/db/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: db\nspec:\n  chart:\n    spec:\n      chart: ./charts/db\n      sourceRef: {kind: GitRepository, name: flux-system}\n',
      // An overlay that patches nothing: none of its own files mention Flux.
      'apps/staging/kustomization.yaml': 'resources:\n  - ../base/db\n  - cm.yaml\n',
      'apps/staging/cm.yaml': CM,
      'other/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'other/cm.yaml': CM,
      'plain/cm.yaml': CM,
    });
    t.commit('an overlay of a HelmRelease base');
    repo = await openRepository(t.dir);
  });

  afterAll(async () => {
    await repo.close();
    t.cleanup();
  });

  it.each([
    ['a kustomization whose build reads a HelmRelease of another folder (an unpatched overlay)', 'apps/staging', true],
    ['the folder of the HelmRelease itself', 'apps/base/db', true],
    ['a kustomization that reads none', 'other', false],
    ['a folder of plain manifests', 'plain', false],
  ])('%s: %s', async (_what, path, expected) => {
    const revision = await repo.resolve('HEAD');
    const catalog = await loadApps(repo, revision);
    expect(await mayRenderChildren(repo, revision, defaultApp(path), catalog)).toBe(expected);
  });
});

describe('controllerObjectsOnTarget', () => {
  const resources = (...kinds: [group: string, version: string, kind: string][]): Discovery => ({ resources: kinds.map(([group, version, kind]): ApiResource => ({ group, version, kind, plural: `${kind.toLowerCase()}s`, namespaced: true, verbs: [], preferred: true })), unavailable: [], source: 'aggregated' });
  const argoCd = resources(['argoproj.io', 'v1alpha1', 'Application']);
  const flux = resources(['helm.toolkit.fluxcd.io', 'v2', 'HelmRelease']);
  const empty = { objects: [], renderedHash: 'h' } as unknown as RenderResult;
  const fluxChild = { name: 'staging-apps-podinfo', parent: 'staging-apps', origin: { kind: 'flux' as const, file: 'apps/staging/kustomization.yaml', object: { kind: 'HelmRelease', name: 'podinfo' } } };
  const argoChild = { name: 'guestbook', parent: 'root', origin: { kind: 'argocd' as const, file: 'argocd/guestbook.yaml' } };

  it.each<[string, Parameters<typeof controllerObjectsOnTarget>[2], Discovery, string[]]>([
    ["a HelmRelease's child app where Flux runs: two managers", fluxChild, flux, ['flux-installs-child']],
    ["an Application's child app where Argo CD runs: two managers", argoChild, argoCd, ['argocd-syncs-child']],
    ["a HelmRelease's child app where only Argo CD runs: nobody else installs it", fluxChild, argoCd, []],
    ['a child app on a cluster without either', argoChild, resources(), []],
    ['an app that is no child', { name: 'web', origin: { kind: 'slipway.yaml' } }, flux, []],
  ])('%s', (_what, app, discovery, codes) => {
    expect(controllerObjectsOnTarget(empty, discovery, app).diagnostics.map((d) => d.code)).toEqual(codes);
  });
});
