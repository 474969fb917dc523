import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments } from 'yaml';
import { formatDiagnostic } from '../model/diagnostics.js';
import type { GitOpsObject, ImportGitOpsOptions } from './gitops.js';
import { importGitOpsApps, normalizeRepoUrl, redactUrl } from './gitops.js';

const testdata = new URL('./testdata/gitops/', import.meta.url);

/** The objects of one fixture file, each with the line its document starts at (as the renderer reports them). */
function objectsOf(name: string): GitOpsObject[] {
  const lineCounter = new LineCounter();
  const file = `deploy/${name}`;
  return parseAllDocuments(readFileSync(new URL(name, testdata), 'utf8'), { lineCounter })
    .filter((doc) => doc.contents !== null)
    .map((doc) => ({ manifest: doc.toJS() as unknown, source: { file, line: lineCounter.linePos(doc.contents?.range[0] ?? 0).line } }));
}

const THIS_REPO = { repoUrls: ['https://github.com/acme/shop-infra'] } satisfies ImportGitOpsOptions;
/** The repository's files, for the ApplicationSets' git directories generators. */
const TREE = { ...THIS_REPO, files: ['addons/cert-manager/kustomization.yaml', 'addons/metrics/deploy.yaml', 'addons/experimental/x.yaml', 'addons/.hidden/y.yaml', 'addons/README.md', 'envs/dev/Chart.yaml', 'web/deploy.yaml'] } satisfies ImportGitOpsOptions;

/** Fixture, options, golden file: the golden holds the apps and every diagnostic (formatted, with its code). */
const cases: [fixture: string, opts: ImportGitOpsOptions, golden: string][] = [
  ['argocd-basic.yaml', THIS_REPO, 'argocd-basic.golden.json'],
  ['argocd-multi-source.yaml', THIS_REPO, 'argocd-multi-source.golden.json'],
  ['argocd-multi-source.yaml', {}, 'argocd-multi-source.any-repo.golden.json'],
  ['argocd-unsupported.yaml', THIS_REPO, 'argocd-unsupported.golden.json'],
  ['flux.yaml', THIS_REPO, 'flux.golden.json'],
  ['flux.yaml', {}, 'flux.any-repo.golden.json'],
  ['flux-helm.yaml', THIS_REPO, 'flux-helm.golden.json'],
  ['flux-external-artifact.yaml', THIS_REPO, 'flux-external-artifact.golden.json'],
  ['name-clashes.yaml', THIS_REPO, 'name-clashes.golden.json'],
  ['argocd-basic.yaml', { repoUrls: ['https://gitlab.com/acme/fork'] }, 'argocd-basic.other-repo.golden.json'],
  ['argocd-applicationset.yaml', TREE, 'argocd-applicationset.golden.json'],
  ['argocd-applicationset.yaml', THIS_REPO, 'argocd-applicationset.no-tree.golden.json'],
  ['argocd-sync-options.yaml', THIS_REPO, 'argocd-sync-options.golden.json'],
];

describe('importGitOpsApps', () => {
  it('has a case for every fixture', () => {
    const fixtures = readdirSync(testdata).filter((f) => f.endsWith('.yaml'));
    expect([...new Set(cases.map(([fixture]) => fixture))].sort()).toEqual(fixtures.sort());
  });

  it.each(cases)('%s with %j → %s', async (fixture, opts, golden) => {
    const result = importGitOpsApps(objectsOf(fixture), opts);
    const view = { apps: result.apps, diagnostics: result.diagnostics.map((d) => `${formatDiagnostic(d)} [${d.code}]`) };
    await expect(`${JSON.stringify(view, null, 2)}\n`).toMatchFileSnapshot(`testdata/gitops/${golden}`);
  });

  it('returns apps sorted by name and the same result for any order of objects', () => {
    const objects = ['argocd-basic.yaml', 'flux.yaml', 'name-clashes.yaml'].flatMap(objectsOf);
    const forward = importGitOpsApps(objects, THIS_REPO);
    const backward = importGitOpsApps([...objects].reverse(), THIS_REPO);
    expect(forward.apps.map((a) => a.name)).toEqual([...forward.apps.map((a) => a.name)].sort());
    expect(backward).toEqual(forward);
  });

  it('imports the same Flux object of several cluster folders once per folder, named by its folder', () => {
    const inFolder = (folder: string): GitOpsObject[] => objectsOf('flux.yaml').map((o) => ({ ...o, source: { ...o.source, file: `${folder}/apps.yaml` } }));
    const { apps, diagnostics } = importGitOpsApps([...inFolder('clusters/staging'), ...inFolder('clusters/production'), ...inFolder('other/staging')], THIS_REPO);
    expect(apps.map((a) => a.name)).toEqual(expect.arrayContaining(['production-apps', 'clusters-staging-apps', 'other-staging-apps']));
    expect(apps.find((a) => a.name === 'production-apps')?.origin.file).toBe('clusters/production/apps.yaml');
    expect(diagnostics.filter((d) => d.code === 'app-named-by-folder' && d.resource?.name === 'apps').map((d) => d.severity)).toEqual(['info', 'info', 'info']);
    expect(diagnostics.filter((d) => d.code === 'duplicate-app')).toEqual([]);
  });

  it('warns once per Flux source it cannot follow (Flux 2.7 ExternalArtifacts), naming every object that uses it', () => {
    const { apps, diagnostics } = importGitOpsApps(objectsOf('flux-external-artifact.yaml'), THIS_REPO);
    expect(apps).toEqual([]);
    const unfollowed = diagnostics.filter((d) => d.code === 'flux-source-unfollowed');
    expect(unfollowed.map((d) => `${d.resource?.kind} ${d.resource?.name}`)).toEqual(['ExternalArtifact infrastructure', 'ExternalArtifact apps', 'ExternalArtifact podinfo-chart', 'Bucket team-charts']);
    expect(unfollowed.every((d) => d.severity === 'warning')).toBe(true);
    expect(unfollowed[2]?.message).toMatch(/not imported: HelmRelease podinfo\/podinfo, HelmRelease podinfo\/podinfo-canary \(deploy\/flux-external-artifact\.yaml:\d+\)/);
    // The ArtifactGenerator's copy rules say which folder of the repository a Kustomization's path is.
    expect(unfollowed[1]?.message).toContain('made by ArtifactGenerator flux-system/flux-system at deploy/flux-external-artifact.yaml:14');
    expect(unfollowed[1]?.message).toContain('with --path (apps/staging)');
    expect(diagnostics.filter((d) => d.code !== 'flux-source-unfollowed')).toEqual([]);
  });

  it('keeps a valuesFrom Secret as a reference: its values are in no app and no diagnostic', () => {
    const result = importGitOpsApps(objectsOf('flux-helm.yaml'), THIS_REPO);
    const api = result.apps.find((a) => a.name === 'api');
    expect(api?.source.helm?.values).toBeUndefined();
    expect(api?.source.helm?.valuesLayers?.map((l) => ('secret' in l ? `secret ${l.secret.name}/${l.secret.key}` : 'values'))).toEqual(['values', 'secret api-values/values.yaml', 'secret api-values/token', 'secret api-sops/values.yaml', 'values']);
    expect(JSON.stringify(result)).not.toMatch(/canary-flux-helm|cGFzc3dvcmQ/);
  });

  it('names the manifest file and line of every diagnostic', () => {
    const { diagnostics } = importGitOpsApps(objectsOf('argocd-unsupported.yaml'), THIS_REPO);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) expect(d.location).toEqual({ file: 'deploy/argocd-unsupported.yaml', line: expect.any(Number) });
  });

  it('ignores objects that are not GitOps definitions, and values that are not objects', () => {
    const objects: GitOpsObject[] = [
      { manifest: null, source: { file: 'a.yaml' } },
      { manifest: ['a'], source: { file: 'a.yaml' } },
      { manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, source: { file: 'a.yaml', line: 1 } },
      { manifest: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [] }, source: { file: 'kustomization.yaml', line: 1 } },
    ];
    expect(importGitOpsApps(objects)).toEqual({ apps: [], diagnostics: [] });
  });
});

describe('normalizeRepoUrl', () => {
  it.each([
    ['https://github.com/acme/shop-infra', 'github.com/acme/shop-infra'],
    ['https://github.com/acme/shop-infra.git', 'github.com/acme/shop-infra'],
    ['https://github.com/acme/shop-infra/', 'github.com/acme/shop-infra'],
    ['https://github.com/acme/shop-infra.git/', 'github.com/acme/shop-infra'],
    ['https://user:s3cret@github.com/acme/shop-infra.git', 'github.com/acme/shop-infra'],
    ['http://GitHub.com/Acme/Shop-Infra', 'github.com/acme/shop-infra'],
    ['git@github.com:acme/shop-infra.git', 'github.com/acme/shop-infra'],
    ['ssh://git@github.com/acme/shop-infra', 'github.com/acme/shop-infra'],
    ['ssh://git@github.com:22/acme/shop-infra.git', 'github.com/acme/shop-infra'],
    ['https://git.example.com:8443/platform/infra.git', 'git.example.com/platform/infra'],
    ['  https://github.com/acme/shop-infra  ', 'github.com/acme/shop-infra'],
    ['https://github.com/acme/other', 'github.com/acme/other'],
  ])('%s → %s', (url, normalized) => {
    expect(normalizeRepoUrl(url)).toBe(normalized);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://ghp_T0KEN@github.com/acme/other.git', 'https://***@github.com/acme/other.git'],
    ['https://user:s3cret@git.example.com/acme/other', 'https://***@git.example.com/acme/other'],
    ['ssh://git@github.com/acme/other', 'ssh://git@github.com/acme/other'],
    ['git@github.com:acme/other.git', 'git@github.com:acme/other.git'],
    ['https://github.com/acme/other', 'https://github.com/acme/other'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it('keeps credentials of a foreign repoURL out of diagnostics', () => {
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web' },
      spec: { source: { repoURL: 'https://deploy:s3cret@git.example.com/acme/other.git', path: 'web' } },
    };
    const { apps, diagnostics } = importGitOpsApps([{ manifest: application, source: { file: 'apps.yaml', line: 1 } }], THIS_REPO);
    expect(apps).toEqual([]);
    expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      'apps.yaml:1: warning: spec.source.repoURL https://***@git.example.com/acme/other.git, which is not this repository (github.com/acme/shop-infra); not imported (Application.argoproj.io web)',
    ]);
  });
});
