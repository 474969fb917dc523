/**
 * Drift streams through a fake app watch: the first report is the start's answer, each change
 * after it a `drift` event (valid against the contract, at most one per interval), stop ends the
 * stream with `drift-ended`; an app never applied is a `not-applied` report, not an error; an
 * apply of the app holds its streams (`applying`, watch closed) and starts them again from what it
 * left; a stream that cannot start again ends `failed`; a second start of an id is refused and one
 * too many stops the oldest.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { NothingAppliedError, type AppWatch, type AppWatchRequest, type DriftReport, type DriftStatus } from '../engine/app-watch.js';
import { SlipwayError } from '../model/diagnostics.js';
import { DRIFT_STATUSES, engineEventSchema, type DriftEngineEvent, type EngineEvent } from './contract.js';
import { DriftStreams, type DriftStreamRequest } from './drift-streams.js';

const DEPLOYMENT = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const APPLIED = { runId: 'run-0001', at: '2026-01-01T12:00:00Z' };

const inSync: DriftReport = {
  objects: [{ key: DEPLOYMENT, status: 'in-sync', paths: [], applied: APPLIED, since: '2026-01-01T12:00:01Z' }],
  drifted: 0,
  pending: 0,
  watches: [{ key: 'apps/v1/deployments@shop', group: 'apps', kind: 'Deployment', namespace: 'shop', state: { phase: 'synced', since: '2026-01-01T12:00:01Z' } }],
};
const scaled: DriftReport = {
  ...inSync,
  objects: [{ key: DEPLOYMENT, status: 'drifted', paths: ['spec.replicas'], applied: APPLIED, since: '2026-01-01T12:01:00Z' }],
  drifted: 1,
};
const reconnecting: DriftReport = { ...scaled, watches: [{ ...inSync.watches[0]!, state: { phase: 'reconnecting', reason: 'connect ECONNREFUSED 127.0.0.1:6443', attempt: 2 } }] };

interface FakeWatch {
  readonly req: AppWatchRequest;
  report: DriftReport;
  closed: boolean;
  /** Sets the report and tells the listener, as watchApp does after a change. */
  change(report: DriftReport): void;
}

/** A start that records each app watch; `outcome` decides what the next start does. */
function fakeStart() {
  const watches: FakeWatch[] = [];
  let outcome: 'watch' | 'nothing-applied' | 'broken' = 'watch';
  const start = async (req: AppWatchRequest): Promise<AppWatch> => {
    await Promise.resolve();
    if (outcome === 'nothing-applied') throw new NothingAppliedError({ name: 'web', path: 'apps/web' }, req.context, 'https://127.0.0.1:6443');
    if (outcome === 'broken') throw new SlipwayError('app-not-found', 'no app web at HEAD');
    const fake: FakeWatch = {
      req,
      report: inSync,
      closed: false,
      change(report) {
        fake.report = report;
        req.listener?.onDrift?.(report.objects[0]!);
      },
    };
    watches.push(fake);
    return {
      app: { name: 'web', path: 'apps/web' },
      context: req.context,
      server: 'https://127.0.0.1:6443',
      clusterUid: 'uid-1',
      objects: [],
      hub: {} as AppWatch['hub'],
      report: () => fake.report,
      close: async () => {
        fake.closed = true;
      },
    };
  };
  return { start, watches, next: (o: typeof outcome) => (outcome = o) };
}

const request = (context = 'dev'): DriftStreamRequest => ({ repo: { dir: '/src/shop' } as DriftStreamRequest['repo'], repoLabel: '/src/shop', selection: { app: 'web' }, kubeconfig: {} as DriftStreamRequest['kubeconfig'], context, cacheDir: '/tmp', history: { appliedState: () => [] } });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function streams(opts: { intervalMs?: number; maxStreams?: number } = {}) {
  const events: EngineEvent[] = [];
  const fake = fakeStart();
  const drift = new DriftStreams((e) => events.push(engineEventSchema.parse(e)), { start: fake.start, intervalMs: opts.intervalMs ?? 20, ...(opts.maxStreams !== undefined && { maxStreams: opts.maxStreams }) });
  const of = (streamId: string): DriftEngineEvent[] => events.filter((e): e is DriftEngineEvent => (e.type === 'drift' || e.type === 'drift-ended') && e.streamId === streamId);
  return { events, fake, drift, of };
}

describe('DriftStreams', () => {
  it('names every drift status in the contract', () => {
    expectTypeOf<(typeof DRIFT_STATUSES)[number]>().toEqualTypeOf<DriftStatus>();
    expect([...DRIFT_STATUSES]).toEqual(['in-sync', 'drifted', 'deleted', 'unknown']);
  });

  it('answers the first report, publishes the report after a change, and ends when stopped', async () => {
    const { drift, fake, of } = streams();
    const started = await drift.start('d1', request());
    expect(started).toEqual({
      streamId: 'd1',
      report: {
        app: { name: 'web', path: 'apps/web' },
        context: 'dev',
        server: 'https://127.0.0.1:6443',
        state: 'watching',
        objects: [{ key: DEPLOYMENT, status: 'in-sync', paths: [], applied: APPLIED, since: '2026-01-01T12:00:01Z' }],
        drifted: 0,
        pending: 0,
        watches: [{ key: 'apps/v1/deployments@shop', group: 'apps', kind: 'Deployment', namespace: 'shop', phase: 'synced' }],
      },
    });
    fake.watches[0]!.change(scaled);
    await sleep(40);
    expect(of('d1')).toEqual([{ type: 'drift', streamId: 'd1', report: expect.objectContaining({ state: 'watching', drifted: 1, objects: [expect.objectContaining({ status: 'drifted', paths: ['spec.replicas'] })] }) }]);
    fake.watches[0]!.change(reconnecting);
    await sleep(40);
    expect(of('d1').at(-1)).toMatchObject({ report: { watches: [{ phase: 'reconnecting', reason: 'connect ECONNREFUSED 127.0.0.1:6443' }] } });
    expect(drift.stop('d1')).toBe(true);
    await sleep(0);
    expect(fake.watches[0]!.closed).toBe(true);
    expect(of('d1').at(-1)).toEqual({ type: 'drift-ended', streamId: 'd1', reason: 'stopped' });
    expect(drift.stop('d1')).toBe(false);
  });

  it('publishes at most one report per interval, the last state included', async () => {
    const { drift, fake, of } = streams({ intervalMs: 100 });
    await drift.start('d1', request());
    const watch = fake.watches[0]!;
    for (let i = 0; i < 10; i++) watch.change(i % 2 === 0 ? scaled : inSync);
    await sleep(20);
    watch.change(scaled);
    await sleep(20);
    expect(of('d1')).toHaveLength(1);
    watch.change(reconnecting);
    await sleep(150);
    expect(of('d1')).toHaveLength(2);
    expect(of('d1').at(-1)).toMatchObject({ report: { drifted: 1, watches: [{ phase: 'reconnecting' }] } });
    await drift.close();
  });

  it('says an app never applied to the context is not applied, without an error', async () => {
    const { drift, fake } = streams();
    fake.next('nothing-applied');
    const started = await drift.start('d1', request('kind-dev'));
    expect(started.report).toEqual({
      app: { name: 'web', path: 'apps/web' },
      context: 'kind-dev',
      server: 'https://127.0.0.1:6443',
      state: 'not-applied',
      message: expect.stringContaining('the history has no apply of web to the cluster of context kind-dev'),
      objects: [],
      drifted: 0,
      pending: 0,
      watches: [],
    });
    expect(drift.size).toBe(1);
    await drift.close();
  });

  it('holds the streams of an app while an apply of it runs, and compares with what it left afterwards', async () => {
    const { drift, fake, of } = streams();
    await drift.start('same', request('dev'));
    await drift.start('other-context', request('prod'));
    const release = drift.hold({ repo: '/src/shop', app: 'web', context: 'dev' });
    await sleep(0);
    expect(fake.watches[0]!.closed).toBe(true);
    expect(fake.watches[1]!.closed).toBe(false);
    expect(of('same').at(-1)).toMatchObject({ type: 'drift', report: { state: 'applying', objects: [], drifted: 0 } });
    // The apply's writes are not drift: the held stream has no watch to report them.
    fake.watches[0]!.change(scaled);
    await sleep(40);
    expect(of('same').at(-1)).toMatchObject({ report: { state: 'applying' } });
    // A stream started during the apply waits too.
    const during = await drift.start('during', request('dev'));
    expect(during.report.state).toBe('applying');
    release();
    await sleep(20);
    expect(fake.watches.filter((w) => w.req.context === 'dev' && !w.closed)).toHaveLength(2);
    expect(of('same').at(-1)).toMatchObject({ type: 'drift', report: { state: 'watching', drifted: 0 } });
    expect(of('during').at(-1)).toMatchObject({ type: 'drift', report: { state: 'watching' } });
    expect(of('other-context')).toEqual([]);
    await drift.close();
  });

  it('starts watching an app that was not applied once its first apply ends', async () => {
    const { drift, fake, of } = streams();
    fake.next('nothing-applied');
    expect((await drift.start('d1', request())).report.state).toBe('not-applied');
    const release = drift.hold({ repo: '/src/shop', app: 'web', context: 'dev' });
    expect(of('d1').at(-1)).toMatchObject({ report: { state: 'applying' } });
    fake.next('watch');
    release();
    await sleep(20);
    expect(of('d1').at(-1)).toMatchObject({ report: { state: 'watching', objects: [{ status: 'in-sync' }] } });
    await drift.close();
  });

  it('ends a stream that cannot start again after an apply, saying why', async () => {
    const { drift, fake, of } = streams();
    await drift.start('d1', request());
    const release = drift.hold({ repo: '/src/shop', app: 'web', context: 'dev' });
    fake.next('broken');
    release();
    await sleep(20);
    expect(of('d1').at(-1)).toEqual({ type: 'drift-ended', streamId: 'd1', reason: 'failed', error: { code: 'app-not-found', message: 'no app web at HEAD' } });
    expect(drift.size).toBe(0);
  });

  it('refuses a second start of a running id, and one too many stops the oldest', async () => {
    const { drift, fake, of } = streams({ maxStreams: 2 });
    await drift.start('a', request());
    await expect(drift.start('a', request())).rejects.toMatchObject({ code: 'drift-stream-exists' });
    await drift.start('b', request());
    await drift.start('c', request());
    await sleep(0);
    expect(of('a')).toEqual([{ type: 'drift-ended', streamId: 'a', reason: 'stopped' }]);
    expect(fake.watches[0]!.closed).toBe(true);
    expect(drift.size).toBe(2);
    await drift.close();
    expect(fake.watches.every((w) => w.closed)).toBe(true);
  });

  it('closes the watch of a stream stopped while it starts, and answers what it found', async () => {
    const { drift, fake, of } = streams();
    const starting = drift.start('d1', request());
    expect(drift.stop('d1')).toBe(true);
    const started = await starting;
    expect(started.report.state).toBe('watching');
    expect(fake.watches[0]!.closed).toBe(true);
    expect(of('d1')).toEqual([{ type: 'drift-ended', streamId: 'd1', reason: 'stopped' }]);
  });

  it('a start that fails is an error and leaves nothing running', async () => {
    const { drift, fake } = streams();
    fake.next('broken');
    await expect(drift.start('d1', request())).rejects.toMatchObject({ code: 'app-not-found' });
    expect(drift.size).toBe(0);
  });
});
