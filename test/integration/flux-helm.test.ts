/**
 * Flux HelmReleases through the CLI on the local cluster, on a repository in the layout of Flux's
 * flux2-kustomize-helm-example (test/support/flux-helm-repo.ts): staging and production both
 * define flux-system/apps, each an overlay patching apps/base's HelmRelease with its values.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFluxHelmRepo } from '../support/flux-helm-repo.js';
import { cleanUp } from '../support/cleanup.js';
import { slipwayCli, showRun } from '../support/slipway-cli.js';
import type { TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const prefix = `fh-${Date.now().toString(36)}${randomBytes(2).toString('hex')}-`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-flux-helm-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', join(tmp, 'history.db')];
let repo: TestRepo;

beforeAll(() => {
  repo = createFluxHelmRepo(prefix);
});

afterAll(async () => {
  await cleanUp([...['staging', 'production'].map((env) => () => kubectl(['delete', 'namespace', `${prefix}${env}`, '--ignore-not-found', '--wait=false'])), () => repo.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('Flux HelmReleases in the flux2-kustomize-helm-example layout', () => {
  it('slipway apps lists the staging and production apps, and the HelmRelease each renders — not the base they patch', () => {
    const r = slipway(['apps', '--repo', repo.dir, '--json', '--verbose']);
    expect(r.status, showRun(r)).toBe(0);
    const json = JSON.parse(r.stdout) as { apps: { name: string; parent?: string; path: string; namespace?: string }[]; diagnostics: { code: string; severity: string; message: string; location?: { file: string } }[] };
    const byName = new Map(json.apps.map((a) => [a.name, a]));
    expect(byName.get('staging-apps')?.path).toBe('apps/staging');
    expect(byName.get('production-apps')?.path).toBe('apps/production');
    expect(byName.get('staging-apps-podinfo')).toMatchObject({ parent: 'staging-apps', path: 'charts/podinfo', namespace: `${prefix}staging` });
    expect(byName.get('production-apps-podinfo')).toMatchObject({ parent: 'production-apps', path: 'charts/podinfo', namespace: `${prefix}production` });
    // apps/base/podinfo/release.yaml is what the overlays patch: Flux never applies it as written, so it is no app of its own.
    expect(json.apps.map((a) => a.name).sort()).toEqual(['production-apps', 'production-apps-podinfo', 'staging-apps', 'staging-apps-podinfo']);
    expect(json.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(json.diagnostics.find((d) => d.code === 'flux-base-overlaid')).toMatchObject({
      location: { file: 'apps/base/podinfo/release.yaml' },
      message: 'HelmRelease podinfo/podinfo is a kustomize base that production-apps and staging-apps render with their patches: it is planned as production-apps-podinfo and staging-apps-podinfo, not as an app of its own',
    });
  });

  it('the base chosen by name is refused, naming the apps that are it in each environment', () => {
    const r = slipway(['render', '--repo', repo.dir, '--app', 'podinfo']);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stderr).toContain('podinfo is the HelmRelease of apps/base/podinfo/release.yaml, a kustomize base that production-apps and staging-apps render with their patches; it is planned as production-apps-podinfo or staging-apps-podinfo');
  });

  it('plan → apply → re-plan of staging: the staging values patch is applied, and nothing is left to change', () => {
    const app = ['--repo', repo.dir, '--app', 'staging-apps-podinfo', ...target];
    const plan = slipway(['plan', ...app]);
    expect(plan.status, showRun(plan)).toBe(0);
    const apply = slipway(['apply', ...app, '--auto-approve']);
    expect(apply.status, showRun(apply)).toBe(0);
    const cm = JSON.parse(kubectl.result(['get', 'configmap', `${prefix}staging-podinfo`, '-n', `${prefix}staging`, '-o', 'json']).stdout) as { data: Record<string, string> };
    expect(cm.data).toEqual({ message: 'hello from staging', replicas: '2' });
    const again = slipway(['plan', ...app, '--detailed-exitcode']);
    expect(again.status, showRun(again)).toBe(0);
  });

  it('plan of staging-apps on a cluster without Flux: its HelmRelease is left out with one note (not "no such kind"), and planned as its child app', () => {
    const plan = slipway(['plan', '--repo', repo.dir, '--app', 'staging-apps', ...target, '--json']);
    expect(plan.status, showRun(plan)).toBe(0);
    const json = JSON.parse(plan.stdout) as { changes: { key: { kind: string } }[]; diagnostics: { severity: string; code: string; message: string }[]; children?: { app: string; plan?: { summary: Record<string, number> } }[] };
    expect(json.changes.filter((c) => c.key.kind === 'HelmRelease')).toEqual([]);
    expect(json.diagnostics.filter((d) => d.code.startsWith('flux-'))).toEqual([
      {
        severity: 'info',
        code: 'flux-child-apps',
        message: '1 HelmRelease object is a child app here: the cluster has no Flux (it does not serve helm.toolkit.fluxcd.io), so it is planned as a Slipway app, not applied (`slipway apps` lists the children of staging-apps)',
        location: { file: 'apps/staging/kustomization.yaml', documentIndex: 0 },
      },
    ]);
    // Applied by the test above: the child app's plan has nothing left to do.
    expect(json.children?.map((c) => [c.app, c.plan?.summary.create, c.plan?.summary.update, c.plan?.summary.error])).toEqual([['staging-apps-podinfo', 0, 0, 0]]);
  });
});
