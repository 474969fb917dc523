/** The renderer's check of a typed folder agrees with the engine's (core/source/paths.ts). */
import { describe, expect, it } from 'vitest';
import { normalizeRepoPath } from '../../core/source/paths.js';
import { checkFolderPath } from './folderPath.js';

describe('checkFolderPath', () => {
  it.each([
    ['apps/web', 'apps/web'],
    ['./apps/web/', 'apps/web'],
    ['apps//web', 'apps/web'],
    ['apps/x/../web', 'apps/web'],
    ['.', ''],
    ['', ''],
    ['  apps/web  ', 'apps/web'],
  ])('%j → %j, as the engine normalizes it', (typed, path) => {
    expect(checkFolderPath(typed)).toEqual({ ok: true, path });
    expect(normalizeRepoPath(typed.trim())).toEqual({ ok: true, path });
  });

  it.each(['..', '../secrets', 'apps/../../etc', '/etc', 'C:/repo', 'apps\\web'])('%j is refused, as the engine refuses it', (typed) => {
    expect(checkFolderPath(typed).ok).toBe(false);
    expect(normalizeRepoPath(typed).ok).toBe(false);
  });

  it.each(['~/src/shop', '.git', 'apps/.git/hooks'])('%j is refused before the engine would refuse to read it', (typed) => {
    expect(checkFolderPath(typed).ok).toBe(false);
  });
});
