import { describe, expect, it } from 'vitest';
import { appendLog, EMPTY_LOG, filterLog, markMatches, type LogBuffer, type LogItem } from './logBuffer.js';

/** Items as text: a line as itself, a marker as "[n skipped]". */
const shown = (items: readonly LogItem[]): string[] => items.map((i) => ('text' in i ? i.text : `[${i.skipped} skipped]`));
const lines = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

describe('appendLog', () => {
  it.each<[string, Array<{ lines: string[]; dropped: number }>, number, { items: string[]; lines: number; skipped: number; trimmed: number }]>([
    ['nothing', [], 10, { items: [], lines: 0, skipped: 0, trimmed: 0 }],
    ['batches in order', [{ lines: ['a', 'b'], dropped: 0 }, { lines: ['c'], dropped: 0 }], 10, { items: ['a', 'b', 'c'], lines: 3, skipped: 0, trimmed: 0 }],
    ['a marker where the engine dropped lines', [{ lines: ['a'], dropped: 0 }, { lines: ['z'], dropped: 1204 }], 10, { items: ['a', '[1204 skipped]', 'z'], lines: 2, skipped: 1204, trimmed: 0 }],
    ['trimmed to the newest lines', [{ lines: lines(1, 4), dropped: 0 }, { lines: lines(5, 6), dropped: 0 }], 3, { items: lines(4, 6), lines: 3, skipped: 0, trimmed: 3 }],
    ['a marker goes with the lines before it', [{ lines: lines(1, 2), dropped: 0 }, { lines: lines(3, 4), dropped: 7 }], 2, { items: lines(3, 4), lines: 2, skipped: 7, trimmed: 2 }],
    ['a marker stays while a line after it is kept', [{ lines: lines(1, 2), dropped: 0 }, { lines: lines(3, 4), dropped: 7 }], 3, { items: ['line 2', '[7 skipped]', 'line 3', 'line 4'], lines: 3, skipped: 7, trimmed: 1 }],
  ])('%s', (_, batches, max, want) => {
    const buf = appendLog(EMPTY_LOG, batches, max);
    expect({ items: shown(buf.items), lines: buf.lines, skipped: buf.skipped, trimmed: buf.trimmed }).toEqual(want);
  });

  it('numbers items once: kept items keep their numbers across appends', () => {
    let buf: LogBuffer = EMPTY_LOG;
    for (let i = 0; i < 5; i++) buf = appendLog(buf, [{ lines: [`l${i}`], dropped: 0 }], 3);
    expect(buf.items.map((i) => i.n)).toEqual([2, 3, 4]);
    expect(shown(buf.items)).toEqual(['l2', 'l3', 'l4']);
    expect(buf.trimmed).toBe(2);
  });

  it('keeps the bound at 2,000 lines a second for a minute', () => {
    let buf: LogBuffer = EMPTY_LOG;
    for (let s = 0; s < 60; s++) for (let b = 0; b < 10; b++) buf = appendLog(buf, [{ lines: lines(0, 199), dropped: 0 }]);
    expect(buf.lines).toBe(10_000);
    expect(buf.items).toHaveLength(10_000);
    expect(buf.trimmed).toBe(120_000 - 10_000);
  });
});

describe('filterLog', () => {
  const items = appendLog(EMPTY_LOG, [{ lines: ['GET /healthz 200', 'POST /login 500'], dropped: 0 }, { lines: ['GET /login 200'], dropped: 3 }]).items;
  it.each([
    ['', ['GET /healthz 200', 'POST /login 500', '[3 skipped]', 'GET /login 200']],
    ['login', ['POST /login 500', 'GET /login 200']],
    ['get LOGIN', ['GET /login 200']],
    ['  500  ', ['POST /login 500']],
    ['nothing', []],
  ])('"%s"', (query, want) => {
    expect(shown(filterLog(items, query))).toEqual(want);
  });
});

describe('markMatches', () => {
  it.each<[string, string, Array<[string, boolean]>]>([
    ['GET /login 200', '', [['GET /login 200', false]]],
    ['GET /login 200', 'login', [['GET /', false], ['login', true], [' 200', false]]],
    ['Login login', 'LOGIN', [['Login', true], [' ', false], ['login', true]]],
    ['abcxabc', 'bc ab', [['abc', true], ['x', false], ['abc', true]]],
  ])('%s / %s', (text, query, want) => {
    expect(markMatches(text, query)).toEqual(want);
  });
});
