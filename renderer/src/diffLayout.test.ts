import { describe, expect, it } from 'vitest';
import { diffLayout, isLayoutChoice, type DiffLayout, type DiffLayoutChoice } from './diffLayout.js';

describe('diffLayout', () => {
  it.each<[DiffLayoutChoice, number, DiffLayout]>([
    ['auto', 1100, 'side-by-side'],
    ['auto', 900, 'side-by-side'],
    ['auto', 899, 'inline'],
    ['auto', 684, 'inline'],
    ['auto', 0, 'side-by-side'],
    ['side-by-side', 684, 'side-by-side'],
    ['inline', 1400, 'inline'],
  ])('%s at %i px: %s', (choice, width, layout) => {
    expect(diffLayout(choice, width)).toBe(layout);
  });

  it.each<[unknown, boolean]>([
    ['auto', true],
    ['inline', true],
    ['side-by-side', true],
    ['unified', false],
    [null, false],
  ])('%j is a layout choice: %s', (v, ok) => {
    expect(isLayoutChoice(v)).toBe(ok);
  });
});
