/**
 * Live tree streams through a fake start: each rebuilt tree is published as a `live-tree` event
 * under its stream id (valid against the contract), stop ends it with `live-tree-ended`, a second
 * start of the same id is refused, one too many stops the oldest, and a stream stopped while it is
 * read ends as soon as its read does.
 */
import { describe, expect, it } from 'vitest';
import type { AppLiveTree, AppLiveTreeWatch, LiveTreeWatchRequest } from '../engine/live-tree.js';
import { WATCH_PHASES } from '../watch/watcher.js';
import { engineEventSchema, LIVE_TREE_WATCH_PHASES, type EngineEvent } from './contract.js';
import { LiveTreeStreams } from './live-trees.js';

const tree = (pods: number): AppLiveTree => ({
  app: { name: 'web', path: 'apps/web', namespace: 'shop' },
  context: 'dev',
  server: 'https://127.0.0.1:6443',
  applySet: { parent: 'Secret/shop/slipway-web-0123456789', id: 'applyset-x-v1', found: true },
  health: 'healthy',
  counts: { healthy: 1 + pods, progressing: 0, degraded: 0, missing: 0, unknown: 0 },
  roots: [{ id: 'd', key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' }, health: 'healthy', message: `${pods} of ${pods} replicas available`, children: [] }],
  events: [],
  moreEvents: 0,
  gaps: [],
  readAt: '2026-01-01T12:00:00Z',
});

/** A start that records each request (the test calls its onTree) and whether its watch was closed. */
function fakeStart(opts: { slow?: Promise<void> } = {}) {
  const started: { req: LiveTreeWatchRequest; closed: boolean }[] = [];
  const start = async (req: LiveTreeWatchRequest): Promise<AppLiveTreeWatch> => {
    await opts.slow;
    const entry = { req, closed: false };
    started.push(entry);
    return {
      tree: () => tree(2),
      states: () => [{ key: 'apps/v1/deployments@shop', state: { phase: 'reconnecting', reason: 'connection refused', attempt: 1 } }],
      close: async () => {
        entry.closed = true;
      },
    };
  };
  return { start, started };
}

const base = { repo: {} as LiveTreeWatchRequest['repo'], selection: { app: 'web' }, kubeconfig: {} as LiveTreeWatchRequest['kubeconfig'], context: 'dev', cacheDir: '/tmp' };

describe('LiveTreeStreams', () => {
  it('names every phase a watch has in the contract', () => {
    expect([...LIVE_TREE_WATCH_PHASES]).toEqual([...WATCH_PHASES]);
  });

  it('publishes each rebuilt tree with its watches’ states, valid against the contract, until stopped', async () => {
    const events: EngineEvent[] = [];
    const fake = fakeStart();
    const streams = new LiveTreeStreams((e) => events.push(engineEventSchema.parse(e)), { start: fake.start, intervalMs: 50 });
    const first = await streams.start('s1', base);
    expect(first).toMatchObject({ streamId: 's1', health: 'healthy', roots: [{ message: '2 of 2 replicas available' }] });
    expect(fake.started[0]!.req.debounceMs).toBe(50);
    const watch = fake.started[0]!;
    watch.req.onTree(tree(3));
    expect(events).toEqual([{ type: 'live-tree', streamId: 's1', tree: expect.objectContaining({ roots: [expect.objectContaining({ message: '3 of 3 replicas available' })] }), watches: [{ key: 'apps/v1/deployments@shop', phase: 'reconnecting', reason: 'connection refused' }] }]);
    await expect(streams.start('s1', base)).rejects.toThrow(/running already/);
    expect(streams.stop('s1')).toBe(true);
    await Promise.resolve();
    expect(watch.closed).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'live-tree-ended', streamId: 's1', reason: 'stopped' });
    expect(streams.stop('s1')).toBe(false);
    // No event after the end.
    fake.started[0]!.req.onTree(tree(4));
    expect(events.filter((e) => e.type === 'live-tree')).toHaveLength(1);
  });

  it('stops the oldest of one too many', async () => {
    const events: EngineEvent[] = [];
    const fake = fakeStart();
    const streams = new LiveTreeStreams((e) => events.push(e), { start: fake.start, maxStreams: 2 });
    for (const id of ['a', 'b', 'c']) await streams.start(id, base);
    await Promise.resolve();
    expect(streams.size).toBe(2);
    expect(fake.started.map((s) => s.closed)).toEqual([true, false, false]);
    expect(events).toEqual([{ type: 'live-tree-ended', streamId: 'a', reason: 'stopped' }]);
    await streams.close();
    expect(fake.started.every((s) => s.closed)).toBe(true);
  });

  it('ends a stream stopped while it was read as soon as the read is done', async () => {
    let release!: () => void;
    const fake = fakeStart({ slow: new Promise<void>((r) => (release = r)) });
    const events: EngineEvent[] = [];
    const streams = new LiveTreeStreams((e) => events.push(e), { start: fake.start });
    const starting = streams.start('s', base);
    expect(streams.stop('s')).toBe(true);
    release();
    await starting;
    expect(fake.started[0]!.closed).toBe(true);
    expect(events).toEqual([{ type: 'live-tree-ended', streamId: 's', reason: 'stopped' }]);
  });
});
