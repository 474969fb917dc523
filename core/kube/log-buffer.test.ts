import { describe, expect, it } from 'vitest';
import { batches, LogLineBuffer, type LogChunk } from './log-buffer.js';

/** Every chunk of the buffer's batches, until it ends. */
async function collect(gen: AsyncGenerator<LogChunk>): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  for await (const c of gen) out.push(c);
  return out;
}

describe('LogLineBuffer', () => {
  it.each([
    ['one line', ['a\n'], ['a']],
    ['lines split across writes', ['he', 'llo\nwor', 'ld\n'], ['hello', 'world']],
    ['CRLF line ends', ['a\r\nb\r\n'], ['a', 'b']],
    ['empty lines kept', ['\n\nx\n'], ['', '', 'x']],
    ['a last line without its end, at the end', ['a\nb'], ['a', 'b']],
  ])('%s', (_name, writes, lines) => {
    const b = new LogLineBuffer();
    for (const w of writes) b.write(w);
    b.end();
    expect(b.take()).toEqual({ lines, dropped: 0 });
  });

  it('drops the oldest lines when full and counts them once', () => {
    const b = new LogLineBuffer({ maxLines: 3 });
    b.write('1\n2\n3\n4\n5\n');
    expect(b.take()).toEqual({ lines: ['3', '4', '5'], dropped: 2 });
    b.write('6\n');
    expect(b.take()).toEqual({ lines: ['6'], dropped: 0 });
  });

  it('bounds the bytes held too, keeping at least the newest line', () => {
    const b = new LogLineBuffer({ maxBytes: 10 });
    b.write('aaaa\nbbbb\ncccc\n');
    expect(b.take()).toEqual({ lines: ['bbbb', 'cccc'], dropped: 1 });
    b.write(`${'x'.repeat(50)}\n`);
    expect(b.take()).toEqual({ lines: ['x'.repeat(50)], dropped: 0 });
  });

  it('a line that never ends but outgrows the buffer becomes a line (memory stays bounded)', () => {
    const b = new LogLineBuffer({ maxBytes: 8 });
    b.write('0123456789');
    expect(b.take()).toEqual({ lines: ['0123456789'], dropped: 0 });
  });

  it('take(max) leaves the rest for the next take', () => {
    const b = new LogLineBuffer();
    b.write('a\nb\nc\n');
    expect(b.take(2).lines).toEqual(['a', 'b']);
    expect(b.size).toBe(1);
    expect(b.take(2).lines).toEqual(['c']);
  });

  it("'wait' keeps every line and says when it is full, until a take drains it", async () => {
    const b = new LogLineBuffer({ maxLines: 2, overflow: 'wait' });
    b.write('1\n2\n3\n');
    expect(b.full).toBe(true);
    let drained = false;
    const waiting = b.drained().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(b.take()).toEqual({ lines: ['1', '2', '3'], dropped: 0 });
    await waiting;
    expect(drained).toBe(true);
  });

  it('holds many lines without slowing down (the oldest are dropped in place)', () => {
    const b = new LogLineBuffer({ maxLines: 1000 });
    for (let i = 0; i < 100_000; i++) b.write(`line ${i}\n`);
    const { lines, dropped } = b.take();
    expect(lines).toHaveLength(1000);
    expect(lines[0]).toBe('line 99000');
    expect(dropped).toBe(99_000);
  });
});

describe('batches', () => {
  it('hands out what is held, then ends when the buffer ends', async () => {
    const b = new LogLineBuffer();
    b.write('a\nb\n');
    b.end();
    expect(await collect(batches(b))).toEqual([{ lines: ['a', 'b'], dropped: 0 }]);
  });

  it('waits for lines, and ends with a last chunk of what was dropped', async () => {
    const b = new LogLineBuffer({ maxLines: 1 });
    const out = collect(batches(b));
    b.write('x\n');
    await new Promise((r) => setTimeout(r, 0));
    b.write('y\nz\n');
    b.end();
    const chunks = await out;
    expect(chunks.flatMap((c) => c.lines)).toEqual(['x', 'z']);
    expect(chunks.reduce((n, c) => n + c.dropped, 0)).toBe(1);
  });

  it('paces chunks: lines written within one interval go out together', async () => {
    // A fake clock: each sleep moves it on.
    let now = 0;
    const sleeps: number[] = [];
    const b = new LogLineBuffer();
    const gen = batches(b, {
      intervalMs: 100,
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        // 2,000 lines/s: 200 lines are written while the batcher waits 100 ms.
        for (let i = 0; i < (ms / 1000) * 2000; i++) b.write(`l${i}\n`);
        now += ms;
      },
    });
    b.write('first\n');
    const first = await gen.next();
    expect(first.value).toEqual({ lines: ['first'], dropped: 0 });
    // The next line arrives at once: the batcher waits out the interval, collecting the 200 after it.
    b.write('next\n');
    const second = await gen.next();
    expect(sleeps).toEqual([100]);
    expect((second.value as LogChunk).lines).toHaveLength(201);
    b.end();
    expect((await gen.next()).done).toBe(true);
  });

  it('at most maxLines a chunk; the rest comes in the next', async () => {
    const b = new LogLineBuffer();
    for (let i = 0; i < 5; i++) b.write(`${i}\n`);
    b.end();
    expect((await collect(batches(b, { maxLines: 2 }))).map((c) => c.lines)).toEqual([['0', '1'], ['2', '3'], ['4']]);
  });

  it('stops when its signal aborts, without waiting for lines', async () => {
    const b = new LogLineBuffer();
    const ac = new AbortController();
    const out = collect(batches(b, { signal: ac.signal }));
    ac.abort();
    expect(await out).toEqual([]);
  });
});
