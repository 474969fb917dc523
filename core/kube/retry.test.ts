import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KubeError } from './errors.js';
import { retryDelayMs, withRetry } from './retry.js';

const server = 'https://127.0.0.1:6443';
const throttled = (retryAfterMs?: number): KubeError =>
  new KubeError('too-many-requests', 'throttled', { context: 'c', server, status: 429, retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const reset = (): KubeError => new KubeError('cluster-unreachable', 'reset', { context: 'c', server, retryable: true });
const forbidden = (): KubeError => new KubeError('forbidden', 'no', { context: 'c', server, status: 403 });

describe('retryDelayMs', () => {
  it.each([
    // attempt, random, expected: base 100 → 100, 200, 400, 800 before jitter; half fixed, half random
    [1, 0, 50],
    [1, 0.999, 100],
    [2, 0, 100],
    [3, 0.5, 300],
    [4, 0, 400],
    [10, 0, 500], // capped at maxDelayMs 1000 → 500..1000
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(retryDelayMs(attempt, reset(), { baseDelayMs: 100, maxDelayMs: 1000, random: () => random })).toBe(expected);
  });

  it.each([
    [2000, 2000], // Retry-After longer than the backoff wins
    [10, 50], // shorter: the backoff still applies
    [120_000, 60_000], // capped at maxRetryAfterMs
  ])('honours Retry-After %i ms → %i ms', (retryAfterMs, expected) => {
    expect(retryDelayMs(1, throttled(retryAfterMs), { baseDelayMs: 100, random: () => 0 })).toBe(expected);
  });
});

describe('withRetry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retries retryable failures with exponential backoff until one succeeds', async () => {
    const calls: number[] = [];
    const fn = vi.fn(async (attempt: number) => {
      calls.push(Date.now());
      if (attempt < 3) throw reset();
      return 'ok';
    });
    const result = withRetry(fn, { attempts: 5, baseDelayMs: 100, random: () => 0 });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(calls.slice(1).map((t, i) => t - calls[i]!)).toEqual([50, 100]);
  });

  it('waits as long as Retry-After asks', async () => {
    const fn = vi.fn<(attempt: number) => Promise<string>>().mockRejectedValueOnce(throttled(3000)).mockResolvedValueOnce('ok');
    const result = withRetry(fn, { attempts: 3, baseDelayMs: 100, random: () => 0 });
    await vi.advanceTimersByTimeAsync(2999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('gives up after `attempts` tries with the last error', async () => {
    const errors = [reset(), reset(), reset()];
    let i = 0;
    const result = withRetry(
      async () => {
        throw errors[i++];
      },
      { attempts: 3, baseDelayMs: 10 },
    );
    const settled = expect(result).rejects.toMatchObject({ code: 'cluster-unreachable', message: 'reset (gave up after 3 attempts)', attempts: 3, retryable: true });
    await vi.runAllTimersAsync();
    await settled;
    expect(i).toBe(3);
  });

  it('rethrows anything but a KubeError as it is', async () => {
    const err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const result = withRetry(
      async () => {
        throw err;
      },
      { attempts: 2, baseDelayMs: 10 },
    );
    const settled = expect(result).rejects.toBe(err);
    await vi.runAllTimersAsync();
    await settled;
  });

  it('does not retry an error that is not retryable', async () => {
    const err = forbidden();
    const fn = vi.fn(async () => {
      throw err;
    });
    await expect(withRetry(fn, { attempts: 5 })).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('lets the caller decide what is retryable and reports each retry', async () => {
    const seen: [number, number][] = [];
    const fn = vi.fn<(attempt: number) => Promise<string>>().mockRejectedValueOnce(forbidden()).mockResolvedValueOnce('ok');
    const result = withRetry(fn, { retryable: () => true, baseDelayMs: 40, random: () => 1, onRetry: (e) => seen.push([e.attempt, e.delayMs]) });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBe('ok');
    expect(seen).toEqual([[1, 40]]);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const fn = vi.fn(async () => {
      throw reset();
    });
    const result = withRetry(fn, { attempts: 5, baseDelayMs: 1000, signal: controller.signal });
    const settled = expect(result).rejects.toThrow('stop');
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('stop'));
    await settled;
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
