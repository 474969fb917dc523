import { describe, expect, it } from 'vitest';
import { pollInterval } from './waits.js';

describe('pollInterval: health reads come about as often as the wait so far warrants', () => {
  it.each([
    [0, 1000, 100],
    [500, 1000, 125],
    [2000, 1000, 200],
    [10_000, 1000, 600],
    [18_000, 1000, 1000],
    [600_000, 1000, 1000],
    [2000, 150, 150],
    [-5, 1000, 100],
  ])('after %i ms with at most %i ms: %i ms', (waited, max, expected) => {
    expect(pollInterval(waited, max)).toBe(expected);
  });

  it('sees a change within about 5 % of the time waited, never sooner than 100 ms apart, never later than the maximum', () => {
    let previous = 0;
    for (let waited = 0; waited <= 60_000; waited += 250) {
      const next = pollInterval(waited, 1000);
      expect(next).toBeGreaterThanOrEqual(previous);
      expect(next).toBeLessThanOrEqual(100 + Math.ceil(waited / 20));
      previous = next;
    }
  });
});
