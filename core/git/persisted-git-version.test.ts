import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache } from '../disk-cache/disk-cache.js';
import { useDiskCache } from '../disk-cache/process.js';
import { gitExecutableKey, persistedGitVersion, persistGitVersion } from './persisted-git-version.js';

let tmp: string;
const bin = (name: string, opts: { executable?: boolean } = {}): string => {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'git'), '#!/bin/sh\necho git version 2.99.0\n');
  chmodSync(join(dir, 'git'), opts.executable === false ? 0o644 : 0o755);
  return dir;
};

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-git-version-'));
});
afterEach(() => {
  useDiskCache(undefined);
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('the git on PATH as a key', () => {
  it('names the first executable git on PATH, and changes when that file does', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const notExecutable = bin('plain', { executable: false });
    const real = bin('real');
    const key = gitExecutableKey([empty, notExecutable, real].join(delimiter));
    expect(key).toMatch(new RegExp(`^${join(real, 'git')}:`));
    utimesSync(join(real, 'git'), new Date(), new Date(Date.now() + 60_000));
    expect(gitExecutableKey([empty, real].join(delimiter))).not.toBe(key);
  });

  it('is not told when what PATH finds depends on the working folder, or there is no git', () => {
    const real = bin('real');
    expect(gitExecutableKey(['relative/bin', real].join(delimiter))).toBeUndefined();
    expect(gitExecutableKey(join(tmp, 'nowhere'))).toBeUndefined();
    expect(gitExecutableKey('')).toBeUndefined();
  });

  it('keeps the version by key in the disk cache', () => {
    useDiskCache(new DiskCache(join(tmp, 'cache.db')));
    expect(persistedGitVersion('k')).toBeUndefined();
    persistGitVersion('k', [2, 39]);
    expect(persistedGitVersion('k')).toEqual([2, 39]);
  });
});
