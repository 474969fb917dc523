import { describe, expect, it } from 'vitest';
import type { Action } from '../../core/api/contract.js';
import { diffPane, type DiffPane } from './diffPane.js';

const Y = 'kind: ConfigMap\n';

describe('diffPane', () => {
  it.each<[Action, string | undefined, string | undefined, DiffPane]>([
    ['create', undefined, Y, { kind: 'single', side: 'after', label: 'Created by apply (server dry-run)', bothSides: false }],
    ['delete', Y, undefined, { kind: 'single', side: 'before', label: 'Live: deleted by apply', bothSides: false }],
    ['noop', Y, Y, { kind: 'single', side: 'after', label: 'Unchanged: live and after apply are the same', bothSides: true }],
    ['update', Y, Y, { kind: 'diff', labels: ['Live', 'After apply (server dry-run)'] }],
    ['replace', Y, Y, { kind: 'diff', labels: ['Live (will be deleted)', 'After apply: recreated'] }],
    ['error', Y, Y, { kind: 'diff', labels: ['Live', 'Desired (could not be dry-run)'] }],
    ['error', undefined, Y, { kind: 'single', side: 'after', label: 'Desired (could not be dry-run)', bothSides: false }],
    ['error', Y, undefined, { kind: 'single', side: 'before', label: 'Live', bothSides: false }],
    ['update', undefined, Y, { kind: 'single', side: 'after', label: 'After apply (server dry-run)', bothSides: false }],
  ])('%s with before %j and after %j', (action, before, after, pane) => {
    expect(diffPane({ action, ...(before !== undefined && { before }), ...(after !== undefined && { after }) })).toEqual(pane);
  });
});
