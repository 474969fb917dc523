/**
 * The bounded line buffer between a Pod's log stream and whoever reads it (the CLI's terminal, the
 * UI's events). A log can be written faster than it is read (a follow at thousands of lines a
 * second, a window that is busy): the buffer keeps at most `maxLines` lines and `maxBytes` bytes,
 * and when it is full either drops the oldest lines and counts them (`'drop-oldest'`, for views),
 * or tells the writer to wait (`'wait'`, for the CLI, whose output must be the whole log, as
 * kubectl's is).
 *
 * `batches` hands the lines out in chunks at most every `intervalMs`, so a fast log becomes a few
 * events a second instead of one per line. No I/O here; the clock and timers are injectable.
 *
 * The lines are the app's output, passed through as they are: nothing here logs them.
 */

/** A run of lines from the buffer. */
export interface LogChunk {
  /** Complete lines, oldest first, without their line ends. */
  readonly lines: readonly string[];
  /** Lines dropped (the oldest ones) since the previous chunk because the buffer was full. */
  readonly dropped: number;
}

/** What happens when the buffer is full: drop the oldest lines (counted), or make the writer wait. */
export type OverflowPolicy = 'drop-oldest' | 'wait';

export interface LogBufferOptions {
  /** Default 10,000. */
  readonly maxLines?: number;
  /** Default 8 MiB (UTF-8 bytes of the lines held). */
  readonly maxBytes?: number;
  /** Default 'drop-oldest'. */
  readonly overflow?: OverflowPolicy;
}

export const DEFAULT_BUFFER_LINES = 10_000;
export const DEFAULT_BUFFER_BYTES = 8 * 1024 * 1024;

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

export class LogLineBuffer {
  readonly maxLines: number;
  readonly maxBytes: number;
  readonly overflow: OverflowPolicy;
  private lines: string[] = [];
  /** Index of the oldest line still held (lines before it were taken or dropped). */
  private start = 0;
  private bytes = 0;
  private dropped = 0;
  /** The text after the last line end. */
  private partial = '';
  private ended = false;
  private waiters: Array<() => void> = [];

  constructor(opts: LogBufferOptions = {}) {
    this.maxLines = Math.max(1, opts.maxLines ?? DEFAULT_BUFFER_LINES);
    this.maxBytes = Math.max(1, opts.maxBytes ?? DEFAULT_BUFFER_BYTES);
    this.overflow = opts.overflow ?? 'drop-oldest';
  }

  /** Lines held. */
  get size(): number {
    return this.lines.length - this.start;
  }

  /** No more text will come (end() was called). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Holding as many lines or bytes as allowed: a `'wait'` writer should wait for `drained()`. */
  get full(): boolean {
    return this.size >= this.maxLines || this.bytes >= this.maxBytes;
  }

  /** Text as it arrives: lines end with "\n" (a "\r" before it is removed); the rest waits for its end. */
  write(text: string): void {
    if (this.ended || text === '') return;
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) this.push(line.endsWith('\r') ? line.slice(0, -1) : line);
    // A line without an end that outgrows the buffer is a line of its own: memory stays bounded.
    if (byteLength(this.partial) > this.maxBytes) {
      this.push(this.partial);
      this.partial = '';
    }
    this.wake();
  }

  /** The end of the text: a last line without a line end is a line. */
  end(): void {
    if (this.ended) return;
    if (this.partial !== '') this.push(this.partial);
    this.partial = '';
    this.ended = true;
    this.wake();
  }

  /** Takes up to `max` of the oldest lines held, and the count of lines dropped since the last take. */
  take(max: number = Infinity): LogChunk {
    const end = Math.min(this.lines.length, this.start + Math.max(0, max));
    const lines = this.lines.slice(this.start, end);
    for (const l of lines) this.bytes -= byteLength(l);
    this.start = end;
    if (this.start === this.lines.length) {
      this.lines = [];
      this.start = 0;
      this.bytes = 0;
    } else if (this.start > 4096 && this.start > this.lines.length / 2) {
      this.lines = this.lines.slice(this.start);
      this.start = 0;
    }
    const dropped = this.dropped;
    this.dropped = 0;
    this.wake();
    return { lines, dropped };
  }

  /** Resolves when there is something to take (lines or a dropped count), or the text ended. */
  async ready(): Promise<void> {
    while (this.size === 0 && this.dropped === 0 && !this.ended) await this.changed();
  }

  /** Resolves when the buffer is no longer full (a `'wait'` writer may go on), or ended. */
  async drained(): Promise<void> {
    while (this.full && !this.ended) await this.changed();
  }

  private push(line: string): void {
    this.lines.push(line);
    this.bytes += byteLength(line);
    if (this.overflow !== 'drop-oldest') return;
    while (this.size > this.maxLines || (this.bytes > this.maxBytes && this.size > 1)) {
      this.bytes -= byteLength(this.lines[this.start]!);
      this.start++;
      this.dropped++;
    }
    if (this.start > 4096 && this.start > this.lines.length / 2) {
      this.lines = this.lines.slice(this.start);
      this.start = 0;
    }
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export interface BatchOptions {
  /**
   * At least this long between two chunks (default 0: each chunk as soon as there is something).
   * Lines written meanwhile wait in the buffer and go out together: a follow at 2,000 lines/s with
   * 100 ms is 10 chunks a second of about 200 lines.
   */
  readonly intervalMs?: number;
  /** At most this many lines per chunk (default: all held). The rest goes out with the next chunk. */
  readonly maxLines?: number;
  /** Stops the batches (the loop ends after the chunk being waited for, if any). */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The buffer's lines in chunks, paced by `intervalMs`; ends when the buffer has ended and is empty. */
export async function* batches(buffer: LogLineBuffer, opts: BatchOptions = {}): AsyncGenerator<LogChunk> {
  const intervalMs = opts.intervalMs ?? 0;
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? sleep;
  const aborted = opts.signal ? [abortPromise(opts.signal)] : [];
  let last = -Infinity;
  for (;;) {
    if (opts.signal?.aborted) return;
    await Promise.race([buffer.ready(), ...aborted]);
    if (opts.signal?.aborted) return;
    if (buffer.size === 0 && buffer.isEnded) {
      const rest = buffer.take();
      if (rest.dropped > 0) yield rest;
      return;
    }
    const early = last + intervalMs - now();
    if (early > 0 && !buffer.isEnded) await wait(early, opts.signal);
    const chunk = buffer.take(opts.maxLines);
    last = now();
    if (chunk.lines.length > 0 || chunk.dropped > 0) yield chunk;
  }
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}
