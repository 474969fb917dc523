/**
 * Picking an app by name reads slipway.yaml on its own (no listing of the whole repository) and
 * falls back to the full scan for apps imported from GitOps definitions: the answers must be the
 * same as the full catalog's, at a commit and in the working copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type GitRepository } from '../git/repository.js';
import { WORKING_COPY } from '../git/types.js';
import { SlipwayError } from '../model/diagnostics.js';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { loadApps, selectApp } from './load.js';

const CONFIG = (apps: string[]): string => `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n${apps.map((a) => `  - name: ${a}\n    path: apps/${a}\n`).join('')}`;
const ARGO_APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: imported
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://example.com/acme/infra.git
    path: apps/imported
  destination:
    namespace: shop
`;
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';

let fixture: TestRepo;
let repo: GitRepository;
let withConfig: string;
let configIsFolder: string;
let noConfig: string;

beforeAll(async () => {
  fixture = createTestRepo({ prefix: 'slipway-load-' });
  fixture.write({ 'slipway.yaml': CONFIG(['web', 'api']), 'apps/web/cm.yaml': CM, 'apps/api/cm.yaml': CM, 'apps/imported/cm.yaml': CM, 'argo/app.yaml': ARGO_APP });
  withConfig = fixture.commit('config with two apps, one Argo CD Application');
  fixture.write({ 'slipway.yaml': null, 'slipway.yaml/readme.yaml': CONFIG(['ghost']) });
  configIsFolder = fixture.commit('slipway.yaml is a folder');
  fixture.write({ 'slipway.yaml': null, 'argo/app.yaml': null });
  noConfig = fixture.commit('no configuration');
  // The working copy: configured again, with an app the last commit does not have.
  fixture.write({ 'slipway.yaml': CONFIG(['draft']) });
  repo = await openRepository(fixture.dir);
});

afterAll(async () => {
  await repo.close();
  fixture.cleanup();
});

describe('selectApp by name', () => {
  it.each([
    ['web', 'apps/web'],
    ['api', 'apps/api'],
    ['imported', 'apps/imported'],
  ])('finds %s at a commit, as the full catalog has it', async (name, path) => {
    const revision = await repo.resolve(withConfig);
    const { app } = await selectApp(repo, revision, { app: name });
    expect(app.path).toBe(path);
    const catalog = await loadApps(repo, revision);
    expect(catalog.apps.find((a) => a.name === name)).toEqual(app);
  });

  it('reads slipway.yaml alone when GitOps scanning is off', async () => {
    const revision = await repo.resolve(withConfig);
    const quick = await loadApps(repo, revision, { gitops: false });
    expect(quick.configured).toBe(true);
    expect(quick.apps.map((a) => a.name)).toEqual(['api', 'web']);
  });

  it('reads slipway.yaml from the working copy', async () => {
    const revision = await repo.resolve(WORKING_COPY);
    const { app } = await selectApp(repo, revision, { app: 'draft' });
    expect(app.path).toBe('apps/draft');
    await expect(selectApp(repo, revision, { app: 'web' })).rejects.toThrow(/no app named web at this revision; apps: draft/);
  });

  it.each([
    ['a folder named slipway.yaml', () => configIsFolder],
    ['no slipway.yaml at all', () => noConfig],
  ])('with %s there is no configuration', async (_, rev) => {
    const revision = await repo.resolve(rev());
    const quick = await loadApps(repo, revision, { gitops: false });
    expect(quick).toEqual({ apps: [], diagnostics: [], configured: false });
    const err = await selectApp(repo, revision, { app: 'ghost' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    expect((err as SlipwayError).code).toBe('unknown-app');
  });
});

describe('selectApp with neither --app nor --path', () => {
  let layout: TestRepo;
  let layoutRepo: GitRepository;
  const revs: Record<string, string> = {};

  beforeAll(async () => {
    layout = createTestRepo({ prefix: 'slipway-layout-' });
    // Argo CD's example repository in small: a chart whose templates are not YAML, a kustomization, a plain folder.
    layout.write({ 'README.md': '# apps\n', 'helm-guestbook/Chart.yaml': 'apiVersion: v2\nname: g\nversion: 0.1.0\n', 'helm-guestbook/templates/cm.yaml': 'metadata:\n  name: {{ .Release.Name }}\n', 'kustomize-guestbook/kustomization.yaml': 'resources: [cm.yaml]\n', 'kustomize-guestbook/cm.yaml': CM, 'guestbook/cm.yaml': CM });
    revs.byLayout = layout.commit('folders that are apps');
    layout.write({ 'kustomization.yaml': 'resources: [guestbook/cm.yaml]\n' });
    revs.rootKustomization = layout.commit('a kustomization at the root');
    layout.write({ 'kustomization.yaml': null, 'helm-guestbook': null, 'kustomize-guestbook': null, 'ns.yaml': CM });
    revs.plain = layout.commit('plain manifests only');
    layoutRepo = await openRepository(layout.dir);
  });

  afterAll(async () => {
    await layoutRepo.close();
    layout.cleanup();
  });

  it('refuses to render a repository laid out as apps, and names the folders to pick', async () => {
    const err = await selectApp(layoutRepo, await layoutRepo.resolve(revs.byLayout!), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    expect(err).toMatchObject({ code: 'app-required', message: 'the repository holds 3 folders that look like apps: guestbook (directory), helm-guestbook (helm), kustomize-guestbook (kustomize); choose one with --path <folder>' });
    expect((err as SlipwayError).hint).toContain('slipway apps');
    const catalog = await loadApps(layoutRepo, await layoutRepo.resolve(revs.byLayout!));
    expect(catalog.folders).toEqual([
      { path: 'guestbook', sourceType: 'directory' },
      { path: 'helm-guestbook', sourceType: 'helm' },
      { path: 'kustomize-guestbook', sourceType: 'kustomize' },
    ]);
  });

  it('refuses to render a repository that defines several apps whole, and asks for --app', async () => {
    const err = await selectApp(repo, await repo.resolve(withConfig), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlipwayError);
    expect(err).toMatchObject({ code: 'app-required', message: 'the repository defines 3 apps: choose one with --app (api, imported, web) or a folder with --path' });
    expect((err as SlipwayError).hint).toContain('slipway apps');
  });

  it.each([
    ['a kustomization at the root', 'rootKustomization'],
    ['plain manifests only', 'plain'],
  ])('with %s renders the root as one app, as before', async (_what, rev) => {
    const { app } = await selectApp(layoutRepo, await layoutRepo.resolve(revs[rev]!), {});
    expect(app).toMatchObject({ path: '', origin: { kind: 'folder' } });
  });

  it('a folder picked with --path needs no catalog', async () => {
    const { app } = await selectApp(layoutRepo, await layoutRepo.resolve(revs.byLayout!), { path: 'helm-guestbook' });
    expect(app).toMatchObject({ name: 'helm-guestbook', path: 'helm-guestbook' });
  });
});

describe("a chart's templates", () => {
  it('are not scanned for Applications (app of apps: the chart renders them), and no parser warning is printed', async () => {
    const t = createTestRepo({ prefix: 'slipway-load-templates-' });
    t.write({
      'argo/app.yaml': ARGO_APP,
      'apps/imported/cm.yaml': CM,
      'apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
      // Argo CD's app-of-apps example: Go templates that are not YAML until Helm renders them.
      'apps/templates/guestbook.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  destination:\n    server: {{ .Values.spec.destination.server }}\n',
      'apps/templates/quoted.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: "{{ .Values.other }}"\nspec:\n  source: {path: apps/imported}\n',
    });
    t.commit('an Application and an app-of-apps chart');
    const r = await openRepository(t.dir);
    const warnings: unknown[] = [];
    const onWarning = (w: unknown): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const catalog = await loadApps(r, await r.resolve('HEAD'));
      expect(catalog.apps.map((a) => a.name)).toEqual(['imported']);
      expect(catalog.diagnostics.filter((d) => d.location?.file.startsWith('apps/templates/'))).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await r.close();
      t.cleanup();
    }
  });
});

describe('Flux valuesFrom Secrets in their own files', () => {
  it('are found by name for the HelmRelease (a reference to their file), their values kept nowhere in the catalog', async () => {
    const t = createTestRepo({ prefix: 'slipway-load-secrets-' });
    t.write({
      'apps/podinfo/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  chart:\n    spec:\n      chart: ./charts/podinfo\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n  valuesFrom:\n    - kind: Secret\n      name: podinfo-values\n',
      // A file that mentions no Flux API: scanned because it defines a Secret.
      'apps/podinfo/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: podinfo-values\n  namespace: podinfo\nstringData:\n  values.yaml: "password: canary-load-secret"\n',
      'charts/podinfo/Chart.yaml': 'apiVersion: v2\nname: podinfo\nversion: 0.1.0\n',
    });
    t.commit('a HelmRelease and the Secret of its values');
    const r = await openRepository(t.dir);
    try {
      const catalog = await loadApps(r, await r.resolve('HEAD'));
      expect(catalog.apps.find((a) => a.name === 'podinfo')?.source.helm?.valuesLayers).toEqual([
        { secret: { field: 'spec.valuesFrom[0]', name: 'podinfo-values', namespace: 'podinfo', key: 'values.yaml', optional: false, from: { file: 'apps/podinfo/secret.yaml' } } },
      ]);
      expect(catalog.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(JSON.stringify(catalog)).not.toContain('canary-load-secret');
    } finally {
      await r.close();
      t.cleanup();
    }
  });
});
