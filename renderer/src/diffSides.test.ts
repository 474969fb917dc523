/** The diff's "after apply" header names a dry-run only when the server made one. */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../core/api/contract.js';
import { afterLabel, diffSides } from './diffSides.js';

describe('afterLabel', () => {
  it.each<[string, Change['flags'], string, string]>([
    ['a dry-run', [], 'After apply (server dry-run)', 'After apply (server dry-run)'],
    ['approximate: no dry-run was made', ['approximate'], 'After apply (server dry-run)', 'After apply: client-side comparison (no permission to dry-run)'],
    ['approximate create', ['approximate'], 'Created by apply (server dry-run)', 'Created by apply: client-side comparison (no permission to dry-run)'],
    ['approximate, a label that names no dry-run', ['dangerous', 'approximate'], 'After apply: recreated', 'After apply: recreated — client-side comparison (no permission to dry-run)'],
    ['other flags change nothing', ['adopt', 'other-manager'], 'After apply (server dry-run)', 'After apply (server dry-run)'],
  ])('%s', (_what, flags, label, expected) => {
    expect(afterLabel({ flags }, label)).toBe(expected);
  });

  it('leaves the live side as it is', () => {
    expect(diffSides({ flags: ['approximate'] }, ['Live', 'After apply (server dry-run)'])).toEqual(['Live', 'After apply: client-side comparison (no permission to dry-run)']);
  });
});
