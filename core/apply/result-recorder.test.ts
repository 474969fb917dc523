import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ObjectResultInput } from '../history/types.js';
import { ResultRecorder, type ResultSink } from './result-recorder.js';

const result = (name: string): ObjectResultInput => ({ key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name }, action: 'create', outcome: 'healthy' });

/** A History that keeps each transaction's names. */
function sink(opts: { fail?: boolean } = {}): ResultSink & { batches: string[][] } {
  const batches: string[][] = [];
  return {
    batches,
    recordObjectResults(_runId, results) {
      if (opts.fail) throw new Error('disk full');
      batches.push(results.map((r) => r.key.name));
    },
  };
}

/** One turn of the event loop, as between two answers of concurrent writes. */
const nextTurn = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(1);
};

describe('ResultRecorder: results that finish close together share one history transaction', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes results that finish in different turns, within the window, in one transaction', async () => {
    const history = sink();
    const recorder = new ResultRecorder(history, 'run-1', { windowMs: 100 });
    for (const name of ['a', 'b', 'c', 'd']) {
      recorder.add(result(name));
      await nextTurn();
    }
    expect(history.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(history.batches).toEqual([['a', 'b', 'c', 'd']]);
    recorder.add(result('e'));
    await vi.advanceTimersByTimeAsync(100);
    expect(history.batches).toEqual([['a', 'b', 'c', 'd'], ['e']]);
  });

  it('never keeps a result longer than the window after it came', async () => {
    const history = sink();
    const recorder = new ResultRecorder(history, 'run-1', { windowMs: 100 });
    recorder.add(result('a'));
    await vi.advanceTimersByTimeAsync(60);
    recorder.add(result('b'));
    await vi.advanceTimersByTimeAsync(40);
    expect(history.batches).toEqual([['a', 'b']]);
  });

  it('writes a full batch at once, without waiting for the window', async () => {
    const history = sink();
    const recorder = new ResultRecorder(history, 'run-1', { windowMs: 100, maxBatch: 3 });
    for (const name of ['a', 'b', 'c']) recorder.add(result(name));
    await nextTurn();
    expect(history.batches).toEqual([['a', 'b', 'c']]);
  });

  it('flush writes what is pending now, and nothing twice', async () => {
    const history = sink();
    const recorder = new ResultRecorder(history, 'run-1');
    recorder.add(result('a'));
    recorder.flush();
    expect(history.batches).toEqual([['a']]);
    await vi.advanceTimersByTimeAsync(1000);
    recorder.flush();
    expect(history.batches).toEqual([['a']]);
  });

  it('throws a failed write at the next result, so the apply stops', async () => {
    const recorder = new ResultRecorder(sink({ fail: true }), 'run-1', { windowMs: 100 });
    recorder.add(result('a'));
    await vi.advanceTimersByTimeAsync(100);
    expect(() => recorder.add(result('b'))).toThrow('disk full');
    expect(() => recorder.flush()).toThrow('disk full');
    expect(() => recorder.flushQuietly()).not.toThrow();
  });
});
