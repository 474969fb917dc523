/**
 * Faults against real control-plane processes the test owns (test/cluster/fault-apiserver.ts): an
 * extra kube-apiserver on the shared etcd with its own prefix, which the test kills, freezes and
 * restarts; an HTTPS proxy in front of it that answers chosen requests with 429 and 5xx; and
 * broken kubeconfigs through the built CLI and the engine handlers the UI uses.
 *
 * What must hold: nothing hangs (every wait is bounded by the configured request timeout), every
 * object's recorded outcome is what really happened to it (healthy, skipped, or honestly
 * `unknown` when a write got no answer), a re-plan afterwards sees exactly the cluster as it is,
 * retries of 429/5xx are visible and bounded, and errors name the context, server, status, verb,
 * object and attempts. The shared cluster's own processes are never touched.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { dispatch } from '../../core/api/dispatch.js';
import { createHandlers } from '../../core/api/handlers.js';
import type { ApplyEvent } from '../../core/apply/executor.js';
import { applyPlan, type ApplyOutcome } from '../../core/apply/service.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { openHistory, type History } from '../../core/history/history.js';
import { KubeClient } from '../../core/kube/client.js';
import { KubeError } from '../../core/kube/errors.js';
import { loadKubeconfig, type LoadedKubeconfig } from '../../core/kube/kubeconfig.js';
import { planApp } from '../../core/plan/service.js';
import type { Plan } from '../../core/plan/types.js';
import { startFaultApiServer, type FaultApiServer } from '../cluster/fault-apiserver.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

const sharedKubeconfig = inject('kubeconfig');
const root = new URL('../..', import.meta.url).pathname;
const suffix = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const NS = { killed: `faults-killed-${suffix}`, paused: `faults-paused-${suffix}`, flaky: `faults-flaky-${suffix}`, broken: `faults-broken-${suffix}`, local: `faults-local-${suffix}` };
const tmp = mkdtempSync(join(tmpdir(), 'slipway-faults-'));
const cacheDir = join(tmp, 'trees');
const log = (m: string): void => console.error(`[faults] ${m}`);

let api: FaultApiServer;
let kubeconfig: LoadedKubeconfig;
let fixture: TestRepo;
let repo: Repository;
let history: History;

const doc = (o: object): string => JSON.stringify(o, null, 2);
const namespace = (name: string): string => doc({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (name: string, wave?: number): string =>
  doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(wave !== undefined && { annotations: { 'slipway.dev/wave': String(wave) } }) }, data: { name } });
const app = (name: keyof typeof NS): string => `  - name: ${name}\n    path: apps/${name}\n    destination: {namespace: ${NS[name]}}\n`;

/** 40 ConfigMaps in five waves of eight (1..5), after their Namespace (wave 0). */
const KILLED = Array.from({ length: 40 }, (_, i) => ({ name: `cm-${String(i).padStart(2, '0')}`, wave: 1 + Math.floor(i / 8) }));

function files(): Record<string, string> {
  return {
    'slipway.yaml': `apiVersion: slipway.dev/v1alpha1\nkind: Config\napps:\n${(Object.keys(NS) as (keyof typeof NS)[]).map(app).join('')}`,
    'apps/killed/namespace.yaml': namespace(NS.killed),
    'apps/killed/configmaps.yaml': KILLED.map((c) => configMap(c.name, c.wave)).join('\n---\n'),
    'apps/paused/all.yaml': [namespace(NS.paused), ...[1, 2, 3].map((i) => configMap(`first-${i}`, 1)), ...[1, 2, 3].map((i) => configMap(`second-${i}`, 2))].join('\n---\n'),
    // Its namespace exists beforehand (made by the test), so its dry-runs go to the objects' own paths.
    'apps/flaky/all.yaml': [0, 1, 2, 3].map((i) => configMap(`flaky-${i}`)).join('\n---\n'),
    'apps/broken/all.yaml': [namespace(NS.broken), configMap('first', 1), ...[0, 1, 2].map((i) => configMap(`later-${i}`, 2))].join('\n---\n'),
    'apps/local/all.yaml': [namespace(NS.local), configMap('settings')].join('\n---\n'),
  };
}

const name = (k: { kind: string; name: string }): string => `${k.kind}/${k.name}`;
const byAction = (p: Plan, action: string): string[] =>
  p.changes
    .filter((c) => c.action === action)
    .map((c) => name(c.key))
    .sort();

/** The ConfigMaps that exist in a namespace of the fault-test API server. */
async function liveConfigMaps(ns: string, kc: LoadedKubeconfig = kubeconfig, context = api.context): Promise<Set<string>> {
  const client = new KubeClient(kc, context);
  try {
    const resource = await client.resourceFor({ group: '', version: 'v1', kind: 'ConfigMap' });
    return new Set((await client.list(resource, { namespace: ns })).map((o) => `ConfigMap/${o.metadata.name}`));
  } finally {
    await client.close();
  }
}

/** How many connections to the server at `port` hold bytes it has not read (Linux /proc/net/tcp{,6}; the listening socket left out). */
function connectionsWithUnreadBytes(port: number): number {
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (!local || !queues || state === '0A' || Number.parseInt(local.split(':')[1] ?? '', 16) !== port) continue;
      if (Number.parseInt(queues.split(':')[1] ?? '0', 16) > 0) n++;
    }
  }
  return n;
}

/** Resolves when the condition holds; polls with a short, growing interval; fails after `timeoutMs`. */
async function until(what: string, timeoutMs: number, condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(200, delay * 2);
  }
}

/** The built CLI (npm test builds it first). */
function slipway(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string; ms: number } {
  if (!existsSync(`${root}dist/cli/slipway.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8', env: { ...process.env, SLIPWAY_HISTORY: join(tmp, 'cli-history.db'), ...env }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function integrityCheck(file: string): string {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  api = await startFaultApiServer({ name: 'faults', log });
  kubeconfig = loadKubeconfig({ path: api.kubeconfig });
  fixture = createTestRepo({ prefix: 'slipway-faults-repo-' });
  fixture.write(files());
  fixture.commit('fault apps');
  repo = await openRepository(fixture.dir);
  history = openHistory({ path: join(tmp, 'history.db') });
});

afterAll(async () => {
  history?.close();
  await repo?.close();
  fixture?.cleanup();
  await api?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('the API server dies mid-apply', () => {
  it('ends the run failed with each object as it really is, and a re-plan after the restart creates exactly what is missing', async () => {
    const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'killed' }, kubeconfig, context: api.context, cacheDir });
    expect(plan.summary).toMatchObject({ create: 41, error: 0 });

    // Freeze the server the moment wave 3 starts, so its eight writes are sent and certainly unanswered;
    // kill it once its sockets hold the eight unread requests (each on its own connection: HTTP/1.1, no pipelining).
    let killed: Promise<void> | undefined;
    const events: ApplyEvent[] = [];
    const started = Date.now();
    const outcome = await applyPlan({
      plan,
      repo,
      kubeconfig,
      history,
      cacheDir,
      requestTimeoutMs: 30_000,
      onEvent: (e) => {
        events.push(e);
        if (!killed && e.type === 'object' && e.state === 'applying' && KILLED.find((c) => c.name === e.key.name)?.wave === 3) {
          api.pause();
          killed = until('the frozen API server to hold the eight unread requests', 20_000, () => connectionsWithUnreadBytes(api.port) >= 8).finally(() => api.stop('SIGKILL'));
        }
      },
    });
    const elapsed = Date.now() - started;
    await killed;
    log(`killed mid-apply: the run ended ${outcome.status} after ${elapsed} ms`);

    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(new RegExp(`cannot reach the cluster of context ${api.context} at ${api.url}`));
    expect(elapsed).toBeLessThan(60_000);

    // One result per change, each the truth: waves 0–2 healthy, wave 3 sent and unanswered, waves 4–5 never sent.
    const outcomes = new Map(outcome.results.map((r) => [name(r.key), r.outcome]));
    expect(outcome.results).toHaveLength(41);
    expect(outcomes.size).toBe(41);
    expect(outcomes.get(`Namespace/${NS.killed}`)).toBe('healthy');
    for (const c of KILLED) expect([c.name, outcomes.get(`ConfigMap/${c.name}`)]).toEqual([c.name, c.wave <= 2 ? 'healthy' : c.wave === 3 ? 'unknown' : 'skipped']);
    const unknown = outcome.results.filter((r) => r.outcome === 'unknown');
    for (const r of unknown) expect(r.message).toMatch(/no answer from the API server, so the change may or may not have been made: cannot reach the cluster .*plan again/);
    expect(events.filter((e) => e.type === 'object' && e.state === 'unknown')).toHaveLength(8);

    // History says the same, and the file is sound.
    const run = history.run(outcome.runId)!;
    expect(run).toMatchObject({ status: 'failed', error: outcome.error, summary: { create: 41 } });
    expect(run.finishedAt).toBeDefined();
    expect(new Map(run.objects.map((o) => [name(o.key), o.outcome]))).toEqual(outcomes);
    expect(integrityCheck(history.path)).toBe('ok');

    // Back up on the same port and certificates: the new plan is exactly what is missing.
    await api.restart();
    const live = await liveConfigMaps(NS.killed);
    const replan = await planApp({ repo, rev: 'HEAD', selection: { app: 'killed' }, kubeconfig, context: api.context, cacheDir, lastApply: history });
    const expectedCreate = KILLED.filter((c) => c.wave >= 3).map((c) => `ConfigMap/${c.name}`).sort();
    expect(byAction(replan, 'create')).toEqual(expectedCreate);
    expect(byAction(replan, 'noop')).toEqual([`Namespace/${NS.killed}`, ...KILLED.filter((c) => c.wave <= 2).map((c) => `ConfigMap/${c.name}`)].sort());
    expect([...live].sort()).toEqual(KILLED.filter((c) => c.wave <= 2).map((c) => `ConfigMap/${c.name}`).sort());
  });
});

describe('the API server is frozen (SIGSTOP)', () => {
  it('a plan gives up after the request timeout, naming the context, the server and the limit, from the core and from the engine handlers', async () => {
    const started = Date.now();
    const planning = planApp({ repo, rev: 'HEAD', selection: { app: 'paused' }, kubeconfig, context: api.context, cacheDir, requestTimeoutMs: 2_000 });
    api.pause();
    try {
      const err = await planning.then(
        () => undefined,
        (e: unknown) => e,
      );
      const elapsed = Date.now() - started;
      log(`plan against a frozen server failed after ${elapsed} ms`);
      expect(err).toBeInstanceOf(KubeError);
      expect((err as KubeError).message).toBe(`cannot reach the cluster of context ${api.context} at ${api.url}: no response within 2 s (the request timeout)`);
      expect((err as KubeError).hint).toMatch(/--request-timeout/);
      // A few sequential calls at most, never retries piling up.
      expect(elapsed).toBeLessThan(12_000);

      // The UI's path: the settings' timeouts.requestSeconds is the limit.
      const handlers = createHandlers({ transport: 'memory', historyPath: join(tmp, 'ui-history.db'), settingsPath: join(tmp, 'settings.json'), env: { HOME: tmp, KUBECONFIG: api.kubeconfig }, treesDir: cacheDir });
      try {
        expect(await dispatch(handlers, 'save-settings', { timeouts: { requestSeconds: 3 } })).toMatchObject({ ok: true });
        const opened = await dispatch(handlers, 'open-repository', { path: fixture.dir });
        if (!opened.ok) throw new Error(opened.error.message);
        const t0 = Date.now();
        const reply = await dispatch(handlers, 'plan', { repoId: (opened.value as { id: string }).id, rev: 'HEAD', app: 'paused', context: api.context });
        const uiElapsed = Date.now() - t0;
        log(`engine plan against a frozen server failed after ${uiElapsed} ms`);
        expect(reply).toMatchObject({ ok: false, error: { code: 'cluster-unreachable', message: expect.stringContaining(`context ${api.context} at ${api.url}`) } });
        expect(JSON.stringify(reply)).toContain('no response within 3 s (the request timeout)');
        expect(uiElapsed).toBeLessThan(15_000);
      } finally {
        await handlers.close();
      }

      // The CLI: --request-timeout, as kubectl spells it.
      const cli = slipway(['plan', '--repo', fixture.dir, '--app', 'paused', '--context', api.context, '--request-timeout', '2s', '--no-history'], { KUBECONFIG: api.kubeconfig });
      log(`slipway plan --request-timeout 2s against a frozen server exited ${cli.status} after ${cli.ms} ms`);
      expect(cli.status).toBe(1);
      expect(cli.stderr).toContain(`slipway: error: cannot reach the cluster of context ${api.context} at ${api.url}: no response within 2 s (the request timeout)\n  hint: `);
      expect(cli.ms).toBeLessThan(20_000);
    } finally {
      api.resume();
    }
  });

  it('an apply gives up on the frozen writes after the request timeout: sent ones unknown, later ones skipped, and the re-plan after it thaws shows the truth', async () => {
    const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'paused' }, kubeconfig, context: api.context, cacheDir });
    expect(plan.summary).toMatchObject({ create: 7, error: 0 });
    let paused = false;
    const started = Date.now();
    let outcome: ApplyOutcome;
    try {
      outcome = await applyPlan({
        plan,
        repo,
        kubeconfig,
        history,
        cacheDir,
        requestTimeoutMs: 2_000,
        onEvent: (e) => {
          if (!paused && e.type === 'object' && e.state === 'applying' && e.key.name.startsWith('first-')) {
            paused = true;
            api.pause();
          }
        },
      });
    } finally {
      api.resume();
    }
    const elapsed = Date.now() - started;
    log(`apply against a frozen server ended ${outcome.status} after ${elapsed} ms`);
    expect(outcome.status).toBe('failed');
    // The writes time out together, then the lease release: two request timeouts, no retry storm.
    expect(elapsed).toBeLessThan(20_000);
    const outcomes = Object.fromEntries(outcome.results.map((r) => [name(r.key), r.outcome]));
    expect(outcomes).toEqual({
      [`Namespace/${NS.paused}`]: 'healthy',
      'ConfigMap/first-1': 'unknown',
      'ConfigMap/first-2': 'unknown',
      'ConfigMap/first-3': 'unknown',
      'ConfigMap/second-1': 'skipped',
      'ConfigMap/second-2': 'skipped',
      'ConfigMap/second-3': 'skipped',
    });
    for (const r of outcome.results.filter((x) => x.outcome === 'unknown')) expect(r.message).toContain('no response within 2 s (the request timeout)');
    expect(history.run(outcome.runId)).toMatchObject({ status: 'failed' });

    // Thawed, the server may well have carried out the writes it was sent: the re-plan sees whatever is true.
    const live = await liveConfigMaps(NS.paused);
    const replan = await planApp({ repo, rev: 'HEAD', selection: { app: 'paused' }, kubeconfig, context: api.context, cacheDir });
    const cms = ['first-1', 'first-2', 'first-3', 'second-1', 'second-2', 'second-3'].map((n) => `ConfigMap/${n}`);
    expect(byAction(replan, 'create')).toEqual(cms.filter((c) => !live.has(c)));
    expect(byAction(replan, 'noop')).toEqual([`Namespace/${NS.paused}`, ...cms.filter((c) => live.has(c))].sort());
    for (const s of ['second-1', 'second-2', 'second-3']) expect(live.has(`ConfigMap/${s}`)).toBe(false);
    log(`after the thaw, ${[...live].length} of the 3 unanswered writes had been carried out`);
  });
});

describe('429 and 5xx answers (through a fault-injecting proxy)', () => {
  let proxy: FaultProxy;
  let proxied: LoadedKubeconfig;
  const isDryRun = (q: URLSearchParams): boolean => q.get('dryRun') === 'All';
  const patchOf = (ns: string, cm: string, dryRun: boolean) => (r: { method: string; path: string; query: URLSearchParams }) =>
    r.method === 'PATCH' && r.path === `/api/v1/namespaces/${ns}/configmaps/${cm}` && isDryRun(r.query) === dryRun;

  beforeAll(async () => {
    proxy = await startFaultProxy({ target: api, context: 'slipway-faults-proxy', kubeconfigPath: join(tmp, 'proxy.kubeconfig') });
    proxied = loadKubeconfig({ path: proxy.kubeconfig });
    const admin = new KubeClient(kubeconfig, api.context);
    try {
      await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS.flaky } }, { fieldManager: 'faults-test' });
    } finally {
      await admin.close();
    }
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('a plan rides out transient 429s (honouring Retry-After) and 503s, and the retries show', async () => {
    proxy.reset();
    const version = proxy.inject({ match: (r) => r.method === 'GET' && r.path === '/version', fault: { status: 429, retryAfterSeconds: 1 }, times: 1 });
    const namespaces = proxy.inject({ match: (r) => r.method === 'GET' && r.path === '/api/v1/namespaces', fault: { status: 429, retryAfterSeconds: 1 }, times: 2 });
    const dryRun = proxy.inject({ match: patchOf(NS.flaky, 'flaky-1', true), fault: { status: 503 }, times: 1 });
    const started = Date.now();
    const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'flaky' }, kubeconfig: proxied, context: proxy.context, cacheDir });
    const elapsed = Date.now() - started;
    expect(plan.summary).toMatchObject({ create: 4, error: 0 });
    expect([version(), namespaces(), dryRun()]).toEqual([1, 2, 1]);
    const statuses = (match: (r: { method: string; path: string; query: URLSearchParams }) => boolean): number[] => proxy.log.filter(match).map((r) => r.status);
    expect(statuses((r) => r.path === '/version')).toEqual([429, 200]);
    // The namespaces are listed more than once (members, then names): two lists were throttled, each tried again.
    const nsLists = proxy.log.filter((r) => r.method === 'GET' && r.path === '/api/v1/namespaces');
    expect(nsLists.filter((r) => r.status === 429)).toHaveLength(2);
    for (const throttled of nsLists.filter((r) => r.status === 429)) expect(nsLists.some((r) => r.status === 200 && r.query.toString() === throttled.query.toString())).toBe(true);
    // 201: a server-side apply (dry run) that would create the object.
    expect(statuses(patchOf(NS.flaky, 'flaky-1', true))).toEqual([503, 201]);
    // Retry-After: 1 was honoured.
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
  });

  it('a plan reports a persistent fault naming the status, the verb, the resource and the attempts', async () => {
    proxy.reset();
    proxy.inject({ match: (r) => r.method === 'GET' && r.path === '/api/v1/namespaces', fault: { status: 503, message: 'etcd is sulking' } });
    const started = Date.now();
    const err = await planApp({ repo, rev: 'HEAD', selection: { app: 'flaky' }, kubeconfig: proxied, context: proxy.context, cacheDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).message).toBe(`the API server of context ${proxy.context} failed with 503 on list namespaces: etcd is sulking (gave up after 4 attempts)`);
    expect(proxy.log.filter((r) => r.path === '/api/v1/namespaces').map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(Date.now() - started).toBeLessThan(20_000);

    // One object's dry-run failing for good: that change is an error naming the same things; the others are planned.
    proxy.reset();
    proxy.inject({ match: patchOf(NS.flaky, 'flaky-2', true), fault: { status: 500, message: 'boom' } });
    const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'flaky' }, kubeconfig: proxied, context: proxy.context, cacheDir });
    expect(plan.summary).toMatchObject({ create: 3, error: 1 });
    expect(plan.changes.find((c) => c.key.name === 'flaky-2')).toMatchObject({
      action: 'error',
      message: `the API server of context ${proxy.context} failed with 500 on patch ConfigMap ${NS.flaky}/flaky-2: boom (gave up after 4 attempts)`,
    });
  });

  it('an apply rides out transient 500 and 429 answers and says it retried', async () => {
    proxy.reset();
    const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'flaky' }, kubeconfig: proxied, context: proxy.context, cacheDir });
    expect(plan.summary).toMatchObject({ create: 4, error: 0 });
    proxy.inject({ match: patchOf(NS.flaky, 'flaky-1', false), fault: { status: 500 }, times: 1 });
    proxy.inject({ match: patchOf(NS.flaky, 'flaky-2', false), fault: { status: 429, retryAfterSeconds: 1 }, times: 1 });
    const events: ApplyEvent[] = [];
    const outcome = await applyPlan({ plan, repo, kubeconfig: proxied, history, cacheDir, onEvent: (e) => events.push(e) });
    expect(outcome.status).toBe('succeeded');
    expect(outcome.results.every((r) => r.outcome === 'healthy')).toBe(true);
    const messages = events.flatMap((e) => (e.type === 'message' ? [e.text] : []));
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^patch ConfigMap ${NS.flaky}/flaky-1: the API server of context ${proxy.context} failed with 500 on patch ConfigMap ${NS.flaky}/flaky-1: .*; retrying in \\d+\\.\\d s \\(attempt 2 of 4\\)$`)),
        expect.stringMatching(new RegExp(`^patch ConfigMap ${NS.flaky}/flaky-2: the API server of context ${proxy.context} is throttling requests \\(429\\) on patch ConfigMap ${NS.flaky}/flaky-2: .*; retrying in 1\\.\\d s \\(attempt 2 of 4\\)$`)),
      ]),
    );
    expect(history.run(outcome.runId)).toMatchObject({ status: 'succeeded' });
    expect([...(await liveConfigMaps(NS.flaky))].sort()).toEqual([0, 1, 2, 3].map((i) => `ConfigMap/flaky-${i}`));
  });

  it('an apply stops at a persistent fault: the object failed with status, verb, object and attempts; later steps never sent', async () => {
    proxy.reset();
    const plan = await planApp({ repo, rev: 'HEAD', selection: { app: 'broken' }, kubeconfig: proxied, context: proxy.context, cacheDir });
    expect(plan.summary).toMatchObject({ create: 5, error: 0 });
    proxy.inject({ match: patchOf(NS.broken, 'first', false), fault: { status: 503, retryAfterSeconds: 0 } });
    const events: ApplyEvent[] = [];
    const started = Date.now();
    const outcome = await applyPlan({ plan, repo, kubeconfig: proxied, history, cacheDir, onEvent: (e) => events.push(e) });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(outcome.status).toBe('failed');
    const message = `the API server of context ${proxy.context} failed with 503 on patch ConfigMap ${NS.broken}/first: injected 503 by the fault proxy (gave up after 4 attempts)`;
    expect(outcome.error).toContain(message);
    expect(Object.fromEntries(outcome.results.map((r) => [name(r.key), [r.outcome, r.message]]))).toEqual({
      [`Namespace/${NS.broken}`]: ['healthy', expect.any(String)],
      'ConfigMap/first': ['failed', message],
      'ConfigMap/later-0': ['skipped', 'not started: an earlier step failed'],
      'ConfigMap/later-1': ['skipped', 'not started: an earlier step failed'],
      'ConfigMap/later-2': ['skipped', 'not started: an earlier step failed'],
    });
    expect(events.filter((e) => e.type === 'message' && e.text.startsWith(`patch ConfigMap ${NS.broken}/first:`))).toHaveLength(3);
    expect(proxy.log.filter(patchOf(NS.broken, 'first', false)).map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(proxy.log.some((r) => r.method === 'PATCH' && r.path.includes('/configmaps/later-') && !isDryRun(r.query))).toBe(false);
    expect(history.run(outcome.runId)).toMatchObject({ status: 'failed', objects: expect.arrayContaining([expect.objectContaining({ outcome: 'failed', message })]) });
    expect(await liveConfigMaps(NS.broken)).toEqual(new Set());
    expect(integrityCheck(history.path)).toBe('ok');
  });
});

describe('broken kubeconfigs: the CLI and the engine handlers', () => {
  const dir = join(tmp, 'kubeconfigs');
  const paths = { missing: join(dir, 'missing.yaml'), directory: join(dir, 'a-directory'), malformed: join(dir, 'malformed.yaml'), dead: join(dir, 'dead.yaml'), execFails: join(dir, 'exec-fails.yaml'), execSilent: join(dir, 'exec-silent.yaml') };
  const plugin = join(dir, 'corp-login.sh');
  let deadServer: string;

  const oneContext = (context: string, server: string, user: object): string =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: context, cluster: { server, 'certificate-authority': api.caFile } }],
      users: [{ name: context, user }],
      contexts: [{ name: context, context: { cluster: context, user: context } }],
    });
  const exec = (command: string): object => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command, interactiveMode: 'Never' } });

  beforeAll(async () => {
    mkdirSync(paths.directory, { recursive: true });
    // Line 4 is not YAML: a mapping value where a list item was expected.
    writeFileSync(paths.malformed, 'apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster: {server: https://x.example\ncontexts: []\n');
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    deadServer = `https://127.0.0.1:${port}`;
    writeFileSync(paths.dead, oneContext('dead', deadServer, { token: 'x' }));
    writeFileSync(plugin, `#!/bin/sh\necho "token expired: run corp-login --refresh" >&2\nexit 3\n`);
    chmodSync(plugin, 0o755);
    writeFileSync(paths.execFails, oneContext('exec-fails', api.url, exec(plugin)));
    writeFileSync(paths.execSilent, oneContext('exec-silent', api.url, exec('/bin/false')));
  });

  const planArgs = (context: string): string[] => ['plan', '--repo', fixture.dir, '--app', 'local', '--context', context, '--no-history', '--no-color'];

  it.each([
    { fault: 'a missing file', file: 'missing', warning: undefined, explicit: /kubeconfig .*missing\.yaml does not exist/ },
    { fault: 'an unreadable file (a directory)', file: 'directory', warning: /warning: cannot read kubeconfig .*a-directory: EISDIR.*\(skipped; the other kubeconfig files are used\)/, explicit: /cannot read kubeconfig .*a-directory: EISDIR/ },
    { fault: 'malformed YAML', file: 'malformed', warning: /warning: invalid kubeconfig .*malformed\.yaml:6:1: .*\(skipped; the other kubeconfig files are used\)/, explicit: /error: invalid kubeconfig .*malformed\.yaml:6:1: / },
  ] as const)('$fault in KUBECONFIG: the other file\'s contexts are listed and plan against the real cluster; alone it is a clear error', ({ file, warning, explicit }) => {
    const KUBECONFIG = [paths[file], sharedKubeconfig].join(delimiter);
    const contexts = slipway(['contexts'], { KUBECONFIG });
    expect(contexts.status, contexts.stderr).toBe(0);
    expect(contexts.stdout).toMatch(/slipway-admin/);
    expect(contexts.stdout).toMatch(/slipway-second/);
    if (warning) expect(contexts.stderr).toMatch(warning);
    else expect(contexts.stderr).toBe('');

    const plan = slipway(planArgs('slipway-admin'), { KUBECONFIG });
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`Namespace ${NS.local}`));

    const alone = slipway(['contexts', '--kubeconfig', paths[file]], {});
    expect(alone.status).toBe(1);
    expect(alone.stderr).toMatch(explicit);
  });

  it.each([
    { fault: 'a context whose server is not listening', file: 'dead', context: 'dead', message: () => `slipway: error: cannot reach the cluster of context dead at ${deadServer}: connection refused` },
    { fault: 'a user whose credential plugin fails', file: 'execFails', context: 'exec-fails', message: () => `slipway: error: the credential plugin ${plugin} of context exec-fails failed: token expired: run corp-login --refresh` },
    { fault: 'a user whose credential plugin fails silently', file: 'execSilent', context: 'exec-silent', message: () => 'slipway: error: the credential plugin /bin/false of context exec-silent failed: it exited with an error and printed nothing on stderr' },
  ] as const)('$fault: plan fails fast and clearly; the other contexts still work', ({ file, context, message }) => {
    const KUBECONFIG = [paths[file], sharedKubeconfig].join(delimiter);
    const contexts = slipway(['contexts'], { KUBECONFIG });
    expect(contexts.status, contexts.stderr).toBe(0);
    expect(contexts.stdout).toMatch(new RegExp(`\\b${context}\\b`));
    expect(contexts.stdout).toMatch(/slipway-admin/);

    const bad = slipway(planArgs(context), { KUBECONFIG });
    expect(bad.status).toBe(1);
    expect(bad.stderr.split('\n')[0]).toBe(message());
    expect(bad.ms).toBeLessThan(15_000);

    const good = slipway(planArgs('slipway-admin'), { KUBECONFIG });
    expect(good.status, good.stderr).toBe(0);
  });

  it('the engine handlers (the UI) list the usable contexts with diagnostics and answer plans with clear errors, never crash', async () => {
    const KUBECONFIG = [paths.malformed, paths.directory, paths.missing, paths.dead, paths.execFails, sharedKubeconfig].join(delimiter);
    const handlers = createHandlers({ transport: 'memory', historyPath: join(tmp, 'ui-history-2.db'), settingsPath: join(tmp, 'settings-2.json'), env: { HOME: tmp, KUBECONFIG }, treesDir: cacheDir });
    try {
      const listed = await dispatch(handlers, 'list-contexts', {});
      expect(listed).toMatchObject({ ok: true });
      if (!listed.ok) return;
      const value = listed.value as { contexts: { name: string }[]; diagnostics: { code: string; message: string; location?: { file: string; line?: number } }[] };
      expect(value.contexts.map((c) => c.name)).toEqual(expect.arrayContaining(['dead', 'exec-fails', 'slipway-admin', 'slipway-readonly', 'slipway-second']));
      expect(value.diagnostics).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'kubeconfig-file-skipped', location: expect.objectContaining({ file: paths.malformed, line: 6 }) }),
          expect.objectContaining({ code: 'kubeconfig-file-skipped', message: expect.stringContaining('EISDIR'), location: { file: paths.directory } }),
        ]),
      );
      // The kubeconfig named explicitly (as the settings or the request may): an error naming file and line.
      expect(await dispatch(handlers, 'list-contexts', { kubeconfig: paths.malformed })).toMatchObject({ ok: false, error: { code: 'kubeconfig-invalid', location: { file: paths.malformed, line: 6 } } });

      const opened = await dispatch(handlers, 'open-repository', { path: fixture.dir });
      if (!opened.ok) throw new Error(opened.error.message);
      const repoId = (opened.value as { id: string }).id;
      const plan = (context: string) => dispatch(handlers, 'plan', { repoId, rev: 'HEAD', app: 'local', context });
      expect(await plan('dead')).toMatchObject({ ok: false, error: { code: 'cluster-unreachable', message: `cannot reach the cluster of context dead at ${deadServer}: connection refused` } });
      expect(await plan('exec-fails')).toMatchObject({ ok: false, error: { code: 'credentials-error', message: expect.stringContaining('token expired: run corp-login --refresh'), hint: expect.any(String) } });
      expect(await plan('slipway-admin')).toMatchObject({ ok: true });
    } finally {
      await handlers.close();
    }
  });
});
