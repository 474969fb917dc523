/**
 * Pod logs on the real local cluster: kwok serves each test Pod's container logs from files the
 * test writes (kwok's Logs resource, test/support/pod-log-files.ts) through its kubelet endpoint,
 * so `kubectl logs`, the engine (client-node's Log API) and `slipway logs` read them through the
 * API server, and a line appended to a file reaches a follower. Also: --previous with and without
 * a previous run, a Pod that is gone (before and while following), a container that cannot start,
 * the UI's startLogs/stopLogs and their events, and the CLI's prefixed output and Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dispatch } from '../../core/api/dispatch.js';
import { createHandlers, type EngineHandlers } from '../../core/api/handlers.js';
import type { EngineEvent, LogEngineEvent } from '../../core/api/contract.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { kubePodLogPort, openPodLogs, type KubePodLogPort, type PodLogStream } from '../../core/kube/pod-logs.js';
import { cleanUp } from '../support/cleanup.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { kubectlRunner } from '../support/kubectl.js';
import { markRestarted, podLogFiles, type PodLogFiles } from '../support/pod-log-files.js';
import { showRun, slipwayCli } from '../support/slipway-cli.js';

const kubeconfigPath = inject('kubeconfig');
const tools = inject('tools');
const NS = `pod-logs-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'slipway-pod-logs-it-'));
const kubectl = kubectlRunner({ kubectl: tools.kubectl, kubeconfig: kubeconfigPath });
const slipway = slipwayCli({ tmp, tools });
const target = ['--context', 'slipway-admin', '--kubeconfig', kubeconfigPath];
const HOUR_AGO = new Date(Date.now() - 3_600_000);

let repo: TestRepo;
let port: KubePodLogPort;
let reader: PodLogFiles;
let webPods: string[] = [];
const webLogs = new Map<string, PodLogFiles>();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const pod = (name: string, containers: string[], extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${NS}}
spec:
  containers:
${containers.map((c) => `    - {name: ${c}, image: busybox:1.37${extra}}`).join('\n')}
`;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
`;

const phaseOf = (name: string): string => kubectl.result(['get', 'pod', '-n', NS, name, '-o', 'jsonpath={.status.phase}']).stdout;

/** Every line of a stream until it ends (or `stopAt` says so: then it is closed). */
async function linesOf(stream: PodLogStream, stopAt?: (lines: string[]) => boolean): Promise<string[]> {
  const lines: string[] = [];
  for await (const c of stream.batches()) {
    lines.push(...c.lines);
    if (stopAt?.(lines)) stream.close();
  }
  return lines;
}

beforeAll(async () => {
  kubectl(['create', 'namespace', NS]);
  await eventually('the default ServiceAccount', () => (kubectl.result(['get', 'serviceaccount', 'default', '-n', NS]).status === 0 ? true : undefined));
  repo = createTestRepo({ prefix: 'slipway-pod-logs-' });
  repo.write({ 'app/web.yaml': WEB });
  repo.commit('web: two replicas');
  kubectl(['apply', '-n', NS, '-f', join(repo.dir, 'app/web.yaml')]);
  kubectl(['apply', '-f', '-'], { input: pod('reader', ['app', 'sidecar']) });
  // Asks for 250 CPUs: the kwok node has 32, so it is never scheduled.
  kubectl(['apply', '-f', '-'], { input: pod('big', ['app'], ', resources: {requests: {cpu: "250"}}') });
  await eventually('Pod reader to run', () => (phaseOf('reader') === 'Running' ? true : undefined));
  reader = await podLogFiles(kubectl, {
    dir: tmp,
    namespace: NS,
    pod: 'reader',
    containers: {
      app: { lines: ['an hour ago: starting', 'an hour ago: listening on :8080'], at: HOUR_AGO, previous: ['crashed: out of memory'] },
      sidecar: { lines: ['sidecar ready'] },
    },
  });
  reader.append('app', ['just now: GET /healthz 200']);
  webPods = await eventually('two Running Pods of Deployment web', () => {
    const names = kubectl(['get', 'pods', '-n', NS, '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').filter(Boolean);
    return names.length === 2 ? names.sort() : undefined;
  });
  for (const name of webPods) webLogs.set(name, await podLogFiles(kubectl, { dir: tmp, namespace: NS, pod: name, containers: { web: { lines: [`hello from ${name}`] } } }));
  port = kubePodLogPort(loadKubeconfig({ path: kubeconfigPath }), 'slipway-admin');
});

afterAll(async () => {
  await cleanUp([() => port?.close(), () => kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=false']), () => repo?.cleanup(), () => rmSync(tmp, { recursive: true, force: true })]);
});

describe('the cluster serves the logs tests write', () => {
  it('kubectl logs reads the file through the API server, and -f gets a line appended to it', async () => {
    expect(kubectl(['logs', '-n', NS, 'reader', '-c', 'sidecar'])).toBe('sidecar ready\n');
    const follower = spawn(tools.kubectl, ['--kubeconfig', kubeconfigPath, '--context', 'slipway-admin', 'logs', '-f', '-n', NS, 'reader', '-c', 'sidecar']);
    let out = '';
    follower.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    try {
      await eventually('the first line', () => (out.includes('sidecar ready') ? true : undefined), 20_000);
      reader.append('sidecar', ['appended while kubectl follows']);
      await eventually('the appended line', () => (out.includes('appended while kubectl follows\n') ? true : undefined), 20_000);
    } finally {
      follower.kill();
    }
  });
});

describe('the engine reads Pod logs (client-node Log API)', () => {
  it('reads a container log: all of it, the last lines, or the last minutes only', async () => {
    expect(await linesOf(await openPodLogs(port, { namespace: NS, pod: 'reader', container: 'app' }))).toEqual(['an hour ago: starting', 'an hour ago: listening on :8080', 'just now: GET /healthz 200']);
    expect(await linesOf(await openPodLogs(port, { namespace: NS, pod: 'reader', container: 'app', tailLines: 1 }))).toEqual(['just now: GET /healthz 200']);
    expect(await linesOf(await openPodLogs(port, { namespace: NS, pod: 'reader', container: 'app', sinceSeconds: 300 }))).toEqual(['just now: GET /healthz 200']);
    const limited = await linesOf(await openPodLogs(port, { namespace: NS, pod: 'reader', container: 'app', limitBytes: 10 }));
    expect(limited.join('\n').length).toBeLessThanOrEqual(12);
  });

  it('defaults to the first container and names the others', async () => {
    const stream = await openPodLogs(port, { namespace: NS, pod: 'reader' });
    expect({ container: stream.container, containers: stream.containers, defaulted: stream.defaulted }).toEqual({ container: 'app', containers: ['app', 'sidecar'], defaulted: true });
    stream.close();
  });

  it('follows: a line appended to the log arrives, then close() stops it', async () => {
    const stream = await openPodLogs(port, { namespace: NS, pod: 'reader', container: 'app', follow: true, tailLines: 0 });
    const marker = `followed ${randomBytes(4).toString('hex')}`;
    const got = linesOf(stream, (lines) => lines.includes(marker));
    await sleep(500);
    const appendedAt = Date.now();
    reader.append('app', [marker]);
    expect(await got).toEqual([marker]);
    expect(Date.now() - appendedAt).toBeLessThan(10_000);
    expect(await stream.done).toEqual({ reason: 'stopped' });
  });

  it('--previous with a previous run reads it; without one, says so', async () => {
    await expect(openPodLogs(port, { namespace: NS, pod: 'reader', container: 'sidecar', previous: true })).rejects.toMatchObject({
      code: 'no-previous-container',
      message: `container "sidecar" of Pod ${NS}/reader has no previous run to show: it has not restarted (restarts: 0; it is running) (context slipway-admin)`,
    });
    markRestarted(kubectl, NS, 'reader', 'app');
    expect(await linesOf(await openPodLogs(port, { namespace: NS, pod: 'reader', container: 'app', previous: true }))).toEqual(['crashed: out of memory']);
  });

  it('a Pod that is gone, a container it does not have, one that cannot start: clear errors', async () => {
    await expect(openPodLogs(port, { namespace: NS, pod: 'reader-gone' })).rejects.toMatchObject({ code: 'pod-not-found', message: `Pod ${NS}/reader-gone not found (context slipway-admin): it was deleted, or never existed` });
    await expect(openPodLogs(port, { namespace: NS, pod: 'reader', container: 'db' })).rejects.toMatchObject({ code: 'unknown-container', message: `Pod ${NS}/reader has no container "db" (context slipway-admin); its containers: app, sidecar` });
    const message = await eventually('the scheduler to give up on Pod big', async () => {
      try {
        await openPodLogs(port, { namespace: NS, pod: 'big' });
      } catch (e) {
        const m = (e as Error).message;
        return m.includes('Insufficient cpu') ? m : undefined;
      }
      return undefined;
    });
    expect(message).toMatch(new RegExp(`^container "app" of Pod ${NS}/big has not started, so it has no log yet: the Pod is Pending and not scheduled to a node \\(Unschedulable: 0/\\d+ nodes are available: \\d+ Insufficient cpu`));
  });

  it('a followed Pod that is deleted ends the stream: pod-deleted', async () => {
    kubectl(['apply', '-f', '-'], { input: pod('short-lived', ['app']) });
    await eventually('Pod short-lived to run', () => (phaseOf('short-lived') === 'Running' ? true : undefined));
    const stream = await openPodLogs(port, { namespace: NS, pod: 'short-lived', follow: true }, { podCheckMs: 500 });
    const lines: string[] = [];
    for await (const c of stream.batches()) {
      lines.push(...c.lines);
      // Its log is there: now it goes.
      if (lines.length === 1) kubectl(['delete', 'pod', '-n', NS, 'short-lived', '--wait=false']);
    }
    expect(lines).toEqual(['kwok: fake container, no real process ran']);
    expect(await stream.done).toEqual({ reason: 'pod-deleted' });
  });
});

describe('startLogs and stopLogs (the UI contract) against the cluster', () => {
  let handlers: EngineHandlers;
  const events: EngineEvent[] = [];
  beforeAll(() => {
    handlers = createHandlers({ transport: 'memory', historyPath: join(tmp, 'history.db'), settingsPath: join(tmp, 'settings.json'), env: { HOME: tmp } });
    handlers.events.subscribe((e) => events.push(e));
  });
  afterAll(async () => handlers.close());
  const ofStream = (id: string): LogEngineEvent[] => events.filter((e): e is LogEngineEvent => e.type.startsWith('log-') && (e as LogEngineEvent).streamId === id);

  it('streams a followed log as log-lines events until stopLogs, then log-ended', async () => {
    const reply = await dispatch(handlers, 'start-logs', { streamId: 'ui-1', context: 'slipway-admin', kubeconfig: kubeconfigPath, namespace: NS, pod: 'reader', container: 'sidecar', follow: true });
    expect(reply).toEqual({ ok: true, value: { streamId: 'ui-1', container: 'sidecar', containers: ['app', 'sidecar'], initContainers: [], defaulted: false } });
    await eventually('the existing lines', () => (ofStream('ui-1').some((e) => e.type === 'log-lines' && e.lines.includes('sidecar ready')) ? true : undefined), 20_000);
    reader.append('sidecar', ['for the UI']);
    await eventually('the appended line', () => (ofStream('ui-1').some((e) => e.type === 'log-lines' && e.lines.includes('for the UI')) ? true : undefined), 20_000);
    expect(await dispatch(handlers, 'stop-logs', { streamId: 'ui-1' })).toEqual({ ok: true, value: { stopped: true } });
    await eventually('its end', () => (ofStream('ui-1').some((e) => e.type === 'log-ended') ? true : undefined), 10_000);
    expect(ofStream('ui-1').at(-1)).toEqual({ type: 'log-ended', streamId: 'ui-1', reason: 'stopped' });
  });

  it('a Pod that is gone: the start fails with its message, no events', async () => {
    const reply = await dispatch(handlers, 'start-logs', { streamId: 'ui-2', context: 'slipway-admin', kubeconfig: kubeconfigPath, namespace: NS, pod: 'nobody' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'pod-not-found', message: `Pod ${NS}/nobody not found (context slipway-admin): it was deleted, or never existed` } });
    expect(ofStream('ui-2')).toEqual([]);
  });
});

describe('slipway logs', () => {
  it("prints the logs of every Pod of the app's workloads, each line prefixed [pod/<pod>/<container>]", () => {
    const r = slipway(['logs', '--repo', repo.dir, '--path', 'app', '-n', NS, ...target]);
    expect(r.status, showRun(r)).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(webPods.map((p) => `[pod/${p}/web] hello from ${p}`).sort());
  });

  it('--pod: one Pod, no prefix; --tail and -c', () => {
    const r = slipway(['logs', '--pod', 'reader', '-c', 'app', '--tail', '1', '-n', NS, ...target]);
    expect(r.status, showRun(r)).toBe(0);
    expect(r.stdout).toMatch(/^\S.*\n$/);
    expect(r.stdout).toBe(kubectl(['logs', '-n', NS, 'reader', '-c', 'app', '--tail', '1']));
    const prefixed = slipway(['logs', '--pod', 'reader', '-c', 'sidecar', '--tail', '1', '--prefix', '-n', NS, ...target]);
    expect(prefixed.stdout).toMatch(/^\[pod\/reader\/sidecar\] /);
  });

  it('--previous without a previous run, and a Pod that is gone: exit 1 with a clear message', () => {
    const previous = slipway(['logs', '--pod', 'reader', '-c', 'sidecar', '--previous', '-n', NS, ...target]);
    expect(previous.status, showRun(previous)).toBe(1);
    expect(previous.stderr).toContain(`slipway: error: container "sidecar" of Pod ${NS}/reader has no previous run to show: it has not restarted (restarts: 0; it is running)`);
    const gone = slipway(['logs', '--pod', 'reader-gone', '-n', NS, ...target]);
    expect(gone.status, showRun(gone)).toBe(1);
    expect(gone.stderr).toContain(`slipway: error: Pod ${NS}/reader-gone not found (context slipway-admin): it was deleted, or never existed`);
  });

  it('-f follows the app until Ctrl-C, which exits 0', async () => {
    const env = { ...process.env, SLIPWAY_APP_CACHE_DIR: join(tmp, 'cache'), NO_COLOR: '1', PATH: [dirname(tools.helm), dirname(tools.kustomize), process.env.PATH ?? ''].join(delimiter) };
    const child = spawn(process.execPath, [new URL('../../bin/slipway.js', import.meta.url).pathname, 'logs', '-f', '--tail', '0', '--repo', repo.dir, '--path', 'app', '-n', NS, ...target], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const pod = webPods[0]!;
    const files = webLogs.get(pod)!;
    // Until the follow has started, an appended line might come before it; append until one arrives.
    await eventually('a line appended while slipway follows', () => {
      files.append('web', ['GET / 200']);
      return out.includes(`[pod/${pod}/web] GET / 200\n`) ? true : undefined;
    }, 60_000);
    child.kill('SIGINT');
    expect(await exited, `stderr: ${err}`).toBe(0);
  });
});
