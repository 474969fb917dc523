import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLUSTER_A, CLUSTER_B, deployment, testPlan } from '../../test/support/history-fixtures.js';
import { contentHash } from '../model/canonical.js';
import type { ResourceKey } from '../model/resource.js';
import { MASK } from '../model/secrets.js';
import type { History, HistoryOptions } from './history.js';
import { openHistory } from './history.js';
import type { Page, RunRecord } from './types.js';
import type { Change, Plan } from '../plan/types.js';

let dir: string;
let file: string;
const opened: History[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-history-'));
  file = join(dir, 'history.db');
});
afterEach(() => {
  for (const h of opened.splice(0)) h.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(opts: Omit<HistoryOptions, 'path'> = {}): History {
  const h = openHistory({ path: file, ...opts });
  opened.push(h);
  return h;
}

describe('a folder the history cannot be created in', () => {
  it('is named with the reason and the ways around it, not only the errno', () => {
    // A regular file where the folder should be: mkdir fails as on a read-only home.
    writeFileSync(join(dir, 'not-a-folder'), '');
    const path = join(dir, 'not-a-folder', 'data', 'history.db');
    expect(() => openHistory({ path })).toThrow(expect.objectContaining({ code: 'history-open-failed', message: expect.stringContaining(`Cannot create the history's folder ${join(dir, 'not-a-folder', 'data')}`), hint: expect.stringContaining('--no-history') }));
  });
});

/** A clock that stands still until told to move: `now` for openHistory, `tick` moves it one second. */
function manualClock(start = Date.UTC(2026, 3, 1)): { now: () => Date; tick: () => void } {
  let t = start;
  return { now: () => new Date(t), tick: () => void (t += 1000) };
}

function rawCount(table: string): number {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? -1;
  } finally {
    db.close();
  }
}

const DEPLOY: ResourceKey = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const admin = { kube: 'kubernetes-admin', gitAuthor: 'Ada Lovelace <ada@example.com>' };

describe('plans', () => {
  it('stores the plan as given, once per id', () => {
    const h = open();
    const plan = testPlan();
    h.recordPlan(plan);
    h.recordPlan({ ...plan, createdAt: '2030-01-01T00:00:00.000Z' });
    expect(h.planById(plan.id)).toEqual(plan);
    expect(h.planById('no-such-plan')).toBeUndefined();
    expect(rawCount('plans')).toBe(1);
    expect([rawCount('repos'), rawCount('apps')]).toEqual([1, 1]);
  });

  it('keeps what changed, not the unchanged objects: a run adds about as many bytes for a 2,000-object app as for a 20-object one', () => {
    const withNoops = (n: number, id: string): Plan => {
      const base = testPlan({ id });
      const noops: Change[] = Array.from({ length: n }, (_, i) => {
        const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${i}\n  namespace: shop\ndata:\n  k: "${i}"\n`;
        return { key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: `c-${i}` }, action: 'noop', flags: [], before: yaml, after: yaml, changedPaths: [], liveResourceVersion: String(1000 + i), desiredHash: contentHash({ id, i }) };
      });
      return { ...base, changes: [...base.changes, ...noops], summary: { ...base.summary, noop: n } };
    };
    const h = open();
    const big = withNoops(2000, 'plan-big');
    h.recordPlan(big);
    // Read back: every change but the noops, the summary as planned.
    expect(h.planById('plan-big')).toEqual({ ...big, changes: big.changes.filter((c) => c.action !== 'noop') });
    expect(h.planById('plan-big')?.summary.noop).toBe(2000);

    const bodyBytes = (id: string): number => {
      const db = new Sqlite(file, { readonly: true });
      try {
        return db.prepare<[string], { n: number }>(`SELECT length(body) AS n FROM plans WHERE id = ?`).get(id)?.n ?? -1;
      } finally {
        db.close();
      }
    };
    h.recordPlan(withNoops(20, 'plan-small'));
    expect(bodyBytes('plan-big')).toBeLessThan(bodyBytes('plan-small') * 1.2);
  });

  it('records a comparison plan (no cluster) but refuses to run it', () => {
    const h = open();
    const { cluster: _cluster, ...inputs } = testPlan().inputs;
    const comparison = { ...testPlan(), id: 'cmp', inputs: { ...inputs, mode: { kind: 'compare' as const, compared: 'revisions' as const, before: 'v1', after: 'v2' } } };
    h.recordPlan(comparison);
    expect(h.planById('cmp')).toEqual(comparison);
    expect(() => h.startRun({ plan: comparison, kind: 'apply', user: admin })).toThrow(expect.objectContaining({ code: 'history-bad-run', message: expect.stringContaining('comparison') }));
  });
});

describe('runs', () => {
  it('records a run, its object results as they happen, and how it finished', () => {
    const clock = manualClock();
    const h = open({ now: clock.now });
    const plan = testPlan();
    clock.tick();
    const runId = h.startRun({ plan, kind: 'apply', user: admin });
    expect(runId).toMatch(/^run-20260401-000001-[a-z2-7]{8}$/);
    expect(h.run(runId)).toMatchObject({ status: 'running', objects: [] });

    clock.tick();
    h.recordObjectResult(runId, { key: DEPLOY, action: 'update', outcome: 'applied', wave: 0, startedAt: '2026-04-01T00:00:01.500Z', before: deployment('web', 1), after: deployment('web', 2) });
    clock.tick();
    clock.tick();
    h.recordObjectResult(runId, { key: DEPLOY, action: 'update', outcome: 'healthy', message: 'Available' });
    clock.tick();
    h.recordObjectResult(runId, { key: { group: '', version: 'v1', kind: 'Namespace', name: 'shop' }, action: 'noop', outcome: 'unchanged' });
    clock.tick();
    h.finishRun(runId, { status: 'succeeded' });

    expect(h.run(runId)).toEqual({
      id: runId,
      kind: 'apply',
      status: 'succeeded',
      planId: plan.id,
      summary: plan.summary,
      repo: '/repos/gitops',
      app: { name: 'web', path: 'apps/web' },
      commit: plan.inputs.commit,
      cluster: CLUSTER_A,
      user: admin,
      startedAt: '2026-04-01T00:00:01.000Z',
      finishedAt: '2026-04-01T00:00:06.000Z',
      objects: [
        {
          key: DEPLOY,
          action: 'update',
          outcome: 'applied',
          wave: 0,
          startedAt: '2026-04-01T00:00:01.500Z',
          finishedAt: '2026-04-01T00:00:02.000Z',
          beforeHash: contentHash(deployment('web', 1)),
          afterHash: contentHash(deployment('web', 2)),
        },
        { key: DEPLOY, action: 'update', outcome: 'healthy', message: 'Available', finishedAt: '2026-04-01T00:00:04.000Z' },
        { key: { group: '', version: 'v1', kind: 'Namespace', name: 'shop' }, action: 'noop', outcome: 'unchanged', finishedAt: '2026-04-01T00:00:05.000Z' },
      ],
    });
    expect(h.snapshot(contentHash(deployment('web', 2)))).toEqual(deployment('web', 2));
    expect(h.run('run-unknown')).toBeUndefined();
  });

  it.each([
    ['failed', 'Deployment shop/web: admission webhook denied the request'],
    ['cancelled', undefined],
    ['refused', 'The plan is stale: Deployment shop/web changed since it was made (resourceVersion 42 → 57)'],
  ] as const)('finishes a run as %s, with its error', (status, error) => {
    const h = open();
    const runId = h.startRun({ plan: testPlan(), kind: 'apply', user: { kube: 'dev' } });
    h.finishRun(runId, { status, ...(error !== undefined && { error }) });
    const run = h.run(runId);
    expect(run?.status).toBe(status);
    expect(run?.error).toBe(error);
    expect(run?.finishedAt).toBeDefined();
  });

  it('records rollbacks and reverts with the run they undo, and the cluster seen at apply time', () => {
    const h = open();
    const first = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    h.finishRun(first, { status: 'succeeded' });
    const upgraded = { ...CLUSTER_A, version: 'v1.36.0' };
    const back = h.startRun({ plan: testPlan({ commit: 'f'.repeat(40) }), kind: 'rollback', rollbackOf: first, user: admin, cluster: upgraded });
    const revert = h.startRun({ plan: testPlan({ commit: 'e'.repeat(40) }), kind: 'revert', rollbackOf: back, user: { kube: 'ci' } });
    expect(h.run(back)).toMatchObject({ kind: 'rollback', rollbackOf: first, cluster: upgraded, commit: 'f'.repeat(40) });
    expect(h.run(revert)).toMatchObject({ kind: 'revert', rollbackOf: back, user: { kube: 'ci' } });
    expect(h.run(revert)?.user).not.toHaveProperty('gitAuthor');
    expect(h.run(first)).not.toHaveProperty('rollbackOf');
  });

  it('records several results in one transaction, in order, each with its snapshots', () => {
    const h = open();
    const runId = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    const ns = { group: '', version: 'v1', kind: 'Namespace', name: 'shop' };
    h.recordObjectResults(runId, [
      { key: ns, action: 'create', outcome: 'healthy' },
      { key: DEPLOY, action: 'update', outcome: 'applied', before: deployment('web', 1), after: deployment('web', 2) },
      { key: DEPLOY, action: 'update', outcome: 'healthy', after: deployment('web', 2) },
    ]);
    h.recordObjectResults(runId, []);
    const objects = h.run(runId)!.objects;
    expect(objects.map((o) => `${o.key.kind} ${o.outcome}`)).toEqual(['Namespace healthy', 'Deployment applied', 'Deployment healthy']);
    expect(objects.map((o) => [o.beforeHash, o.afterHash])).toEqual([
      [undefined, undefined],
      [contentHash(deployment('web', 1)), contentHash(deployment('web', 2))],
      [undefined, contentHash(deployment('web', 2))],
    ]);
    expect(h.snapshot(contentHash(deployment('web', 1)))).toEqual(deployment('web', 1));
  });

  it('records none of a batch for a finished run', () => {
    const h = open();
    const id = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    h.finishRun(id, { status: 'failed' });
    expect(() => h.recordObjectResults(id, [{ key: DEPLOY, action: 'update', outcome: 'applied' }, { key: DEPLOY, action: 'update', outcome: 'healthy' }])).toThrow(/is already failed; cannot record Deployment web and 1 more/);
    expect(h.run(id)!.objects).toEqual([]);
  });

  it.each<[string, (h: History) => unknown, string, RegExp]>([
    ['an apply that names a run to roll back', (h) => h.startRun({ plan: testPlan(), kind: 'apply', rollbackOf: 'run-x', user: admin }), 'history-bad-run', /only for rollback and revert/],
    ['a rollback without the run it rolls back to', (h) => h.startRun({ plan: testPlan(), kind: 'rollback', user: admin }), 'history-bad-run', /must name the run it rolls back to/],
    ['a revert of an unknown run', (h) => h.startRun({ plan: testPlan(), kind: 'revert', rollbackOf: 'run-nope', user: admin }), 'history-unknown-run', /No run run-nope in .*history\.db to revert/],
    ['results for an unknown run', (h) => h.recordObjectResult('run-nope', { key: DEPLOY, action: 'update', outcome: 'applied' }), 'history-unknown-run', /No run run-nope/],
    [
      'results for a finished run',
      (h) => {
        const id = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
        h.finishRun(id, { status: 'failed' });
        h.recordObjectResult(id, { key: DEPLOY, action: 'update', outcome: 'applied' });
      },
      'history-run-finished',
      /is already failed; cannot record Deployment web/,
    ],
    [
      'finishing a run twice',
      (h) => {
        const id = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
        h.finishRun(id, { status: 'succeeded' });
        h.finishRun(id, { status: 'failed' });
      },
      'history-run-finished',
      /is already succeeded; cannot finish it as failed/,
    ],
    ['a page of zero', (h) => h.runsOfApp({ repo: 'r', app: 'a', limit: 0 }), 'history-bad-limit', /from 1 to 1000, got 0/],
    ['a made-up cursor', (h) => h.runsOfApp({ repo: 'r', app: 'a', before: 'bm9wZQ' }), 'history-bad-cursor', /not a cursor of this list/],
    ['use after close', (h) => (h.close(), h.run('x')), 'history-closed', /is closed/],
  ])('refuses %s', (_name, act, code, message) => {
    const h = open();
    expect(() => act(h)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });

  it('writes nothing for a refused run start', () => {
    const h = open();
    expect(() => h.startRun({ plan: testPlan(), kind: 'revert', rollbackOf: 'run-nope', user: admin })).toThrow();
    expect([rawCount('runs'), rawCount('plans')]).toEqual([0, 0]);
  });
});

describe('snapshots', () => {
  it('stores the same content once, whatever its key order', () => {
    const h = open();
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { x: '1', y: '2' } };
    const b = { data: { y: '2', x: '1' }, metadata: { namespace: 'shop', name: 'c' }, kind: 'ConfigMap', apiVersion: 'v1' };
    const id = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    h.recordObjectResult(id, { key: DEPLOY, action: 'update', outcome: 'applied', before: a, after: b });
    expect(h.storeSnapshot(b)).toBe(h.storeSnapshot(a));
    expect(rawCount('snapshots')).toBe(1);
    const run = h.run(id);
    expect(run?.objects[0]?.beforeHash).toBe(run?.objects[0]?.afterHash);
    h.storeSnapshot({ ...a, data: { x: '1', y: '3' } });
    expect(rawCount('snapshots')).toBe(2);
  });

  it('compresses a large object and gives it back whole', () => {
    const h = open();
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key-${i}`, `value number ${i} of a large config map`])) };
    const hash = h.storeSnapshot(big);
    expect(h.snapshot(hash)).toEqual(big);
    const db = new Sqlite(file, { readonly: true });
    const row = db.prepare<[string], { codec: string; raw_size: number; stored: number }>(`SELECT codec, raw_size, length(data) AS stored FROM snapshots WHERE hash = ?`).get(hash);
    db.close();
    expect(row?.codec).toBe('deflate');
    expect(row?.raw_size).toBe(Buffer.byteLength(JSON.stringify(big)));
    expect(row?.stored).toBeLessThan((row?.raw_size ?? 0) / 4);
  });

  it('returns undefined for an unknown hash', () => {
    expect(open().snapshot(contentHash({ nothing: 'here' }))).toBeUndefined();
  });
});

describe('secrets (DESIGN.md rule 7)', () => {
  const plaintext = 'correct-horse-battery-staple';
  const base64 = Buffer.from(plaintext).toString('base64');
  const secret = (extra: Record<string, string> = {}): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db-credentials',
      namespace: 'shop',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data: { password: base64 } }) },
    },
    type: 'Opaque',
    data: { password: base64, ...extra },
    stringData: { token: plaintext },
  });

  function fileHas(path: string, needle: string): boolean {
    return readFileSync(path).includes(Buffer.from(needle, 'utf8'));
  }

  it('never writes a Secret value to the database file or its WAL, in any form', () => {
    const h = open();
    const key: ResourceKey = { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db-credentials' };
    const id = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    h.recordObjectResult(id, { key, action: 'update', outcome: 'applied', before: secret(), after: secret({ extra: Buffer.from(`${plaintext}-2`).toString('base64') }) });
    const hash = h.storeSnapshot(secret());
    h.finishRun(id, { status: 'succeeded' });

    // Snapshots keep the keys and the shape, with every value masked; a secret-only change hashes the same.
    const stored = h.snapshot(hash);
    expect(stored).toMatchObject({ kind: 'Secret', data: { password: MASK }, stringData: { token: MASK } });
    expect(JSON.stringify(stored)).not.toContain(plaintext);
    expect(h.run(id)?.objects[0]?.beforeHash).toBe(hash);

    // The raw bytes, while the file is open (the writes sit in the WAL) and after it is checkpointed on close.
    const wal = `${file}-wal`;
    const needles = [plaintext, base64, Buffer.from(`${plaintext}-2`).toString('base64')];
    expect(existsSync(wal)).toBe(true);
    for (const path of [file, wal]) {
      for (const needle of needles) expect(fileHas(path, needle), `${needle} in ${path}`).toBe(false);
    }
    // The search looks at real data: the object's name is there, in the resources table.
    expect(fileHas(wal, 'db-credentials')).toBe(true);
    // Stored values may be compressed, which hides them from a byte search: read every stored blob back as SQLite holds it.
    const db = new Sqlite(file, { readonly: true });
    const blobs = db.prepare<[], { codec: string; data: Buffer }>(`SELECT codec, data FROM snapshots UNION ALL SELECT codec, body FROM plans`).all();
    db.close();
    const texts = blobs.map((b) => (b.codec === 'deflate' ? inflateSync(b.data) : b.data).toString('utf8'));
    expect(texts.filter((t) => t.includes('"kind":"Secret"') && t.includes(MASK))).toHaveLength(2);
    for (const text of texts) for (const needle of needles) expect(text).not.toContain(needle);

    h.close();
    expect(existsSync(wal) && readFileSync(wal).length > 0).toBe(false);
    expect(fileHas(file, 'db-credentials')).toBe(true);
    for (const needle of needles) expect(fileHas(file, needle)).toBe(false);
  });
});

describe('queries', () => {
  /** Runs of web and api on clusters A and B, alternating; returns ids oldest first. */
  function seed(h: History, n: number): string[] {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const app = i % 2 === 0 ? 'web' : 'api';
      const cluster = i % 3 === 0 ? CLUSTER_B : CLUSTER_A;
      const id = h.startRun({ plan: testPlan({ app, cluster, commit: String(i).padStart(40, '0') }), kind: 'apply', user: { kube: `user-${i}` } });
      h.recordObjectResult(id, { key: { ...DEPLOY, name: 'shared' }, action: 'update', outcome: 'applied', message: `run ${i}` });
      h.finishRun(id, { status: i === n - 1 ? 'failed' : 'succeeded' });
      ids.push(id);
    }
    return ids;
  }

  function all<T>(fetch: (before: string | undefined) => Page<T>): { items: T[]; pages: number[] } {
    const items: T[] = [];
    const pages: number[] = [];
    let before: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const p = fetch(before);
      items.push(...p.items);
      pages.push(p.items.length);
      if (p.next === undefined) return { items, pages };
      before = p.next;
    }
    throw new Error('pagination never ended');
  }

  const N = 14; // web: 0 2 4 … 12 (7 runs); on B: 0 3 6 9 12 (5 runs)
  const byIndex = (ids: string[], pick: (i: number) => boolean): string[] => ids.filter((_, i) => pick(i)).reverse();

  it.each<[string, (h: History, before: string | undefined) => Page<RunRecord>, (i: number) => boolean, number[]]>([
    ['runsOfApp', (h, before) => h.runsOfApp({ repo: '/repos/gitops', app: 'web', limit: 3, ...(before && { before }) }), (i) => i % 2 === 0, [3, 3, 1]],
    ['runsOfContext by context', (h, before) => h.runsOfContext({ context: CLUSTER_B.context, limit: 2, ...(before && { before }) }), (i) => i % 3 === 0, [2, 2, 1]],
    ['runsOfContext by cluster uid', (h, before) => h.runsOfContext({ clusterUid: CLUSTER_A.uid, limit: 5, ...(before && { before }) }), (i) => i % 3 !== 0, [5, 4]],
    ['runsOfContext, one exact page', (h, before) => h.runsOfContext({ clusterUid: CLUSTER_A.uid, limit: 9, ...(before && { before }) }), (i) => i % 3 !== 0, [9]],
  ])('%s pages newest first with cursors, without gaps or repeats', (_name, fetch, pick, pages) => {
    const h = open();
    const ids = seed(h, N);
    const got = all((before) => fetch(h, before));
    expect(got.items.map((r) => r.id)).toEqual(byIndex(ids, pick));
    expect(got.pages).toEqual(pages);
  });

  it('pages stay stable while new runs arrive', () => {
    const h = open();
    const ids = seed(h, 6);
    const first = h.runsOfContext({ context: CLUSTER_A.context, limit: 2 });
    seed(h, 3);
    const second = h.runsOfContext({ context: CLUSTER_A.context, limit: 2, ...(first.next && { before: first.next }) });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual(byIndex(ids, (i) => i % 3 !== 0));
  });

  it('gives an empty page for an unknown app or context', () => {
    const h = open();
    seed(h, 3);
    expect(h.runsOfApp({ repo: '/repos/gitops', app: 'nope' })).toEqual({ items: [] });
    expect(h.runsOfApp({ repo: '/elsewhere', app: 'web' })).toEqual({ items: [] });
    expect(h.runsOfContext({ context: 'nope' })).toEqual({ items: [] });
  });

  it('refuses a cursor from another list', () => {
    const h = open();
    seed(h, 4);
    const results = h.historyOfResource({ key: { ...DEPLOY, name: 'shared' }, limit: 1 });
    expect(results.next).toBeDefined();
    expect(() => h.runsOfApp({ repo: '/repos/gitops', app: 'web', ...(results.next && { before: results.next }) })).toThrow(expect.objectContaining({ code: 'history-bad-cursor' }));
  });

  it("tells an object's history newest first: who, when, which commit, what happened — across API versions and apps", () => {
    const h = open();
    const key = (version: string): ResourceKey => ({ group: 'autoscaling', version, kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' });
    const steps = [
      { app: 'web', version: 'v1', cluster: CLUSTER_A, user: { kube: 'alice' }, action: 'create', outcome: 'applied' },
      { app: 'web', version: 'v2', cluster: CLUSTER_B, user: { kube: 'bob' }, action: 'create', outcome: 'applied' },
      { app: 'other', version: 'v2', cluster: CLUSTER_A, user: { kube: 'carol', gitAuthor: 'Carol <c@example.com>' }, action: 'update', outcome: 'failed' },
      { app: 'web', version: 'v2', cluster: CLUSTER_A, user: { kube: 'alice' }, action: 'delete', outcome: 'deleted' },
    ] as const;
    const runs = steps.map((s, i) => {
      const id = h.startRun({ plan: testPlan({ app: s.app, cluster: s.cluster, commit: `${i}`.repeat(40) }), kind: 'apply', user: s.user });
      h.recordObjectResult(id, { key: { ...DEPLOY, name: 'unrelated' }, action: 'noop', outcome: 'unchanged' });
      h.recordObjectResult(id, { key: key(s.version), action: s.action, outcome: s.outcome });
      return id;
    });
    // A result recorded later for an earlier run is newer history.
    h.recordObjectResult(runs[1] ?? '', { key: key('v2'), action: 'create', outcome: 'healthy' });

    const page = h.historyOfResource({ key: key('v2beta2') });
    expect(page.next).toBeUndefined();
    expect(page.items.map((e) => [e.run.id, e.run.user.kube, e.run.commit.slice(0, 1), e.run.app.name, e.result.action, e.result.outcome, e.result.key.version])).toEqual([
      [runs[1], 'bob', '1', 'web', 'create', 'healthy', 'v2'],
      [runs[3], 'alice', '3', 'web', 'delete', 'deleted', 'v2'],
      [runs[2], 'carol', '2', 'other', 'update', 'failed', 'v2'],
      [runs[1], 'bob', '1', 'web', 'create', 'applied', 'v2'],
      [runs[0], 'alice', '0', 'web', 'create', 'applied', 'v1'],
    ]);
    expect(page.items[2]?.run).toMatchObject({ status: 'running', cluster: CLUSTER_A, user: { gitAuthor: 'Carol <c@example.com>' }, repo: '/repos/gitops' });

    const onB = h.historyOfResource({ key: key('v1'), clusterUid: CLUSTER_B.uid });
    expect(onB.items.map((e) => [e.run.id, e.result.outcome])).toEqual([
      [runs[1], 'healthy'],
      [runs[1], 'applied'],
    ]);
    const paged = all((before) => h.historyOfResource({ key: key('v1'), limit: 2, ...(before && { before }) }));
    expect(paged.pages).toEqual([2, 2, 1]);
    expect(paged.items).toEqual(page.items);
    expect(h.historyOfResource({ key: { ...key('v1'), namespace: 'other' } })).toEqual({ items: [] });
  });

  it('keeps cluster-scoped and namespaced objects of the same name apart', () => {
    const h = open();
    const id = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    const clusterScoped: ResourceKey = { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', name: 'web' };
    h.recordObjectResult(id, { key: clusterScoped, action: 'create', outcome: 'applied' });
    h.recordObjectResult(id, { key: { ...clusterScoped, namespace: 'shop' }, action: 'create', outcome: 'failed' });
    expect(h.historyOfResource({ key: clusterScoped }).items.map((e) => [e.result.key, e.result.outcome])).toEqual([[clusterScoped, 'applied']]);
  });

  it('finds the last succeeded run of an app on a cluster', () => {
    const h = open();
    const run = (app: string, cluster = CLUSTER_A, status: 'succeeded' | 'failed' | 'running' = 'succeeded'): string => {
      const id = h.startRun({ plan: testPlan({ app, cluster, commit: `${app}-${status}`.padEnd(40, '0') }), kind: 'apply', user: admin });
      if (status !== 'running') h.finishRun(id, { status });
      return id;
    };
    expect(h.lastSucceededRun({ repo: '/repos/gitops', app: 'web', clusterUid: CLUSTER_A.uid })).toBeUndefined();
    const good = run('web');
    run('web', CLUSTER_B);
    run('api');
    run('web', CLUSTER_A, 'failed');
    run('web', CLUSTER_A, 'running');
    expect(h.lastSucceededRun({ repo: '/repos/gitops', app: 'web', clusterUid: CLUSTER_A.uid })?.id).toBe(good);
    const back = h.startRun({ plan: testPlan({ commit: 'b'.repeat(40) }), kind: 'rollback', rollbackOf: good, user: admin });
    h.finishRun(back, { status: 'succeeded' });
    expect(h.lastSucceededRun({ repo: '/repos/gitops', app: 'web', clusterUid: CLUSTER_A.uid })).toMatchObject({ id: back, kind: 'rollback', commit: 'b'.repeat(40) });
  });

  it('remembers per object what the last succeeded runs applied, never what a failed run did', () => {
    const h = open();
    const CM: ResourceKey = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg' };
    const query = { repo: '/repos/gitops', app: 'web', clusterUid: CLUSTER_A.uid, clusterVersion: CLUSTER_A.version };
    let n = 0;
    const run = (status: 'succeeded' | 'failed', results: { key: ResourceKey; outcome: 'healthy' | 'deleted' | 'timeout'; hash?: string; rv?: string }[]): void => {
      const id = h.startRun({ plan: testPlan({ commit: `${++n}`.padEnd(40, '0') }), kind: 'apply', user: admin });
      for (const r of results) h.recordObjectResult(id, { key: r.key, action: 'update', outcome: r.outcome, ...(r.hash && r.rv && { desiredHash: r.hash, resultResourceVersion: r.rv }) });
      h.finishRun(id, { status });
    };
    expect(h.appliedObjects(query).size).toBe(0);
    run('succeeded', [
      { key: DEPLOY, outcome: 'healthy', hash: 'sha256:d1', rv: '10' },
      { key: CM, outcome: 'healthy', hash: 'sha256:c1', rv: '11' },
    ]);
    const ids = { deploy: 'apps|Deployment|shop|web', cm: '|ConfigMap|shop|cfg' };
    expect(Object.fromEntries(h.appliedObjects(query))).toEqual({ [ids.deploy]: { desiredHash: 'sha256:d1', resourceVersion: '10' }, [ids.cm]: { desiredHash: 'sha256:c1', resourceVersion: '11' } });
    // A failed run's results are recorded but never become the last applied state.
    run('failed', [{ key: DEPLOY, outcome: 'timeout', hash: 'sha256:d2', rv: '20' }]);
    expect(h.run(h.runsOfApp({ repo: '/repos/gitops', app: 'web' }).items[0]!.id)?.objects[0]).toMatchObject({ desiredHash: 'sha256:d2', resultResourceVersion: '20' });
    expect(h.appliedObjects(query).get(ids.deploy)).toEqual({ desiredHash: 'sha256:d1', resourceVersion: '10' });
    // A later succeeded run updates what it applied and forgets what it deleted; the rest stays.
    run('succeeded', [
      { key: DEPLOY, outcome: 'healthy', hash: 'sha256:d3', rv: '30' },
      { key: CM, outcome: 'deleted' },
    ]);
    expect(Object.fromEntries(h.appliedObjects(query))).toEqual({ [ids.deploy]: { desiredHash: 'sha256:d3', resourceVersion: '30' } });
    // Another cluster, or the same cluster after an upgrade, knows nothing.
    expect(h.appliedObjects({ ...query, clusterUid: CLUSTER_B.uid }).size).toBe(0);
    expect(h.appliedObjects({ ...query, clusterVersion: 'v1.36.0' }).size).toBe(0);
  });

  it('gives each applied object with the object its last succeeded run left (what drift compares with), on any server version', () => {
    const h = open();
    const SECRET: ResourceKey = { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' };
    const query = { repo: '/repos/gitops', app: 'web', clusterUid: CLUSTER_A.uid };
    const live = (key: ResourceKey, rv: string, extra: object = {}): object => ({ apiVersion: key.group ? `${key.group}/${key.version}` : key.version, kind: key.kind, metadata: { name: key.name, namespace: key.namespace, resourceVersion: rv }, ...extra });
    expect(h.appliedState(query)).toEqual([]);
    const first = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    h.recordObjectResult(first, { key: DEPLOY, action: 'update', outcome: 'healthy', desiredHash: 'sha256:d1', resultResourceVersion: '10', after: live(DEPLOY, '10') });
    h.recordObjectResult(first, { key: SECRET, action: 'create', outcome: 'healthy', desiredHash: 'sha256:s1', resultResourceVersion: '11', after: live(SECRET, '11', { data: { password: 'c2VjcmV0' } }) });
    h.finishRun(first, { status: 'succeeded' });
    // A failed run later changes nothing of it.
    const failed = h.startRun({ plan: testPlan({ commit: 'c'.repeat(40) }), kind: 'apply', user: admin });
    h.recordObjectResult(failed, { key: DEPLOY, action: 'update', outcome: 'timeout', desiredHash: 'sha256:d2', resultResourceVersion: '20', after: live(DEPLOY, '20') });
    h.finishRun(failed, { status: 'failed' });
    const state = h.appliedState(query);
    expect(state.map(({ key, runId, resourceVersion, desiredHash }) => ({ key, runId, resourceVersion, desiredHash }))).toEqual([
      { key: SECRET, runId: first, resourceVersion: '11', desiredHash: 'sha256:s1' },
      { key: DEPLOY, runId: first, resourceVersion: '10', desiredHash: 'sha256:d1' },
    ]);
    expect(state[1]?.object).toEqual(live(DEPLOY, '10'));
    // Secret values stay masked, as every snapshot is.
    expect(state[0]?.object).toMatchObject({ data: { password: MASK } });
    expect(h.appliedState({ ...query, clusterUid: CLUSTER_B.uid })).toEqual([]);
  });

  it('records a hook with the phase it ran in, and never counts it as applied state of the app', () => {
    const h = open();
    const JOB: ResourceKey = { group: 'batch', version: 'v1', kind: 'Job', namespace: 'shop', name: 'web' };
    const query = { repo: '/repos/gitops', app: 'web', clusterUid: CLUSTER_A.uid, clusterVersion: CLUSTER_A.version };
    const id = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    h.recordObjectResult(id, { key: DEPLOY, action: 'update', outcome: 'healthy', desiredHash: 'sha256:d1', resultResourceVersion: '10' });
    // A hook sharing an object's identity must not replace (or, deleted by its policy, forget) the object's applied state.
    h.recordObjectResult(id, { key: { ...JOB, kind: 'Deployment', group: 'apps' }, action: 'create', outcome: 'deleted', hook: 'PreSync' });
    h.recordObjectResult(id, { key: JOB, action: 'create', outcome: 'healthy', hook: 'PostSync', desiredHash: 'sha256:j', resultResourceVersion: '12', message: 'deleted (HookSucceeded)' });
    h.finishRun(id, { status: 'succeeded' });
    expect(h.run(id)?.objects.map((o) => o.hook)).toEqual([undefined, 'PreSync', 'PostSync']);
    expect([...h.appliedObjects(query).keys()]).toEqual(['apps|Deployment|shop|web']);
  });

  it('answers the run queries from indexes, not table scans', () => {
    open();
    const db = new Sqlite(file, { readonly: true });
    const plan = (sql: string, ...params: unknown[]): string =>
      db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((r) => r.detail)
        .join('\n');
    const queries: [string, RegExp][] = [
      [`SELECT id FROM runs WHERE app_id = 1 AND seq < 9 ORDER BY seq DESC LIMIT 5`, /SEARCH runs USING (COVERING )?INDEX runs_by_app/],
      [`SELECT id FROM runs WHERE context = 'x' AND seq < 9 ORDER BY seq DESC LIMIT 5`, /SEARCH runs USING (COVERING )?INDEX runs_by_context/],
      [`SELECT id FROM runs WHERE cluster_uid = 'x' AND seq < 9 ORDER BY seq DESC LIMIT 5`, /SEARCH runs USING (COVERING )?INDEX runs_by_cluster/],
      [`SELECT id FROM runs WHERE app_id = 1 AND cluster_uid = 'x' AND status IN ('succeeded', 'progressing') ORDER BY seq DESC LIMIT 1`, /INDEX runs_applied/],
      [`SELECT id FROM runs WHERE status = 'running'`, /INDEX runs_running/],
      [`SELECT id FROM run_objects WHERE resource_id = 1 AND id < 9 ORDER BY id DESC LIMIT 5`, /SEARCH run_objects USING (COVERING )?INDEX run_objects_by_resource/],
      [`SELECT id FROM run_objects WHERE run_seq = 1 ORDER BY id`, /SEARCH run_objects USING (COVERING )?INDEX run_objects_by_run/],
    ];
    for (const [sql, uses] of queries) {
      const detail = plan(sql);
      expect(detail, sql).toMatch(uses);
      expect(detail, sql).not.toMatch(/USE TEMP B-TREE/);
    }
    db.close();
  });
});

describe('interruption and concurrency within one process', () => {
  it('leaves a live run of another instance alone, and marks runs interrupted when their instance closes', () => {
    const clock = manualClock();
    const a = open({ now: clock.now });
    const runId = a.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    const b = open();
    clock.tick();
    clock.tick();
    expect(b.markInterrupted()).toEqual([]);
    expect(b.run(runId)?.status).toBe('running');
    a.close();
    const run = b.run(runId);
    expect(run?.status).toBe('interrupted');
    expect(run?.finishedAt).toBe('2026-04-01T00:00:02.000Z');
    expect(run?.error).toMatch(/^Interrupted: the history was closed before the run finished \(noticed 2026-04-01T00:00:02.000Z\)$/);
    expect(open().run(runId)?.status).toBe('interrupted');
  });

  it('lets the owner carry on with a run that another process wrongly took for dead', () => {
    const a = open();
    const runId = a.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    const db = new Sqlite(file);
    db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = 'x', error = 'Interrupted: guessed' WHERE id = ?`).run(runId);
    db.close();
    a.recordObjectResult(runId, { key: DEPLOY, action: 'update', outcome: 'applied' });
    expect(a.run(runId)).toMatchObject({ status: 'running', objects: [{ outcome: 'applied' }] });
    expect(a.run(runId)).not.toHaveProperty('error');
    a.finishRun(runId, { status: 'succeeded' });
    expect(a.run(runId)?.status).toBe('succeeded');
    // Another instance may not: the run is not its own.
    const b = open();
    const other = a.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    a.close();
    expect(() => b.finishRun(other, { status: 'succeeded' })).toThrow(expect.objectContaining({ code: 'history-run-finished' }));
  });

  it('marks a run of an earlier process that had this same pid as interrupted', () => {
    const a = open();
    const runId = a.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    // Forget that this process started it, as if the process had restarted with the same pid (containers do).
    const registry = (globalThis as Record<symbol, Set<string> | undefined>)[Symbol.for('slipway.history.liveRuns')];
    expect(registry?.delete(runId)).toBe(true);
    expect(open().run(runId)).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/an earlier process with this pid \(\d+\) ended/) });
  });

  it('makes a writer wait for another write up to the busy timeout, then names the file; reads go on meanwhile', () => {
    const h = open({ busyTimeoutMs: 300 });
    const done = h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
    const blocker = new Sqlite(file);
    blocker.exec('BEGIN IMMEDIATE');
    let error: unknown;
    let waited: number | undefined;
    try {
      const started = performance.now();
      try {
        h.startRun({ plan: testPlan(), kind: 'apply', user: admin });
      } catch (e) {
        error = e;
      }
      waited = performance.now() - started;
      expect(h.run(done)?.status).toBe('running'); // WAL: readers never wait for the writer
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect(waited ?? 0).toBeGreaterThanOrEqual(250);
    expect(error).toMatchObject({ code: 'history-io', message: expect.stringContaining(`Cannot write to the history database ${file}: database is locked (SQLITE_BUSY)`), hint: expect.stringMatching(/try again/) });
    expect(h.run(h.startRun({ plan: testPlan(), kind: 'apply', user: admin }))?.status).toBe('running');
  });

  it('interleaves the writes of two instances on one file', () => {
    const a = open();
    const b = open();
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const [writer, app] = i % 2 === 0 ? [a, 'web'] : [b, 'api'];
      const id = writer.startRun({ plan: testPlan({ app, commit: String(i).padStart(40, '0') }), kind: 'apply', user: { kube: app } });
      (i % 2 === 0 ? b : a).storeSnapshot({ kind: 'ConfigMap', data: { i: String(i) } });
      writer.recordObjectResult(id, { key: { ...DEPLOY, name: 'shared' }, action: 'update', outcome: 'applied', after: deployment('shared', i) });
      ids.push(id);
    }
    ids.forEach((id, i) => (i % 3 === 0 ? a : b).finishRun(id, { status: 'succeeded' }));
    for (const h of [a, b]) {
      expect(h.runsOfContext({ context: CLUSTER_A.context }).items.map((r) => r.id)).toEqual([...ids].reverse());
      expect(h.runsOfApp({ repo: '/repos/gitops', app: 'api' }).items.map((r) => r.user.kube)).toEqual(Array(5).fill('api'));
      expect(h.historyOfResource({ key: { ...DEPLOY, name: 'shared' } }).items.map((e) => e.run.id)).toEqual([...ids].reverse());
    }
    expect(new Set(ids).size).toBe(10);
    expect(rawCount('snapshots')).toBe(20);
  });
});
