import { describe, expect, it, vi } from 'vitest';
import type { EngineHandlers } from '../core/api/handlers.js';
import { deferredEngine } from './serve-engine.js';

/** An engine whose loading the test watches: its handlers answer with their own name. */
function fakeEngine() {
  const listeners: Array<(e: unknown) => void> = [];
  const engine = {
    engineInfo: vi.fn(async () => ({ version: 'engine', platform: 'linux', transport: 'http', folderDialog: 'browse' })),
    listContexts: vi.fn(async () => ({ contexts: [], files: [], diagnostics: [] })),
    events: { subscribe: (l: (e: unknown) => void) => (listeners.push(l), () => undefined) },
    close: vi.fn(async () => undefined),
  } as unknown as EngineHandlers;
  const load = vi.fn(async () => engine);
  return { engine, load };
}

const info = { version: '1.0.0', platform: 'linux', transport: 'http', folderDialog: 'browse' } as const;

describe('slipway serve: the engine loaded when first needed', () => {
  it('answers the first screen without loading the engine', async () => {
    const { load } = fakeEngine();
    const d = deferredEngine({ first: { engineInfo: async () => info }, load });
    await expect(d.handlers.engineInfo({})).resolves.toEqual(info);
    expect(load).not.toHaveBeenCalled();
    expect(d.started()).toBeUndefined();
  });

  it('loads the engine, once, when another command asks, after settleMs; the command waits for it', async () => {
    vi.useFakeTimers();
    try {
      const { engine, load } = fakeEngine();
      const d = deferredEngine({ first: Promise.resolve({ engineInfo: async () => info }), load, settleMs: 150 });
      const first = d.handlers.listContexts({});
      const second = d.handlers.listContexts({});
      await vi.advanceTimersByTimeAsync(100);
      expect(load).not.toHaveBeenCalled();
      // The first screen's commands are answered meanwhile.
      await expect(d.handlers.engineInfo({})).resolves.toEqual(info);
      await vi.advanceTimersByTimeAsync(50);
      await expect(first).resolves.toEqual({ contexts: [], files: [], diagnostics: [] });
      await second;
      expect(load).toHaveBeenCalledTimes(1);
      expect(engine.listContexts).toHaveBeenCalledTimes(2);
      await expect(d.events).resolves.toBe(engine.events);
      await expect(d.started()).resolves.toBe(engine);
    } finally {
      vi.useRealTimers();
    }
  });

  it('load() starts it at once; a command after that does not wait for settleMs', async () => {
    const { engine, load } = fakeEngine();
    const d = deferredEngine({ first: {}, load, settleMs: 60_000 });
    await expect(d.load()).resolves.toBe(engine);
    await expect(d.handlers.listContexts({})).resolves.toEqual({ contexts: [], files: [], diagnostics: [] });
    // Without a first-screen answer of its own, the engine answers that command too.
    await expect(d.handlers.engineInfo({})).resolves.toMatchObject({ version: 'engine' });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('a first screen that fails to load leaves its commands to the engine', async () => {
    const { load } = fakeEngine();
    const d = deferredEngine({ first: Promise.reject(new Error('missing chunk')), load });
    await expect(d.handlers.engineInfo({})).resolves.toMatchObject({ version: 'engine' });
  });

  it('an engine that fails to load fails the commands that need it and the events, not the first screen', async () => {
    const d = deferredEngine({ first: { engineInfo: async () => info }, load: () => Promise.reject(new Error('cannot find chunk-X.js')) });
    await expect(d.handlers.listContexts({})).rejects.toThrow('cannot find chunk-X.js');
    await expect(d.events).rejects.toThrow('cannot find chunk-X.js');
    await expect(d.handlers.engineInfo({})).resolves.toEqual(info);
  });
});
