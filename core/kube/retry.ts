/**
 * Retry with exponential backoff and jitter, honouring the server's Retry-After. Which errors are
 * worth retrying is decided by `isRetryable` (429, 5xx, reset connections) unless the caller says.
 */
import { isRetryable, KubeError } from './errors.js';

export interface RetryOptions {
  /** Total tries, the first included. Default 4. */
  readonly attempts?: number;
  /** Backoff before the second try; doubles each time. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Cap of the computed backoff. Default 10 s. */
  readonly maxDelayMs?: number;
  /** Cap of a server-requested Retry-After. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  readonly retryable?: (err: unknown) => boolean;
  readonly onRetry?: (event: { readonly attempt: number; readonly delayMs: number; readonly error: unknown }) => void;
  readonly signal?: AbortSignal;
  /** Source of jitter in [0, 1); default Math.random. */
  readonly random?: () => number;
}

/** The wait before try `attempt + 1` after try `attempt` (1-based) failed with `error`. */
export function retryDelayMs(attempt: number, error: unknown, opts: RetryOptions = {}): number {
  const base = opts.baseDelayMs ?? 200;
  const max = opts.maxDelayMs ?? 10_000;
  const random = opts.random ?? Math.random;
  const exp = Math.min(max, base * 2 ** (attempt - 1));
  // "Equal jitter": half fixed, half random, so retries spread out but never collapse to zero.
  const backoff = Math.round(exp / 2 + random() * (exp / 2));
  const asked = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof asked === 'number' ? Math.max(backoff, Math.min(asked, opts.maxRetryAfterMs ?? 60_000)) : backoff;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const retryable = opts.retryable ?? isRetryable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      // A KubeError given up on after retries says how many attempts were made.
      if (attempt >= attempts || !retryable(error) || opts.signal?.aborted) throw error instanceof KubeError ? error.afterAttempts(attempt) : error;
      const delayMs = retryDelayMs(attempt, error, opts);
      opts.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, opts.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
