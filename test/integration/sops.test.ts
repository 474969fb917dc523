/**
 * SOPS-encrypted manifests (Flux's decryption.provider: sops) and Sealed Secrets through the CLI
 * against the local cluster, with the real sops and age-keygen built from their Go modules: a
 * folder app and a kustomize app plan → apply (the cluster holds the plaintext) → re-plan with no
 * changes, and the canary value is nowhere else (plan text and JSON, stderr, history DB and WAL,
 * the app cache folder); a missing key names the file and its recipients; a MAC mismatch names
 * the file; a re-sealed SealedSecret shows "re-sealed" per key.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureSopsTools, type SopsTools } from '../cluster/sops-tools.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { showRun, slipwayCli, type CliRun } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const ns = `sops-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-sops-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const historyFile = join(tmp, 'history.db');
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', historyFile];
/** Found nowhere but in the cluster's Secret. */
const CANARY = `canary-${randomBytes(9).toString('hex')}`;
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: sealedsecrets.bitnami.com
spec:
  group: bitnami.com
  names: { kind: SealedSecret, listKind: SealedSecretList, plural: sealedsecrets, singular: sealedsecret }
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;
const sealedSecret = (password: string, user: string): string =>
  `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: ${password}\n    user: ${user}\n  template:\n    metadata:\n      name: db\n`;

let sops: SopsTools;
let recipient: string;
let repo: TestRepo;
let withKey: (args: readonly string[]) => CliRun;
let withoutKey: (args: readonly string[]) => CliRun;
const runs: CliRun[] = [];

function encrypt(plain: string): string {
  const file = join(tmp, `plain-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(file, plain);
  try {
    return execFileSync(sops.sops, ['encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', file], { encoding: 'utf8', env: { ...process.env, HOME: join(tmp, 'home') } });
  } finally {
    rmSync(file);
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

beforeAll(async () => {
  sops = await ensureSopsTools((m) => console.log(m));
  mkdirSync(join(tmp, 'home'));
  const keyFile = join(tmp, 'age-key.txt');
  execFileSync(sops.ageKeygen, ['-o', keyFile], { stdio: 'ignore' });
  recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))![1]!;
  const PATH = [dirname(sops.sops), dirname(tools.helm), dirname(tools.kustomize), process.env.PATH ?? ''].join(delimiter);
  // HOME and the data folder are the test's: no key of the machine's is found by accident.
  const base = { PATH, HOME: join(tmp, 'home'), SLIPWAY_DATA_DIR: join(tmp, 'data'), SOPS_AGE_KEY: '', SOPS_AGE_KEY_FILE: '' };
  const record = (run: (args: readonly string[]) => CliRun) => (args: readonly string[]) => {
    const r = run(args);
    runs.push(r);
    return r;
  };
  withKey = record(slipwayCli({ tmp, tools, env: { ...base, SOPS_AGE_KEY_FILE: keyFile } }));
  withoutKey = record(slipwayCli({ tmp, tools, env: base }));

  const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY}\n`;
  const config = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n`;
  const tampered = encrypt(secret.replace('name: db', 'name: other')).replace('name: other', 'name: tampered');
  repo = createTestRepo({ prefix: 'slipway-sops-' });
  repo.write({
    'folder/secret.enc.yaml': encrypt(secret),
    'folder/settings.enc.yaml': encrypt(config),
    'kustomized/kustomization.yaml': 'resources:\n  - secret.enc.yaml\n',
    'kustomized/secret.enc.yaml': encrypt(secret.replace('name: db', 'name: db-kustomized')),
    'tampered/secret.enc.yaml': tampered,
    'sealed/sealed.yaml': sealedSecret('AgBfirst0000', 'AgBuser0000'),
  });
  repo.commit('encrypted manifests');
  kubectl(['apply', '-f', '-'], { input: CRD });
  kubectl(['wait', '--for=condition=Established', 'crd/sealedsecrets.bitnami.com', '--timeout=60s']);
  // A cold build of sops takes minutes on 2 cores; later runs take it from the cache.
}, 1_200_000);

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('SOPS-encrypted manifests', () => {
  it.each([
    ['a folder app', 'folder', 'db'],
    ['a kustomize app', 'kustomized', 'db-kustomized'],
  ])('%s: plan, apply (the cluster holds the plaintext), re-plan with no changes', (_, path, name) => {
    const app = ['--repo', repo.dir, '--path', path, '-n', ns, '--create-namespace'];
    const plan = withKey(['plan', ...app, '--json', ...target]);
    expect(plan.status, showRun(plan)).toBe(0);
    const json = JSON.parse(plan.stdout) as { changes: { key: { kind: string; name: string }; action: string; secretKeys?: Record<string, string> }[] };
    expect(json.changes.find((c) => c.key.kind === 'Secret')).toMatchObject({ action: 'create', key: { name }, secretKeys: { password: 'added' } });
    const text = withKey(['plan', ...app, ...target]);
    expect(text.status, showRun(text)).toBe(0);
    expect(text.stdout).not.toContain('ENC[');
    const applied = withKey(['apply', ...app, '--auto-approve', ...target]);
    expect(applied.status, showRun(applied)).toBe(0);
    expect(Buffer.from(kubectl(['get', 'secret', name, '-n', ns, '-o', 'jsonpath={.data.password}']), 'base64').toString('utf8')).toBe(CANARY);
    if (path === 'folder') expect(kubectl(['get', 'configmap', 'settings', '-n', ns, '-o', 'jsonpath={.data.mode}'])).toBe('fast');
    const again = withKey(['plan', ...app, '--detailed-exitcode', ...target]);
    expect(again.status, showRun(again)).toBe(0);
  });

  it('the plaintext is nowhere but in the cluster: plan output, stderr, history (and WAL), the app cache folder', () => {
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain(CANARY);
    const files = [historyFile, `${historyFile}-wal`, ...filesUnder(join(tmp, 'cache')), ...filesUnder(join(tmp, 'data'))].filter((f) => existsSync(f));
    expect(files).toContain(historyFile);
    for (const f of files) expect(readFileSync(f).includes(CANARY), f).toBe(false);
  });

  it('without a key: an error naming the file and its age recipient', () => {
    const r = withoutKey(['plan', '--repo', repo.dir, '--path', 'folder', '-n', ns, ...target]);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/folder\/(secret|settings)\.enc\.yaml/);
    expect(r.stdout + r.stderr).toContain(recipient);
  });

  it('a MAC mismatch: an error naming the file', () => {
    const r = withKey(['plan', '--repo', repo.dir, '--path', 'tampered', '-n', ns, ...target]);
    expect(r.status, showRun(r)).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/tampered\/secret\.enc\.yaml/);
    expect(r.stdout + r.stderr).toMatch(/MAC/);
  });
});

describe('Sealed Secrets', () => {
  it('a re-sealed key shows "re-sealed", not its ciphertext', () => {
    const app = ['--repo', repo.dir, '--path', 'sealed', '-n', ns, '--create-namespace'];
    const applied = withKey(['apply', ...app, '--auto-approve', ...target]);
    expect(applied.status, showRun(applied)).toBe(0);
    repo.write({ 'sealed/sealed.yaml': sealedSecret('AgBsecond000', 'AgBuser0000') });
    repo.commit('re-sealed');
    const plan = withKey(['plan', ...app, ...target]);
    expect(plan.status, showRun(plan)).toBe(0);
    expect(plan.stdout).toContain('spec.encryptedData.password: (re-sealed)');
    expect(plan.stdout).not.toContain('spec.encryptedData.user');
    expect(plan.stdout).not.toContain('AgBsecond000');
  });
});
