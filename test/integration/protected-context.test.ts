/**
 * Protected contexts (settings: protectedContexts) and protected apps (slipway.yaml
 * options.protected) need the context name typed in the CLI too, as in the UI: `slipway apply`,
 * `rollback` and `revert` refuse without a terminal unless `--confirm-context <name>` matches the
 * target — `--auto-approve` alone is not enough — and nothing reaches the cluster when refused.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';

const kubeconfig = inject('kubeconfig');
const tools = inject('tools');
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig });
const root = new URL('../..', import.meta.url).pathname;
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const ns = `protected-it-${suffix}`;
const guardedNs = `protected-it-${suffix}-app`;

let tmp: string;
let fixture: TestRepo;
const commits: string[] = [];
let settingsFile: string;

const app = (namespace: string, color: string): Record<string, string> => ({
  [`apps/${namespace === ns ? 'web' : 'guarded'}/namespace.yaml`]: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`,
  [`apps/${namespace === ns ? 'web' : 'guarded'}/config.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  color: ${color}\n`,
});

function slipway(args: readonly string[], opts: { settings?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args, '--kubeconfig', kubeconfig, '--history', join(tmp, 'history.db')], {
    encoding: 'utf8',
    input: '', // no terminal
    env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_SETTINGS: opts.settings ?? settingsFile, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const color = (namespace: string): string | undefined => {
  const r = kubectl.result(['get', 'configmap', 'web-config', '-n', namespace, '-o', 'jsonpath={.data.color}']);
  return r.status === 0 ? r.stdout : undefined;
};

const runIdOf = (stderr: string): string => /Run (\S+) recorded/.exec(stderr)?.[1] ?? '';

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli', 'slipway.js'))) throw new Error('the CLI is not built: run `npm run build` first');
  tmp = mkdtempSync(join(tmpdir(), 'slipway-protected-it-'));
  settingsFile = join(tmp, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({ protectedContexts: ['slipway-admin'] }));
  fixture = createTestRepo({ prefix: 'slipway-protected-it-' });
  fixture.write({
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1
kind: Config
apps:
  - name: web
    path: apps/web
    destination: {namespace: ${ns}}
  - name: guarded
    path: apps/guarded
    destination: {namespace: ${guardedNs}}
    options: {protected: true}
`,
    ...app(ns, 'blue'),
    ...app(guardedNs, 'blue'),
  });
  commits.push(fixture.commit('blue'));
  fixture.write(app(ns, 'green'));
  commits.push(fixture.commit('green'));
});

afterAll(() => {
  for (const n of [ns, guardedNs]) kubectl.result(['delete', 'namespace', n, '--ignore-not-found', '--wait=false']);
  fixture?.cleanup();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('a context protected in the settings', () => {
  const runs: string[] = [];

  it('refuses apply --auto-approve without a terminal, naming the context and the flag; nothing is applied', () => {
    const planFile = join(tmp, 'plan-1.json');
    expect(slipway(['plan', '--repo', fixture.dir, '--rev', commits[0]!, '--app', 'web', '--context', 'slipway-admin', '--out', planFile]).status).toBe(0);
    const refused = slipway(['apply', planFile, '--auto-approve']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(`ConfigMap ${ns}/web-config`); // the plan was shown
    expect(refused.stderr).toContain(`context slipway-admin is protected (protectedContexts in ${settingsFile})`);
    expect(refused.stderr).toContain('--confirm-context slipway-admin');
    expect(refused.stderr).toContain('nothing was applied');
    // Planning and applying in one go is refused the same way.
    const direct = slipway(['apply', '--repo', fixture.dir, '--rev', commits[0]!, '--app', 'web', '--context', 'slipway-admin', '--auto-approve']);
    expect(direct.status).toBe(1);
    expect(direct.stderr).toContain('context slipway-admin is protected');
    // A name that does not match is refused too.
    const wrong = slipway(['apply', planFile, '--auto-approve', '--confirm-context', 'slipway-second']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('--confirm-context "slipway-second" does not match the context this plan applies to (slipway-admin)');
    expect(kubectl.result(['get', 'namespace', ns]).status).not.toBe(0);
  });

  it('applies with --confirm-context naming the context', () => {
    for (const [i, commit] of commits.entries()) {
      const planFile = join(tmp, `plan-ok-${i}.json`);
      expect(slipway(['plan', '--repo', fixture.dir, '--rev', commit, '--app', 'web', '--context', 'slipway-admin', '--out', planFile]).status).toBe(0);
      const applied = slipway(['apply', planFile, '--confirm-context', 'slipway-admin']);
      expect(applied.status, applied.stderr).toBe(0);
      runs.push(runIdOf(applied.stderr));
    }
    expect(color(ns)).toBe('green');
  });

  it('refuses rollback and revert with --auto-approve alone, after showing their plan; the cluster keeps its state', () => {
    for (const args of [
      ['rollback', '--to', runs[0]!, '--auto-approve'],
      ['revert', runs[1]!, '--auto-approve'],
    ]) {
      const r = slipway(args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stdout, args.join(' ')).toContain(`ConfigMap ${ns}/web-config`);
      expect(r.stderr, args.join(' ')).toContain('context slipway-admin is protected');
    }
    expect(color(ns)).toBe('green');
    const rolledBack = slipway(['rollback', '--to', runs[0]!, '--confirm-context', 'slipway-admin']);
    expect(rolledBack.status, rolledBack.stderr).toBe(0);
    expect(color(ns)).toBe('blue');
  });

  it('without the context in the settings, --auto-approve is enough (as before)', () => {
    const r = slipway(['apply', '--repo', fixture.dir, '--rev', commits[1]!, '--app', 'web', '--context', 'slipway-admin', '--auto-approve'], { settings: join(tmp, 'no-settings.json') });
    expect(r.status, r.stderr).toBe(0);
    expect(color(ns)).toBe('green');
  });
});

describe('a protected app', () => {
  it('needs --confirm-context even with --auto-approve and no protected context', () => {
    const noSettings = { settings: join(tmp, 'no-settings.json') };
    const refused = slipway(['apply', '--repo', fixture.dir, '--rev', commits[1]!, '--app', 'guarded', '--context', 'slipway-admin', '--auto-approve'], noSettings);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('app guarded is protected');
    expect(kubectl.result(['get', 'namespace', guardedNs]).status).not.toBe(0);
    const applied = slipway(['apply', '--repo', fixture.dir, '--rev', commits[1]!, '--app', 'guarded', '--context', 'slipway-admin', '--confirm-context', 'slipway-admin'], noSettings);
    expect(applied.status, applied.stderr).toBe(0);
    expect(color(guardedNs)).toBe('blue');
  });
});
