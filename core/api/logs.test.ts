/**
 * Log streams of the engine (startLogs, stopLogs, log-lines and log-ended events) against a fake
 * cluster: lines go out in paced batches whatever the log's rate, every stream ends with one
 * log-ended, a start that cannot read anything publishes nothing, and the requests are validated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import type { KubePodLogPort } from '../kube/pod-logs.js';
import type { KubeObject } from '../kube/types.js';
import { engineEventSchema, type EngineEvent, type LogEngineEvent } from './contract.js';
import { dispatch } from './dispatch.js';
import { createHandlers } from './handlers.js';
import { LogStreams, type LogStreamsOptions } from './logs.js';

const POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', uid: 'u1' },
  spec: { nodeName: 'n', containers: [{ name: 'app' }, { name: 'proxy' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }, { name: 'proxy', state: { running: {} } }] },
};

/** A cluster whose Pod web-1 exists; each log request gets a source the test writes to. */
function fakeCluster() {
  const sources: PassThrough[] = [];
  let pod: KubeObject | null = POD;
  const port = (): KubePodLogPort => ({
    context: 'ctx',
    server: 'https://127.0.0.1:6443',
    readPod: async (_ns, name) => (name === 'web-1' ? pod : null),
    streamLog: async (_ns, _pod, _container, sink: Writable, _options, signal) => {
      const source = new PassThrough();
      sources.push(source);
      source.pipe(sink);
      signal.addEventListener('abort', () => source.destroy(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    },
    close: async () => {},
  });
  return { port, sources, deletePod: () => (pod = null) };
}

function streams(opts: LogStreamsOptions = {}) {
  const events: EngineEvent[] = [];
  const cluster = fakeCluster();
  const logs = new LogStreams((e) => events.push(engineEventSchema.parse(e)), { port: cluster.port, podCheckMs: 10, ...opts });
  return { logs, events, cluster };
}

const kubeconfig = {} as LoadedKubeconfig;
const start = (logs: LogStreams, streamId: string, log: Partial<{ pod: string; container: string; follow: boolean }> = {}) => logs.start({ streamId, kubeconfig, context: 'ctx', log: { namespace: 'shop', pod: 'web-1', ...log } });
const ofStream = (events: readonly EngineEvent[], id: string): LogEngineEvent[] => events.filter((e): e is LogEngineEvent => e.type.startsWith('log-') && (e as LogEngineEvent).streamId === id);
const until = async (what: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('LogStreams', () => {
  it('answers with the container read and the Pod’s containers, then publishes the lines and one end', async () => {
    const { logs, events, cluster } = streams();
    expect(await start(logs, 's1')).toEqual({ streamId: 's1', container: 'app', containers: ['app', 'proxy'], initContainers: [], defaulted: true });
    cluster.sources[0]!.end('hello\nworld\n');
    await until(() => events.some((e) => e.type === 'log-ended'));
    expect(ofStream(events, 's1')).toEqual([
      { type: 'log-lines', streamId: 's1', lines: ['hello', 'world'], dropped: 0 },
      { type: 'log-ended', streamId: 's1', reason: 'complete' },
    ]);
    expect(logs.size).toBe(0);
  });

  it('a log written at 2,000 lines/s goes out as about ten events a second, every line in order', async () => {
    const { logs, events, cluster } = streams({ intervalMs: 100 });
    await start(logs, 'fast', { follow: true });
    const source = cluster.sources[0]!;
    const startedAt = Date.now();
    let written = 0;
    // 20 lines every 10 ms for one second.
    while (Date.now() - startedAt < 1000) {
      for (let i = 0; i < 20; i++) source.write(`line ${written++}\n`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await until(() => ofStream(events, 'fast').flatMap((e) => (e.type === 'log-lines' ? e.lines : [])).length === written);
    const batches = ofStream(events, 'fast').filter((e) => e.type === 'log-lines');
    const seconds = (Date.now() - startedAt) / 1000;
    expect(batches.length / seconds).toBeLessThanOrEqual(12);
    expect(batches.flatMap((e) => (e.type === 'log-lines' ? e.lines : []))).toEqual(Array.from({ length: written }, (_, i) => `line ${i}`));
    expect(logs.stop('fast')).toBe(true);
    await until(() => events.some((e) => e.type === 'log-ended'));
    expect(ofStream(events, 'fast').at(-1)).toEqual({ type: 'log-ended', streamId: 'fast', reason: 'stopped' });
  });

  it('a full buffer drops the oldest lines and the next event says how many', async () => {
    const { logs, events, cluster } = streams({ buffer: { maxLines: 100 }, intervalMs: 50 });
    await start(logs, 'flood');
    cluster.sources[0]!.end(`${Array.from({ length: 10_000 }, (_, i) => `l${i}`).join('\n')}\n`);
    await until(() => events.some((e) => e.type === 'log-ended'));
    const lines = ofStream(events, 'flood').flatMap((e) => (e.type === 'log-lines' ? e.lines : []));
    const dropped = ofStream(events, 'flood').reduce((n, e) => n + (e.type === 'log-lines' ? e.dropped : 0), 0);
    expect(lines.length + dropped).toBe(10_000);
    expect(lines.at(-1)).toBe('l9999');
    expect(dropped).toBeGreaterThan(0);
  });

  it('a followed Pod that is deleted ends its stream with pod-deleted', async () => {
    const { logs, events, cluster } = streams();
    await start(logs, 'gone', { follow: true });
    cluster.deletePod();
    await until(() => events.some((e) => e.type === 'log-ended'));
    expect(ofStream(events, 'gone')).toEqual([{ type: 'log-ended', streamId: 'gone', reason: 'pod-deleted' }]);
  });

  it('a start with nothing to read rejects and publishes nothing', async () => {
    const { logs, events } = streams();
    await expect(start(logs, 'x', { pod: 'web-2' })).rejects.toMatchObject({ code: 'pod-not-found' });
    await expect(start(logs, 'y', { container: 'db' })).rejects.toMatchObject({ code: 'unknown-container' });
    expect(events).toEqual([]);
    expect(logs.size).toBe(0);
  });

  it('refuses a stream id that is running, and stops the oldest of too many', async () => {
    const { logs, events } = streams({ maxStreams: 2 });
    await start(logs, 'a', { follow: true });
    await expect(start(logs, 'a', { follow: true })).rejects.toMatchObject({ code: 'log-stream-exists' });
    await start(logs, 'b', { follow: true });
    await start(logs, 'c', { follow: true });
    await until(() => events.some((e) => e.type === 'log-ended'));
    expect(events).toEqual([{ type: 'log-ended', streamId: 'a', reason: 'stopped' }]);
    expect(logs.size).toBe(2);
    await logs.close();
    expect(events.filter((e) => e.type === 'log-ended').map((e) => (e as LogEngineEvent).streamId).sort()).toEqual(['a', 'b', 'c']);
  });

  it('stopping an unknown stream says so', () => {
    expect(streams().logs.stop('nope')).toBe(false);
  });
});

describe('startLogs and stopLogs through the dispatcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-logs-'));
  const handlers = createHandlers({ transport: 'memory', historyPath: join(dir, 'history.db'), settingsPath: join(dir, 'settings.json'), env: { HOME: dir } });
  afterAll(async () => {
    await handlers.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['no stream id', { context: 'c', namespace: 'n', pod: 'p' }, 'streamId'],
    ['a stream id with a space', { streamId: 'a b', context: 'c', namespace: 'n', pod: 'p' }, 'streamId'],
    ['no pod', { streamId: 's', context: 'c', namespace: 'n' }, 'pod'],
    ['a negative tail', { streamId: 's', context: 'c', namespace: 'n', pod: 'p', tailLines: -1 }, 'tailLines'],
    ['an unknown field', { streamId: 's', context: 'c', namespace: 'n', pod: 'p', grep: 'error' }, 'grep'],
  ])('start-logs refuses %s, naming the field', async (_what, request, field) => {
    expect(await dispatch(handlers, 'start-logs', request)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining(field) } });
  });

  it('stop-logs of a stream that does not run: stopped false', async () => {
    expect(await dispatch(handlers, 'stop-logs', { streamId: 'nope' })).toEqual({ ok: true, value: { stopped: false } });
  });
});
