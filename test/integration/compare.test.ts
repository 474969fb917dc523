/**
 * slipway diff and contexts against the real clusters: the live state of one revision's objects
 * in two independent clusters (slipway-admin vs slipway-second), and the context list.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const kubeconfig = inject('kubeconfig');
const { kubectl } = inject('tools');
const root = new URL('../..', import.meta.url).pathname;
const ns = `compare-it-${Date.now().toString(36)}`;
let repo: TestRepo;

const k = (context: string, ...args: string[]): string => execFileSync(kubectl, ['--kubeconfig', kubeconfig, '--context', context, ...args], { encoding: 'utf8' });
const slipway = (...args: string[]) => spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8' });

beforeAll(() => {
  repo = createTestRepo();
  repo.write({
    'app/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`,
    'app/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  color: blue\n`,
  });
  repo.commit('app');
  for (const context of ['slipway-admin', 'slipway-second']) k(context, 'apply', '--server-side', '-f', `${repo.dir}/app/ns.yaml`, '-f', `${repo.dir}/app/cm.yaml`);
  k('slipway-second', 'patch', 'configmap', 'settings', '-n', ns, '--type=merge', '-p', '{"data":{"color":"green"}}');
});

afterAll(() => {
  for (const context of ['slipway-admin', 'slipway-second']) k(context, 'delete', 'namespace', ns, '--wait=false', '--ignore-not-found');
  repo?.cleanup();
});

describe('slipway diff across contexts', () => {
  it('shows how the live objects of a revision differ between two clusters', () => {
    const r = slipway('diff', '--repo', repo.dir, '--path', 'app', '--kubeconfig', kubeconfig, '--context', 'slipway-second', '--against-context', 'slipway-admin');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('before    live state in slipway-admin');
    expect(r.stdout).toContain('after     live state in slipway-second');
    expect(r.stdout).toMatch(/~ update ConfigMap compare-it-\w+\/settings[\s\S]*- {2}color: blue\n\s+\+ {2}color: green/);
    expect(r.stdout).toContain('Differences: 0 to add, 1 to change, 0 to destroy.');
  });

  it('compares two revisions without a cluster', () => {
    repo.write({ 'app/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  color: red\n` });
    repo.commit('red');
    const r = slipway('diff', '--repo', repo.dir, '--path', 'app', '--from', 'HEAD~1', '--to', 'HEAD', '--json');
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as { inputs: { mode: unknown }; changes: { action: string; changedPaths: string[] }[] };
    expect(plan.inputs.mode).toEqual({ kind: 'compare', compared: 'revisions', before: 'HEAD~1', after: 'HEAD' });
    expect(plan.changes.filter((c) => c.action !== 'noop')).toMatchObject([{ action: 'update', changedPaths: ['data.color'] }]);
  });
});

describe('slipway contexts', () => {
  it('lists the contexts of the kubeconfig with their clusters and servers', () => {
    const r = slipway('contexts', '--kubeconfig', kubeconfig, '--json');
    expect(r.status).toBe(0);
    const contexts = JSON.parse(r.stdout) as { name: string; cluster: string; current: boolean }[];
    expect(contexts.map((c) => [c.name, c.cluster, c.current])).toEqual([
      ['slipway-admin', 'slipway', true],
      ['slipway-readonly', 'slipway', false],
      ['slipway-second', 'slipway-second', false],
    ]);
  });
});
