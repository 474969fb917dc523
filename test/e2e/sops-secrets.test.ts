/**
 * SOPS-encrypted Secrets (a folder app, and a kustomization) through the UI in browser mode, against the local cluster, with the real
 * sops and age-keygen built from their Go modules (test/cluster/sops-tools.ts): the user sets the
 * sops binary and the age key file in Settings (neither is on PATH or in serve's environment),
 * plans the folder app, opens the Secret's diff, applies; then plans a commit that rotates one
 * value, opens the diff again and applies it; then plans and applies the kustomization (whose
 * tree is written into the app cache). The cluster holds the plaintext (so the canaries are real),
 * and no form of any canary (plain, JSON- or HTML-escaped, base64) is anywhere else: the page's
 * DOM at each step (document.documentElement.outerHTML, which holds what Monaco shows), every HTTP
 * response body and WebSocket frame the page got (the only way text reaches Monaco's models, which
 * the page does not expose), `slipway serve`'s stdout and stderr, the history database (its bytes
 * with the WAL, and every value in it inflated — plans and snapshots are stored deflated, where a
 * byte scan sees nothing — read while serve holds it open and after it stopped), and every file
 * under the test's cache, data and home folders. Checked to fail when the plan's Secret masking
 * (core/plan/assemble.ts) or the history's snapshot masking (core/history/codec.ts) is removed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureSopsTools, type SopsTools } from '../cluster/sops-tools.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { captureOutputs, findLeaks, sentinel, type Output, type PageOutputs } from '../support/leaks.js';
import { closeUi, diffSide as diffSideOf, openUi, pickRevision as pickRevisionOf, reportUiFailure, type UiSession } from './browser.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const root = new URL('../../', import.meta.url).pathname;
const ns = `sops-e2e-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** Seeded only into encrypted files: found nowhere but in the cluster. */
const S = {
  password: sentinel('slwsops1'),
  rotated: sentinel('slwsops2'),
  token: sentinel('slwsopsdata'),
  kustomized: sentinel('slwsopskust'),
};

let tmp: string;
let sops: SopsTools;
let keyFile: string;
let recipient: string;
let fixture: TestRepo;
const commits: string[] = [];
let ui: UiSession | undefined;
let page: Page;
const outputs: Output[] = [];
let received: PageOutputs;

const historyFile = (): string => join(tmp, 'data', 'history.db');
const diffSide = (side: 'original' | 'modified'): Promise<string> => diffSideOf(page, side);

function expectNoLeaks(): void {
  const leaks = findLeaks(outputs, S);
  expect(leaks.map((l) => `${l.sentinel} (${l.form}) in ${l.where}: …${l.around}…`)).toEqual([]);
}

async function pageHtml(step: string): Promise<void> {
  outputs.push({ where: `document.documentElement.outerHTML ${step}`, content: await page.locator('html').evaluate((root) => root.outerHTML) });
}

/** The history database as bytes (the main file, its write-ahead log and shared-memory index), and every value in it, inflated when deflated (plans and snapshots are stored compressed, where a byte scan cannot see). */
function readDatabase(when: string): void {
  for (const ext of ['', '-wal', '-shm', '-journal']) {
    const file = `${historyFile()}${ext}`;
    if (existsSync(file)) outputs.push({ where: `history.db${ext} (${when})`, content: readFileSync(file) });
  }
  const db = new Database(historyFile(), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>) {
        for (const [column, value] of Object.entries(row)) {
          const where = `history.db ${name}.${column} (${when})`;
          if (typeof value === 'string') outputs.push({ where, content: value });
          if (!Buffer.isBuffer(value)) continue;
          outputs.push({ where, content: value });
          try {
            outputs.push({ where: `${where}, inflated`, content: inflateSync(value) });
          } catch {
            // not deflated
          }
        }
      }
    }
  } finally {
    db.close();
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
}

const secret = (password: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-creds\ntype: Opaque\ndata:\n  token: ${b64(S.token)}\nstringData:\n  password: ${password}\n`;

function encrypt(plain: string): string {
  const file = join(tmp, `plain-${randomBytes(4).toString('hex')}.yaml`);
  writeFileSync(file, plain);
  try {
    return execFileSync(sops.sops, ['encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', file], { encoding: 'utf8', env: { ...process.env, HOME: join(tmp, 'home') } });
  } finally {
    rmSync(file);
  }
}

const decoded = (key: string): string => Buffer.from(kubectl(['get', 'secret', 'db-creds', '-n', ns, '-o', `jsonpath={.data.${key}}`]), 'base64').toString('utf8');

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  // A cold build of sops takes minutes on 2 cores; later runs take it from the cache.
  sops = await ensureSopsTools((m) => console.log(m));
  tmp = mkdtempSync(join(tmpdir(), 'slipway-sops-e2e-'));
  for (const d of ['data', 'home', 'cache']) mkdirSync(join(tmp, d));
  keyFile = join(tmp, 'keys', 'age.txt');
  mkdirSync(join(tmp, 'keys'));
  execFileSync(sops.ageKeygen, ['-o', keyFile], { stdio: 'ignore' });
  recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))![1]!;

  fixture = createTestRepo({ prefix: 'slipway-sops-e2e-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n  - name: vault\n    path: apps/vault\n    destination: {namespace: ${ns}}\n  - name: kustomized\n    path: apps/kustomized\n    destination: {namespace: ${ns}}\n`,
    'apps/vault/namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'apps/vault/secret.enc.yaml': encrypt(secret(S.password)),
    // A kustomization: its tree is written out into the app cache (ciphertext only), which the last test reads. Its
    // Secret's fields are in the order kustomize prints them: sops' MAC covers the order of the fields, and kustomize
    // sorts them (a Secret written as above fails its MAC check after kustomize build).
    'apps/kustomized/kustomization.yaml': 'resources:\n  - secret.enc.yaml\n',
    'apps/kustomized/secret.enc.yaml': encrypt(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: kustomized-creds\nstringData:\n  api-key: ${S.kustomized}\n`),
  });
  commits.push(fixture.commit('vault: an encrypted Secret'));
  fixture.write({ 'apps/vault/secret.enc.yaml': encrypt(secret(S.rotated)) });
  commits.push(fixture.commit('vault: rotate the password'));
  // The fixture holds ciphertext only.
  for (const c of commits) outputs.push({ where: `git show ${c}`, content: fixture.git('show', c) });

  // sops and its key only through Settings: not on PATH (git is), no key variable, HOME the test's. kustomize is set already.
  writeFileSync(join(tmp, 'data', 'settings.json'), JSON.stringify({ tools: { kustomize: tools.kustomize } }));
  ui = await openUi({
    PATH: '/usr/bin:/bin',
    HOME: join(tmp, 'home'),
    KUBECONFIG: kubeconfig,
    SOPS_AGE_KEY: undefined,
    SOPS_AGE_KEY_FILE: undefined,
    SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'),
    SLIPWAY_DATA_DIR: join(tmp, 'data'),
    SLIPWAY_HISTORY: historyFile(),
    SLIPWAY_SETTINGS: join(tmp, 'data', 'settings.json'),
    NO_COLOR: '1',
  });
  page = ui.page;
  received = captureOutputs(page, outputs);
}, 1_200_000);

afterEach((ctx) => reportUiFailure('sops-e2e', ctx, ui));

afterAll(async () => {
  await cleanUp([() => closeUi(ui), () => kubectl(['delete', 'namespace', ns, '--ignore-not-found', '--wait=false']), () => fixture?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
}, 60_000);

async function openSecret(): Promise<void> {
  await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Secret ${ns}/db-creds"]`).click();
  await expect.poll(() => diffSide('modified'), { timeout: 30_000 }).toContain('kind: Secret');
}

const pills = (): Promise<string[]> => page.locator('[data-testid=change-view] .secret-keys .pill').allTextContents();

async function applyAndWait(): Promise<void> {
  await expect.poll(() => page.getByTestId('apply-button').isEnabled()).toBe(true);
  await page.getByTestId('apply-button').click();
  await expect.poll(() => page.getByTestId('apply-dialog').isVisible()).toBe(true);
  await page.getByTestId('confirm-apply').click();
  await expect.poll(() => page.getByTestId('apply-progress').getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
}

describe('a SOPS-encrypted Secret in browser mode', () => {
  it('sets the sops binary and the age key file in Settings', async () => {
    await page.goto(ui!.app.url);
    await page.getByTestId('open-settings').click();
    await page.getByTestId('setting-sops').fill(sops.sops);
    await page.getByTestId('setting-sops-age-key-file').fill(keyFile);
    await page.getByTestId('save-settings').click();
    await expect.poll(() => page.getByTestId('settings-dialog').count()).toBe(0);
    expect(JSON.parse(readFileSync(join(tmp, 'data', 'settings.json'), 'utf8'))).toMatchObject({ tools: { kustomize: tools.kustomize, sops: sops.sops, sopsAgeKeyFile: keyFile } });
  });

  it('plans the first commit: the Secret is created, its keys added, its values hidden', async () => {
    await page.getByTestId('repo-path').fill(fixture.dir);
    await page.getByTestId('open-repo').click();
    await expect.poll(() => page.getByTestId('app-selector').locator('option').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('vault'), expect.stringContaining('kustomized')]));
    await page.getByTestId('app-selector').selectOption('app:vault');
    await page.getByTestId('context-switcher').click();
    await page.locator('[data-testid=context-menu] [role=option][data-context="slipway-admin"]').click();
    await pickRevisionOf(page, commits[0]!);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('2 to add · 0 to change · 0 to destroy');
    await openSecret();
    await pageHtml('with the new Secret open');
    expectNoLeaks();
    expect(await page.getByTestId('change-view').getAttribute('data-action')).toBe('create');
    expect((await pills()).sort()).toEqual(['password: added', 'token: added']);
    const shown = await diffSide('modified');
    expect(shown).toContain('password: (hidden)');
    expect(shown).toContain('token: (hidden)');
    expect(shown).not.toContain('ENC[');
  }, 120_000);

  it('applies it: the cluster holds the decrypted values', async () => {
    await applyAndWait();
    await pageHtml('after applying the first commit');
    expect(decoded('password')).toBe(S.password);
    expect(decoded('token')).toBe(S.token);
    expectNoLeaks();
    await page.getByTestId('close-progress').click();
  }, 180_000);

  it('plans the rotated password: an update, "changed" for that key only, both sides hidden', async () => {
    await pickRevisionOf(page, commits[1]!);
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('0 to add · 1 to change · 0 to destroy');
    await openSecret();
    await pageHtml('with the updated Secret open');
    expectNoLeaks();
    expect(await page.getByTestId('change-view').getAttribute('data-action')).toBe('update');
    expect((await pills()).sort()).toEqual(['password: changed', 'token: unchanged']);
    expect(await diffSide('modified')).toContain('(hidden, changed)');
    expect(await diffSide('original')).toContain('(hidden');
    await applyAndWait();
    expect(decoded('password')).toBe(S.rotated);
    await pageHtml('after applying the rotation');
    expectNoLeaks();
  }, 240_000);

  it('plans and applies the kustomization whose Secret is encrypted: decrypted after kustomize build, values hidden', async () => {
    await page.getByTestId('close-progress').click();
    await page.getByTestId('app-selector').selectOption('app:kustomized');
    await page.getByTestId('plan-button').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 60_000 }).toBe('1 to add · 0 to change · 0 to destroy');
    await page.locator(`[data-testid=plan-tree] [role=treeitem][data-key="Secret ${ns}/kustomized-creds"]`).click();
    await expect.poll(() => diffSide('modified'), { timeout: 30_000 }).toContain('kind: Secret');
    await pageHtml("with the kustomization's Secret open");
    expectNoLeaks();
    expect(await diffSide('modified')).toContain('api-key: (hidden)');
    expect(await pills()).toEqual(['api-key: added']);
    await applyAndWait();
    expect(Buffer.from(kubectl(['get', 'secret', 'kustomized-creds', '-n', ns, '-o', 'jsonpath={.data.api-key}']), 'base64').toString('utf8')).toBe(S.kustomized);
    await pageHtml('after applying the kustomization');
    expectNoLeaks();
  }, 240_000);

  it("leaves no value in any response, frame, serve's output, the history database or the test's folders", async () => {
    await received.settled();
    expect(received.responses).toBeGreaterThan(10);
    expect(received.frames).toBeGreaterThan(0);
    // Not vacuous: the plan's response named the Secret and its keys.
    expect(outputs.some((o) => o.where.includes('/api/plan') && o.content.includes('db-creds') && o.content.includes('password'))).toBe(true);
    readDatabase('while slipway serve holds it open');
    await ui!.app.stop();
    readDatabase('after slipway serve stopped');
    // Not vacuous: the runs' plans and snapshots name the Secrets (inside deflated values).
    expect(outputs.some((o) => o.where.endsWith('inflated') && o.content.includes('db-creds'))).toBe(true);
    expect(outputs.some((o) => o.where.startsWith('history.db snapshots') && o.content.includes('kustomized-creds'))).toBe(true);
    outputs.push({ where: 'slipway serve stdout and stderr', content: ui!.app.log() });
    const files = ['cache', 'data', 'home'].flatMap((d) => filesUnder(join(tmp, d)));
    // Not vacuous: the kustomization's tree was written out (with the encrypted file, as ciphertext).
    expect(files.filter((f) => f.startsWith(join(tmp, 'cache')) && f.endsWith('secret.enc.yaml')).length, files.join('\n')).toBeGreaterThan(0);
    for (const f of files) outputs.push({ where: f, content: readFileSync(f) });
    expect(ui!.pageErrors).toEqual([]);
    expectNoLeaks();
  }, 60_000);
});
