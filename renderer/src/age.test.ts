import { describe, expect, it } from 'vitest';
import { ageOf, engineNow, humanDuration } from './age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [-5 * s, '0s'],
    [0, '0s'],
    [999, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m + 12 * s, '3m12s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [2 * h + 5 * m, '125m'],
    [3 * h + 5 * m, '3h5m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [8 * d, '8d'],
    [40 * d, '40d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [385 * 2 * d, '2y40d'],
    [9 * 365 * d, '9y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('ageOf', () => {
  const now = Date.parse('2026-11-20T10:00:00Z');
  it.each([
    ['2026-11-20T09:59:15Z', '45s'],
    ['2026-11-20T07:00:00Z', '3h'],
    ['2026-11-20T10:00:05Z', '0s'],
    [undefined, ''],
    ['yesterday', ''],
  ])('%s → %s', (iso, text) => {
    expect(ageOf(iso, now)).toBe(text);
  });
});

describe('engineNow', () => {
  it("counts from the engine's read, not the local clock", () => {
    // The local clock is an hour ahead; the answer arrived 30 s ago.
    const local = Date.parse('2026-11-20T11:00:30Z');
    expect(new Date(engineNow('2026-11-20T10:00:00Z', local - 30 * s, local)).toISOString()).toBe('2026-11-20T10:00:30.000Z');
  });
  it('falls back to the local clock when readAt is not a time', () => {
    expect(engineNow('', 0, 1234)).toBe(1234);
  });
});
