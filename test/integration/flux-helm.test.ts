/**
 * Flux HelmReleases through the CLI on the local cluster, on a repository in the layout of Flux's
 * flux2-kustomize-helm-example (test/support/flux-helm-repo.ts): staging and production both
 * define flux-system/apps, each an overlay patching apps/base's HelmRelease with its values. And a
 * HelmRelease whose valuesFrom is a SOPS-encrypted Secret of the overlay, decrypted with the real
 * sops and age (built from their Go modules): the value reaches the cluster and nothing else.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureSopsTools } from '../cluster/sops-tools.js';
import { createFluxHelmRepo, fluxExternalArtifactFiles } from '../support/flux-helm-repo.js';
import { cleanUp } from '../support/cleanup.js';
import { slipwayCli, showRun, type CliRun } from '../support/slipway-cli.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
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
      message: 'HelmRelease podinfo/podinfo is a kustomize base, rendered by the overlays of production-apps and staging-apps, each with its own patches: it is planned as production-apps-podinfo and staging-apps-podinfo, not as an app of its own',
    });
  });

  it('the base chosen by name is refused, naming the apps that are it in each environment', () => {
    const r = slipway(['render', '--repo', repo.dir, '--app', 'podinfo']);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stderr).toContain('podinfo is the HelmRelease of apps/base/podinfo/release.yaml, a kustomize base rendered by the overlays of production-apps and staging-apps: it is planned as production-apps-podinfo or staging-apps-podinfo');
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

describe('the Flux 2.7 layout: ExternalArtifacts made by ArtifactGenerators', () => {
  it('slipway apps names each source it cannot follow once, with what to do, however many objects and renderings use it', () => {
    const flux27 = createTestRepo({ prefix: 'slipway-flux-external-artifact-' });
    try {
      flux27.write(fluxExternalArtifactFiles());
      flux27.commit('flux2-kustomize-helm-example, Flux 2.7 layout');
      const r = slipway(['apps', '--repo', flux27.dir, '--json']);
      expect(r.status, showRun(r)).toBe(0);
      const json = JSON.parse(r.stdout) as { apps: unknown[]; diagnostics: { severity: string; code: string; message: string; location?: { file: string } }[] };
      expect(json.apps).toEqual([]);
      const unfollowed = json.diagnostics.filter((d) => d.code === 'flux-source-unfollowed');
      expect(unfollowed.map((d) => [d.severity, d.location?.file, d.message.slice(0, d.message.indexOf(':'))])).toEqual([
        ['warning', 'apps/base/podinfo/release.yaml', 'ExternalArtifact flux-system/podinfo is not followed'],
        ['warning', 'clusters/production/apps.yaml', 'ExternalArtifact flux-system/apps is not followed'],
      ]);
      expect(unfollowed[1]?.message).toContain('not imported: Kustomization flux-system/apps, Kustomization flux-system/apps (clusters/staging/apps.yaml:1:1)');
      expect(unfollowed[1]?.message).toContain('with --path (apps/production, apps/staging)');
      expect(json.diagnostics.filter((d) => d.severity !== 'info' && d.code !== 'flux-source-unfollowed')).toEqual([]);
    } finally {
      flux27.cleanup();
    }
  });
});

describe('a HelmRelease whose valuesFrom is a SOPS-encrypted Secret of the repository', () => {
  /** Found nowhere but in the cluster's Secret. */
  const CANARY = `canary-${randomBytes(9).toString('hex')}`;
  const ns = `${prefix}values`;
  const history = join(tmp, 'secret-values.db');
  const sopsTarget = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', history];
  const runs: CliRun[] = [];
  let secretRepo: TestRepo;
  let run: (args: readonly string[]) => CliRun;

  const filesUnder = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile()) : []);

  beforeAll(async () => {
    const sops = await ensureSopsTools((m) => console.log(m));
    const home = join(tmp, 'sops-home');
    mkdirSync(home, { recursive: true });
    const keyFile = join(tmp, 'age-key.txt');
    execFileSync(sops.ageKeygen, ['-o', keyFile], { stdio: 'ignore' });
    const recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))![1]!;
    const encrypt = (plain: string): string => {
      const file = join(tmp, `plain-${randomBytes(4).toString('hex')}.yaml`);
      writeFileSync(file, plain);
      try {
        return execFileSync(sops.sops, ['encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', file], { encoding: 'utf8', env: { ...process.env, HOME: home } });
      } finally {
        rmSync(file);
      }
    };
    const recorded = slipwayCli({ tmp, tools, env: { PATH: [dirname(sops.sops), dirname(tools.helm), dirname(tools.kustomize), process.env.PATH ?? ''].join(delimiter), HOME: home, SOPS_AGE_KEY: '', SOPS_AGE_KEY_FILE: keyFile, SLIPWAY_DATA_DIR: join(tmp, 'sops-data') } });
    run = (args) => {
      const r = recorded(args);
      runs.push(r);
      return r;
    };
    secretRepo = createTestRepo({ prefix: 'slipway-flux-secret-values-' });
    secretRepo.write({
      'clusters/staging/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps/staging\n  prune: true\n',
      'apps/base/db/kustomization.yaml': 'resources:\n  - release.yaml\n',
      'apps/base/db/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: db
  namespace: ${ns}
spec:
  install:
    createNamespace: true
  chart:
    spec:
      chart: ./charts/db
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: Secret
      name: db-values
  values:
    user: app
`,
      'apps/staging/kustomization.yaml': 'resources:\n  - ../base/db\n  - db-values.enc.yaml\n',
      'apps/staging/db-values.enc.yaml': encrypt(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-values\n  namespace: ${ns}\nstringData:\n  values.yaml: |\n    password: ${CANARY}\n    user: overridden-by-spec-values\n`),
      'charts/db/Chart.yaml': 'apiVersion: v2\nname: db\nversion: 0.1.0\n',
      'charts/db/templates/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-credentials\nstringData:\n  password: {{ required "password" .Values.password | quote }}\n',
      'charts/db/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  user: {{ .Values.user | quote }}\n',
    });
    secretRepo.commit('a HelmRelease with its values in a SOPS-encrypted Secret of the overlay');
  }, 1_200_000);

  afterAll(async () => {
    await cleanUp([() => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => secretRepo?.cleanup()]);
  });

  it('plan → apply → re-plan of the child app: the cluster holds the decrypted value, and spec.values still wins over it', () => {
    const apps = run(['apps', '--repo', secretRepo.dir, '--json']);
    expect(apps.status, showRun(apps)).toBe(0);
    expect((JSON.parse(apps.stdout) as { apps: { name: string }[] }).apps.map((a) => a.name)).toEqual(['apps', 'apps-db']);
    const app = ['--repo', secretRepo.dir, '--app', 'apps-db', ...sopsTarget];
    const plan = run(['plan', ...app]);
    expect(plan.status, showRun(plan)).toBe(0);
    const applied = run(['apply', ...app, '--auto-approve']);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(Buffer.from(kubectl(['get', 'secret', 'db-credentials', '-n', ns, '-o', 'jsonpath={.data.password}']), 'base64').toString('utf8')).toBe(CANARY);
    expect(kubectl(['get', 'configmap', 'db-settings', '-n', ns, '-o', 'jsonpath={.data.user}'])).toBe('app');
    const again = run(['plan', ...app, '--detailed-exitcode']);
    expect(again.status, showRun(again)).toBe(0);
  });

  it('the value is nowhere but in the cluster: output, history, the app cache (trees, charts, work folders)', () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(CANARY);
    const files = [history, `${history}-wal`, ...filesUnder(join(tmp, 'cache')), ...filesUnder(join(tmp, 'sops-data'))].filter((f) => existsSync(f));
    expect(files).toContain(history);
    for (const f of files) expect(readFileSync(f).includes(CANARY), f).toBe(false);
  });
});
