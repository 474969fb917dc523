import { PassThrough, type Writable } from 'node:stream';
import type { LogOptions } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../model/diagnostics.js';
import { KubeError } from './errors.js';
import { logContainerOf, openPodLogs, toLogOptions, type PodLogPort } from './pod-logs.js';
import type { KubeObject } from './types.js';

const running = { running: { startedAt: '2026-01-01T00:00:00Z' } };

function pod(opts: { containers?: string[]; init?: string[]; annotations?: Record<string, string>; nodeName?: string | null; phase?: string; statuses?: Record<string, object>; conditions?: object[]; uid?: string } = {}): KubeObject {
  const containers = opts.containers ?? ['app'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'shop', uid: opts.uid ?? 'uid-1', ...(opts.annotations && { annotations: opts.annotations }) },
    spec: { ...(opts.nodeName !== null && { nodeName: opts.nodeName ?? 'node-0' }), containers: containers.map((name) => ({ name })), ...(opts.init && { initContainers: opts.init.map((name) => ({ name })) }) },
    status: {
      phase: opts.phase ?? 'Running',
      ...(opts.conditions && { conditions: opts.conditions }),
      containerStatuses: containers.map((name) => ({ name, restartCount: 0, state: running, ...opts.statuses?.[name] })),
    },
  };
}

describe('logContainerOf', () => {
  it.each([
    ['the only container', pod(), {}, { container: 'app', defaulted: false }],
    ['the first of several, defaulted', pod({ containers: ['app', 'proxy'] }), {}, { container: 'app', defaulted: true }],
    ['the annotated default', pod({ containers: ['proxy', 'app'], annotations: { 'kubectl.kubernetes.io/default-container': 'app' } }), {}, { container: 'app', defaulted: true }],
    ['an annotation naming no container is ignored', pod({ containers: ['app', 'proxy'], annotations: { 'kubectl.kubernetes.io/default-container': 'gone' } }), {}, { container: 'app', defaulted: true }],
    ['one asked for by name', pod({ containers: ['app', 'proxy'] }), { container: 'proxy' }, { container: 'proxy', defaulted: false }],
    ['a terminated container (a finished Job) has its log', pod({ statuses: { app: { state: { terminated: { exitCode: 0, reason: 'Completed' } } } } }), {}, { container: 'app', defaulted: false }],
    ['previous, after a restart', pod({ statuses: { app: { restartCount: 2, lastState: { terminated: { exitCode: 1, reason: 'Error' } } } } }), { previous: true }, { container: 'app', defaulted: false }],
    ['a crash-looping container (waiting now, ran before) has its log', pod({ statuses: { app: { restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } } } }), {}, { container: 'app', defaulted: false }],
  ])('%s', (_name, p, req, want) => {
    expect(logContainerOf(p, req, 'ctx')).toMatchObject(want);
  });

  it.each([
    ['a container the Pod does not have', pod({ containers: ['app', 'proxy'], init: ['migrate'] }), { container: 'db' }, 'unknown-container', 'Pod shop/web-1 has no container "db" (context ctx); its containers: app, proxy; init containers: migrate'],
    ['previous without a restart', pod(), { previous: true }, 'no-previous-container', 'container "app" of Pod shop/web-1 has no previous run to show: it has not restarted (restarts: 0; it is running) (context ctx)'],
    [
      'a Pod that is not scheduled',
      pod({ nodeName: null, phase: 'Pending', statuses: { app: { state: undefined } }, conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }] }),
      {},
      'container-not-started',
      'container "app" of Pod shop/web-1 has not started, so it has no log yet: the Pod is Pending and not scheduled to a node (Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.) (context ctx)',
    ],
    [
      'a container waiting for its image',
      pod({ phase: 'Pending', statuses: { app: { state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nginx:nope"' } } } } }),
      {},
      'container-not-started',
      'container "app" of Pod shop/web-1 has not started, so it has no log yet: it is waiting (ImagePullBackOff: Back-off pulling image "nginx:nope") (context ctx)',
    ],
  ])('%s: a clear error', (_name, p, req, code, message) => {
    let err: unknown;
    try {
      logContainerOf(p, req, 'ctx');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SlipwayError);
    expect(err).toMatchObject({ code, message });
  });
});

describe('toLogOptions', () => {
  it.each([
    ['defaults', {}, { follow: false, previous: false, timestamps: false }],
    ['follow, previous, timestamps', { follow: true, previous: true, timestamps: true }, { follow: true, previous: true, timestamps: true }],
    ['tail, since and a byte limit', { tailLines: 50, sinceSeconds: 300, limitBytes: 4096 }, { follow: false, previous: false, timestamps: false, tailLines: 50, sinceSeconds: 300, limitBytes: 4096 }],
    ['tail 0: only what comes next', { tailLines: 0, follow: true }, { follow: true, previous: false, timestamps: false, tailLines: 0 }],
  ])('%s', (_name, req, want) => {
    expect(toLogOptions({ namespace: 'shop', pod: 'web-1', ...req })).toEqual(want);
  });

  it.each([
    [{ tailLines: -1 }, 'tailLines must be a whole number of at least 0 (got -1)'],
    [{ sinceSeconds: 0 }, 'sinceSeconds must be a whole number of at least 1 (got 0)'],
    [{ limitBytes: 1.5 }, 'limitBytes must be a whole number of at least 1 (got 1.5)'],
  ])('refuses %o', (req, message) => {
    expect(() => toLogOptions({ namespace: 'shop', pod: 'web-1', ...req })).toThrow(message);
  });
});

/** A cluster of one Pod whose log is a PassThrough the test writes to (or a refusal). */
function fakePort(opts: { pod?: KubeObject | null; refuse?: KubeError } = {}) {
  let current: KubeObject | null = opts.pod === undefined ? pod() : opts.pod;
  const source = new PassThrough();
  const calls: Array<{ container: string; options: LogOptions }> = [];
  let aborted = false;
  const port: PodLogPort = {
    context: 'ctx',
    server: 'https://127.0.0.1:6443',
    readPod: async () => current,
    streamLog: async (_ns, _pod, container, sink: Writable, options, signal) => {
      calls.push({ container, options });
      if (opts.refuse) throw opts.refuse;
      source.pipe(sink);
      signal.addEventListener('abort', () => {
        if (source.readableEnded) return;
        aborted = true;
        // What undici does on abort: the response stream errors.
        source.destroy(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
      });
    },
  };
  return { port, source, calls, setPod: (p: KubeObject | null) => (current = p), wasAborted: () => aborted };
}

describe('openPodLogs', () => {
  it('reads a log to its end: the lines, then complete', async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', tailLines: 10 });
    expect(f.calls).toEqual([{ container: 'app', options: { follow: false, previous: false, timestamps: false, tailLines: 10 } }]);
    f.source.end('one\ntwo\n');
    const lines: string[] = [];
    for await (const c of stream.batches()) lines.push(...c.lines);
    expect(lines).toEqual(['one', 'two']);
    expect(await stream.done).toEqual({ reason: 'complete' });
  });

  it('decodes UTF-8 split across chunks', async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1' });
    const bytes = Buffer.from('grüße 🚀\n');
    f.source.write(bytes.subarray(0, 3));
    f.source.end(bytes.subarray(3));
    const lines: string[] = [];
    for await (const c of stream.batches()) lines.push(...c.lines);
    expect(lines).toEqual(['grüße 🚀']);
  });

  it('a Pod that does not exist: pod-not-found, no log request', async () => {
    const f = fakePort({ pod: null });
    await expect(openPodLogs(f.port, { namespace: 'shop', pod: 'web-1' })).rejects.toMatchObject({ code: 'pod-not-found', message: 'Pod shop/web-1 not found (context ctx): it was deleted, or never existed' });
    expect(f.calls).toEqual([]);
  });

  it("the kubelet's refusal becomes an error naming the container and its reason", async () => {
    const refuse = new KubeError('bad-request', 'previous terminated container "app" in pod "web-1" not found', { context: 'ctx', server: 's', status: 400 });
    const f = fakePort({ pod: pod({ statuses: { app: { restartCount: 1, lastState: { terminated: { exitCode: 1 } } } } }), refuse });
    await expect(openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', previous: true })).rejects.toMatchObject({
      code: 'no-previous-container',
      message: 'the log of container "app" of Pod shop/web-1 could not be read (context ctx): previous terminated container "app" in pod "web-1" not found',
    });
  });

  it('following: opens before the server answers (a quiet log answers with its first line); a refusal then ends it as failed', async () => {
    const refuse = new KubeError('forbidden', 'jane may not get pods/log in namespace shop', { context: 'ctx', server: 's', status: 403 });
    const f = fakePort({ refuse });
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', follow: true }, { podCheckMs: 0 });
    expect(await stream.done).toEqual({ reason: 'failed', error: refuse });
  });

  it('following: a deleted Pod ends the stream (pod-deleted) and the request is aborted', async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', follow: true }, { podCheckMs: 10 });
    f.source.write('started\n');
    f.setPod(null);
    const lines: string[] = [];
    for await (const c of stream.batches()) lines.push(...c.lines);
    expect(lines).toEqual(['started']);
    expect(await stream.done).toEqual({ reason: 'pod-deleted' });
    expect(f.wasAborted()).toBe(true);
  });

  it('following: a new Pod of the same name is not the one followed', async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', follow: true }, { podCheckMs: 10 });
    f.setPod(pod({ uid: 'uid-2' }));
    expect(await stream.done).toEqual({ reason: 'pod-deleted' });
  });

  it('close() stops a follow: stopped, the request aborted, no uncaught abort error', async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', follow: true }, { podCheckMs: 0 });
    f.source.write('a\n');
    await new Promise((r) => setTimeout(r, 5));
    stream.close();
    expect(await stream.done).toEqual({ reason: 'stopped' });
    expect(f.wasAborted()).toBe(true);
    const lines: string[] = [];
    for await (const c of stream.batches()) lines.push(...c.lines);
    expect(lines).toEqual(['a']);
  });

  it("the caller's signal stops it", async () => {
    const f = fakePort();
    const ac = new AbortController();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', follow: true }, { podCheckMs: 0, signal: ac.signal });
    ac.abort();
    expect(await stream.done).toEqual({ reason: 'stopped' });
  });

  it('a connection that breaks mid-stream ends it as failed, with a KubeError', async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1', follow: true }, { podCheckMs: 0 });
    f.source.destroy(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    const end = await stream.done;
    expect(end.reason).toBe('failed');
    expect(end.error).toBeInstanceOf(KubeError);
    expect(end.error?.message).toBe('cannot reach the cluster of context ctx at https://127.0.0.1:6443: connection closed by the server');
  });

  it("'wait': a slow reader holds the stream back instead of losing lines", async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1' }, { buffer: { maxLines: 10, overflow: 'wait' } });
    const all = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    f.source.end(`${all.join('\n')}\n`);
    const lines: string[] = [];
    let dropped = 0;
    for await (const c of stream.batches()) {
      lines.push(...c.lines);
      dropped += c.dropped;
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(dropped).toBe(0);
    expect(lines).toEqual(all);
  });

  it("'drop-oldest': a fast log past the buffer keeps the newest lines and says how many were dropped", async () => {
    const f = fakePort();
    const stream = await openPodLogs(f.port, { namespace: 'shop', pod: 'web-1' }, { buffer: { maxLines: 10 } });
    f.source.end(`${Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n')}\n`);
    await stream.done;
    const chunks = [];
    for await (const c of stream.batches()) chunks.push(c);
    expect(chunks.flatMap((c) => c.lines)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${990 + i}`));
    expect(chunks.reduce((n, c) => n + c.dropped, 0)).toBe(990);
  });
});
