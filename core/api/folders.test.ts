import { chmodSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as FsPromises from 'node:fs/promises';
import { SlipwayError } from '../model/diagnostics.js';
import { listFolders } from './folders.js';

// Root reads every folder whatever its mode, and tests run as root in CI: the folder named
// "locked" answers as the kernel does to anyone else (EACCES).
vi.mock('node:fs/promises', async (actual) => {
  const fs = await actual<typeof FsPromises>();
  const readdir = (async (path: string, options: unknown) => {
    if (String(path).endsWith('/locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
    return fs.readdir(path, options as never);
  }) as typeof fs.readdir;
  return { ...fs, readdir };
});

describe('listFolders', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-folders-')));
  mkdirSync(join(root, 'infra/.git'), { recursive: true });
  mkdirSync(join(root, 'notes'));
  mkdirSync(join(root, 'Work10'));
  mkdirSync(join(root, 'work9'));
  mkdirSync(join(root, '.cache'));
  mkdirSync(join(root, 'worktree'));
  writeFileSync(join(root, 'worktree/.git'), 'gitdir: /elsewhere\n');
  writeFileSync(join(root, 'file.txt'), 'not a folder');
  symlinkSync(join(root, 'notes'), join(root, 'linked'));

  it('lists sub-folders by name (numbers in order), hidden ones and files left out, repositories marked', async () => {
    const list = await listFolders(root, {});
    expect(list.path).toBe(root);
    expect(list.repository).toBe(false);
    expect(list.folders.map((f) => [f.name, f.repository])).toEqual([
      ['infra', true],
      ['linked', false],
      ['notes', false],
      ['work9', false],
      ['Work10', false],
      ['worktree', true],
    ]);
    expect(list.folders[0]!.path).toBe(join(root, 'infra'));
  });

  it('starts at the home folder, takes ~/…, and says whether the folder is a repository itself', async () => {
    expect((await listFolders(undefined, { HOME: root })).path).toBe(root);
    const infra = await listFolders('~/infra', { HOME: root });
    expect([infra.path, infra.parent, infra.home, infra.repository, infra.folders]).toEqual([join(root, 'infra'), root, root, true, []]);
    expect((await listFolders('/', {})).parent).toBeUndefined();
  });

  it.each([
    ['a missing folder', () => join(root, 'nope'), 'folder-not-found'],
    ['a file', () => join(root, 'file.txt'), 'folder-not-found'],
    ['a relative path', () => 'infra', 'invalid-folder'],
  ])('refuses %s', async (_name, path, code) => {
    await expect(listFolders(path(), { HOME: root })).rejects.toSatisfy((e) => e instanceof SlipwayError && e.code === code);
  });

  it('refuses a folder the engine may not read', async () => {
    const locked = join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o000);
    try {
      await expect(listFolders(locked, {})).rejects.toSatisfy((e) => e instanceof SlipwayError && e.code === 'folder-unreadable' && e.message.includes(locked));
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
