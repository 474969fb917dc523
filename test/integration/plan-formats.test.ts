/**
 * `slipway plan --format markdown|html` against the real cluster: the pull-request comment and the
 * page of a plan the API server answered (a Deployment and a Secret whose value is a canary), `--detailed-exitcode` as with text (2: changes), and the canary in no output.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { findLeaks, sentinel } from '../support/leaks.js';
import { webDeployment } from '../support/web-deployment.js';

const kubeconfig = inject('kubeconfig');
const { kubectl } = inject('tools');
const root = new URL('../..', import.meta.url).pathname;
const ns = `plan-formats-${Date.now().toString(36)}`;
const CANARY = { value: sentinel('slwfmt') };
let repo: TestRepo;
let tmp: string;

const k = (...args: string[]): string => execFileSync(kubectl, ['--kubeconfig', kubeconfig, '--context', 'slipway-admin', ...args], { encoding: 'utf8' });
const plan = (...args: string[]) =>
  spawnSync(process.execPath, [`${root}bin/slipway.js`, 'plan', '--repo', repo.dir, '--path', 'app', '--kubeconfig', kubeconfig, '--context', 'slipway-admin', '-n', ns, '--no-history', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), SLIPWAY_DATA_DIR: join(tmp, 'data'), NO_COLOR: '1' },
  });

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-plan-formats-'));
  repo = createTestRepo();
  repo.write({
    'app/deployment.yaml': webDeployment('nginx:1.27.0'),
    'app/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${CANARY.value}\n`,
  });
  repo.commit('app');
  k('create', 'namespace', ns);
}, 120_000);

afterAll(() => {
  k('delete', 'namespace', ns, '--wait=false', '--ignore-not-found');
  repo?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('slipway plan --format', () => {
  it('markdown: the comment of a plan the API server answered, exit 2 with --detailed-exitcode', () => {
    const r = plan('--format', 'markdown', '--detailed-exitcode');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^## Slipway plan: app → slipway-admin\n/);
    expect(r.stdout).toContain(`<details><summary><code>+ create</code> <b>Deployment.apps ${ns}/web</b>`);
    expect(r.stdout).toContain(`<b>Secret ${ns}/db</b>`);
    expect(r.stdout).toContain('- `data.password`: added');
    expect(r.stdout.length).toBeLessThan(65_536);
    expect(findLeaks([{ where: 'stdout', content: r.stdout }, { where: 'stderr', content: r.stderr }], CANARY)).toEqual([]);
  });

  it('html: the page, the same exit code', () => {
    const r = plan('--format', 'html', '--detailed-exitcode');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^<!doctype html>\n/);
    expect(r.stdout).toContain(`<b>Deployment.apps ${ns}/web</b>`);
    expect(findLeaks([{ where: 'stdout', content: r.stdout }], CANARY)).toEqual([]);
  });
});
