import { describe, expect, it } from 'vitest';
import { parseDuration } from './options.js';

describe('parseDuration (--request-timeout)', () => {
  it.each([
    ['30', 30_000],
    ['2.5', 2_500],
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    [' 10s ', 10_000],
  ])('%s → %i ms', (value, ms) => {
    expect(parseDuration(value)).toBe(ms);
  });

  it.each(['0', '0s', '-5', 'soon', '10 s', '5d', ''])('refuses %j', (value) => {
    expect(() => parseDuration(value)).toThrow(/expected a duration greater than 0/);
  });
});
