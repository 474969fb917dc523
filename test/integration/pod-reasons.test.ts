/**
 * A failed rollout says which Pod and why, on the real cluster through the CLI: a Deployment whose
 * Pods ask for 250 CPUs stays Pending (the kube-scheduler finds no room on the kwok node), and the
 * apply — ended by the Deployment's progress deadline, or by Slipway's own timeout — names
 * "Insufficient cpu (FailedScheduling)" and a Pod, live while it waits, in its result, and in
 * `slipway history <run>`, as `kubectl describe pod` would tell it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { showRun, slipwayCli } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const NS = `pod-reasons-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-pod-reasons-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const history = join(tmp, 'history.db');
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath, '--history', history, '--path', 'app', '-n', NS, '--create-namespace', '--auto-approve'];
let repo: TestRepo;

/** A Deployment of 2 Pods that each request `cpu`, and how long the controller lets its rollout go without progress. */
const deployment = (name: string, cpu: string, progressDeadlineSeconds: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  progressDeadlineSeconds: ${progressDeadlineSeconds}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: app
          image: nginx:1.27.0
          env:
            - {name: API_TOKEN, value: never-shown-4f9a2c}
          resources:
            requests: {cpu: "${cpu}"}
`;

/** "2 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. <ns>/<name>-<hash>-<id>", for any number of Nodes (test/cluster/capacity.ts) */
const pending = (name: string): RegExp => new RegExp(`2 Pods Pending: 0/\\d+ nodes are available: \\d+ Insufficient cpu \\(FailedScheduling\\), e\\.g\\. ${NS}/${name}-[a-z0-9]+-[a-z0-9]{5}`);
const PENDING = pending('big');

beforeAll(() => {
  repo = createTestRepo({ prefix: 'slipway-pod-reasons-' });
});

afterAll(async () => {
  await cleanUp([() => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('a rollout whose Pods cannot be scheduled', () => {
  it('fails on its progress deadline naming the Pending Pods and why, live and in its result; history says the same', () => {
    repo.write({ 'app/deployment.yaml': deployment('big', '250', 10) });
    repo.commit('big: 250 CPUs');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--timeout', '120']);
    expect(r.status, showRun(r)).toBe(1);
    // While it waited: its status and its Pods' reason (every few seconds, when it changed).
    expect(r.stderr, showRun(r)).toMatch(new RegExp(`◷ Deployment.apps ${NS}/big waiting: .*${PENDING.source}`));
    // Its result, and the run's error.
    expect(r.stderr, showRun(r)).toMatch(new RegExp(`✗ Deployment.apps ${NS}/big failed: ProgressDeadlineExceeded: ReplicaSet "big-[a-z0-9]+" has timed out progressing; ${PENDING.source}`));
    expect(r.stderr).toMatch(new RegExp(`Apply failed after .*: step \\d+ of \\d+ \\(wave 0\\) failed: Deployment.apps ${NS}/big: ProgressDeadlineExceeded: .*${PENDING.source}`));
    expect(r.stderr).not.toContain('never-shown-4f9a2c');

    const runId = /Run (\S+) recorded/.exec(r.stderr)?.[1];
    const h = slipway(['history', runId!, '--history', history]);
    expect(h.status, showRun(h)).toBe(0);
    expect(h.stdout, showRun(h)).toMatch(new RegExp(`unhealthy\\s+create\\s+Deployment.apps ${NS}/big  ProgressDeadlineExceeded: .*; ${PENDING.source}`));
  }, 150_000);

  it('times out naming them after its last status (--timeout shorter than the progress deadline), in the JSON result too', () => {
    // Another Deployment: big's Pending Pods share the namespace, not its selector.
    repo.write({ 'app/deployment.yaml': deployment('huge', '251', 600) });
    repo.commit('huge: 251 CPUs, a long progress deadline');
    const r = slipway(['apply', '--repo', repo.dir, ...target, '--timeout', '8', '--json']);
    expect(r.status, showRun(r)).toBe(1);
    const out = JSON.parse(r.stdout) as { status: string; results: { key: { name: string }; outcome: string; message?: string }[] };
    const huge = out.results.find((o) => o.key.name === 'huge');
    expect(huge?.outcome, showRun(r)).toBe('timeout');
    expect(huge?.message, showRun(r)).toMatch(new RegExp(`^timed out after 8 s; last status: .*; ${pending('huge').source}$`));
  }, 120_000);
});
