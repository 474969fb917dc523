import { describe, expect, it } from 'vitest';
import { orderTags, revisionLabel, type LabelParts } from './label.js';

describe('revisionLabel', () => {
  it.each<[string, LabelParts, string]>([
    ['a tag and a subject', { shortOid: '3f2a9c1', subject: 'storefront: scale up', tags: ['v1.2.0'] }, 'v1.2.0 · storefront: scale up (3f2a9c1)'],
    ['no tag', { shortOid: '3f2a9c1', subject: 'storefront: scale up', tags: [] }, 'storefront: scale up (3f2a9c1)'],
    ['no subject', { shortOid: '3f2a9c1', subject: '  ', tags: ['v1.2.0'] }, 'v1.2.0 (3f2a9c1)'],
    ['neither', { shortOid: '3f2a9c1', subject: '', tags: [] }, '3f2a9c1'],
    ['two tags', { shortOid: 'abcdef0', subject: 'x', tags: ['v2.0.0', 'stable'] }, 'v2.0.0, stable · x (abcdef0)'],
    ['more tags, counted', { shortOid: 'abcdef0', subject: 'x', tags: ['v2.0.0', 'v2.0', 'stable', 'latest'] }, 'v2.0.0, v2.0 +2 · x (abcdef0)'],
    ['a long subject, cut', { shortOid: 'abcdef0', subject: 'y'.repeat(100), tags: [] }, `${'y'.repeat(71)}… (abcdef0)`],
  ])('%s', (_name, parts, label) => {
    expect(revisionLabel(parts)).toBe(label);
  });
});

describe('orderTags', () => {
  it.each<[readonly string[], readonly string[]]>([
    [['v1.9.0', 'v1.10.0'], ['v1.10.0', 'v1.9.0']],
    [['stable', 'v1.2.0'], ['v1.2.0', 'stable']],
    [['release-b', 'release-a'], ['release-a', 'release-b']],
    [['1.2', 'v1.2.1', 'latest'], ['v1.2.1', '1.2', 'latest']],
  ])('%j → %j', (tags, ordered) => {
    expect(orderTags(tags)).toEqual(ordered);
  });
});
