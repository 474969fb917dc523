import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RECENT, rememberRecent, withRecent } from './recent.js';
import type { RecentRepository } from './settings.js';

describe('withRecent', () => {
  const a = { dir: '/src/a', app: 'web' };
  const b = { dir: '/src/b', path: 'apps/x' };
  it.each<[string, RecentRepository[], RecentRepository, RecentRepository[]]>([
    ['a first repository', [], { dir: '/src/a' }, [{ dir: '/src/a' }]],
    ['another goes first', [a], { dir: '/src/b' }, [{ dir: '/src/b' }, a]],
    ['opened again: first, keeping its app', [b, a], { dir: '/src/a' }, [a, b]],
    ['opened again: keeping its folder', [a, b], { dir: '/src/b' }, [b, a]],
    ['an app chosen replaces the folder', [b], { dir: '/src/b', app: 'api' }, [{ dir: '/src/b', app: 'api' }]],
    ['a folder chosen replaces the app', [a], { dir: '/src/a', path: '' }, [{ dir: '/src/a', path: '' }]],
  ])('%s', (_name, list, entry, expected) => {
    expect(withRecent(list, entry)).toEqual(expected);
  });

  it(`keeps the ${MAX_RECENT} newest`, () => {
    const list = Array.from({ length: MAX_RECENT }, (_, i) => ({ dir: `/src/${i}` }));
    expect(withRecent(list, { dir: '/src/new' }).map((r) => r.dir)).toEqual(['/src/new', ...list.slice(0, MAX_RECENT - 1).map((r) => r.dir)]);
  });
});

describe('rememberRecent', () => {
  it('keeps the list in the settings file, with the other settings', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slipway-recent-')), 'settings.json');
    writeFileSync(file, JSON.stringify({ theme: 'dark' }));
    rememberRecent(file, { dir: '/src/a' });
    expect(rememberRecent(file, { dir: '/src/b', app: 'web' })).toEqual([{ dir: '/src/b', app: 'web' }, { dir: '/src/a' }]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ theme: 'dark', recentRepositories: [{ dir: '/src/b', app: 'web' }, { dir: '/src/a' }] });
  });

  it('never overwrites a damaged settings file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slipway-recent-')), 'settings.json');
    writeFileSync(file, '{ not json');
    expect(rememberRecent(file, { dir: '/src/a' })).toEqual([{ dir: '/src/a' }]);
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });
});
