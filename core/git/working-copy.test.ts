import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { SlipwayError } from '../model/diagnostics.js';
import { GitCache } from './cache.js';
import { parseIndexPaths } from './index-file.js';
import { openRepository, type GitRepository } from './repository.js';
import { WORKING_COPY, type Snapshot, type SnapshotFile } from './types.js';

/**
 * The oracle: what `git add -A` would record, computed in a throw-away index (GIT_INDEX_FILE) so
 * the repository's own index is left alone. It starts empty so that git hashes every file (a copy
 * of the real index could make git trust stale stat data), and the tracked files are added with -f
 * so that tracked-but-ignored files count, as they do in the real index.
 */
function gitWorkingTree(repo: TestRepo): { files: SnapshotFile[]; tree: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-oracle-'));
  const index = join(scratch, 'index');
  const env = { ...process.env, GIT_INDEX_FILE: index, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  try {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: repo.dir, encoding: 'utf8' })
      .split('\0')
      .filter((p) => p && lstatSync(join(repo.dir, p), { throwIfNoEntry: false }));
    execFileSync('git', ['add', '-A'], { cwd: repo.dir, env });
    if (tracked.length) execFileSync('git', ['add', '-f', '--', ...tracked], { cwd: repo.dir, env });
    const tree = execFileSync('git', ['write-tree'], { cwd: repo.dir, env, encoding: 'utf8' }).trim();
    const files = execFileSync('git', ['ls-files', '-s', '-z'], { cwd: repo.dir, env, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [mode, oid] = meta.split(' ') as [string, string];
        return { path, oid, mode: mode === '100755' ? 'executable' : mode === '120000' ? 'symlink' : 'file' } as const;
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files, tree };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function rejection(p: Promise<unknown>): Promise<SlipwayError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SlipwayError) return err;
    throw err;
  }
  throw new Error('expected a SlipwayError');
}

let t: TestRepo;
let repo: GitRepository;

beforeAll(async () => {
  t = createTestRepo({ prefix: 'slipway-wc-' });
  t.write({
    '.gitignore': '*.log\nbuild/\n/secret.env\n!keep.log\n',
    'apps/web/deploy.yaml': 'replicas: 1\n',
    'apps/web/.gitignore': 'local-*.yaml\n!local-ok.yaml\n',
    'apps/web/tracked-but-ignored.log': 'tracked\n',
    'scripts/run.sh': '#!/bin/sh\n',
    'README.md': 'hi\n',
  });
  chmodSync(join(t.dir, 'scripts/run.sh'), 0o755);
  t.git('add', '-A');
  t.git('add', '-f', 'apps/web/tracked-but-ignored.log');
  t.commit('initial');
  // Now make the working copy differ from HEAD in every way that matters.
  t.write({
    'apps/web/deploy.yaml': 'replicas: 5\n', // modified
    'apps/web/new.yaml': 'kind: New\n', // untracked, not ignored
    'apps/web/local-dev.yaml': 'ignored by apps/web/.gitignore\n',
    'apps/web/local-ok.yaml': 're-included by a negation\n',
    'apps/web/debug.log': 'ignored by *.log\n',
    'apps/web/keep.log': 're-included by !keep.log\n',
    'build/out.yaml': 'ignored folder\n',
    'secret.env': 'ignored at the root only\n',
    'apps/secret.env': 'not ignored: the pattern is anchored\n',
    'excluded.tmp': 'ignored by .git/info/exclude\n',
    'README.md': null, // deleted
  });
  writeFileSync(join(t.dir, '.git', 'info', 'exclude'), '*.tmp\n');
  mkdirSync(join(t.dir, 'empty-dir'));
  t.symlink('apps/web/link.yaml', 'deploy.yaml');
  repo = await openRepository(t.dir, { cache: new GitCache() });
});
afterAll(async () => {
  await repo.close();
  t.cleanup();
});

describe('working copy snapshots', () => {
  it('lists what `git add -A` would record: tracked, untracked-but-not-ignored, never ignored files or .git, with Git oids', async () => {
    const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), '');
    const oracle = gitWorkingTree(t);
    expect(snap.files).toEqual(oracle.files);
    expect(snap.treeOid).toBe(oracle.tree);
    const paths = snap.files.map((f) => f.path);
    expect(paths).toContain('apps/web/tracked-but-ignored.log');
    expect(paths).toContain('apps/web/local-ok.yaml');
    expect(paths).toContain('apps/secret.env');
    expect(paths).not.toContain('README.md');
    expect(paths.some((p) => p.startsWith('build/') || p.startsWith('nested/') || p.includes('.git/'))).toBe(false);
  });

  it.each(['apps', 'apps/web', 'scripts'])('lists the sub-path %s with the tree oid git would write for it', async (path) => {
    const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), path);
    const oracle = gitWorkingTree(t);
    expect(snap.files).toEqual(oracle.files.filter((f) => f.path.startsWith(`${path}/`)));
    expect(snap.treeOid).toBe(execFileSync('git', ['rev-parse', `${oracle.tree}:${path}`], { cwd: t.dir, encoding: 'utf8' }).trim());
  });

  it('gives the modes: executable, symlink, file', async () => {
    const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), '');
    const mode = (p: string): string | undefined => snap.files.find((f) => f.path === p)?.mode;
    expect([mode('scripts/run.sh'), mode('apps/web/link.yaml'), mode('apps/web/new.yaml')]).toEqual(['executable', 'symlink', 'file']);
  });

  it('reads files from disk; a symlink reads as its target', async () => {
    const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), 'apps/web');
    const read = async (p: string): Promise<string> => new TextDecoder().decode(await repo.readFile(snap, snap.files.find((f) => f.path === p)!));
    expect(await read('apps/web/deploy.yaml')).toBe('replicas: 5\n');
    expect(await read('apps/web/link.yaml')).toBe('deploy.yaml');
  });

  it('has the same tree oid as HEAD when the working copy is clean', async () => {
    const clean = createTestRepo({ prefix: 'slipway-wc-clean-' });
    try {
      clean.write({ 'a/b.yaml': 'b: 1\n', 'c.yaml': 'c: 2\n', '.gitignore': 'tmp/\n' });
      clean.symlink('a/link', 'b.yaml');
      clean.commit('clean');
      clean.write({ 'tmp/ignored.yaml': 'x\n' });
      const r = await openRepository(clean.dir);
      try {
        const wc = await r.snapshot(await r.resolve(WORKING_COPY), '');
        const head = await r.snapshot(await r.resolve('HEAD'), '');
        expect(wc.treeOid).toBe(head.treeOid);
        expect(wc.files).toEqual(head.files);
        expect((await r.snapshot(await r.resolve(WORKING_COPY), 'a')).treeOid).toBe(clean.git('rev-parse', 'HEAD:a'));
      } finally {
        await r.close();
      }
    } finally {
      clean.cleanup();
    }
  });

  it('reads from disk when the cache does not hold the content, and refuses a file that changed since the snapshot', async () => {
    const r = await openRepository(t.dir, { cache: new GitCache({ maxBlobBytes: 0 }) });
    try {
      const snap: Snapshot = await r.snapshot(await r.resolve(WORKING_COPY), 'apps/web');
      const file = snap.files.find((f) => f.path === 'apps/web/new.yaml')!;
      expect(new TextDecoder().decode(await r.readFile(snap, file))).toBe('kind: New\n');
      writeFileSync(join(t.dir, 'apps/web/new.yaml'), 'kind: Changed\n');
      const err = await rejection(r.readFile(snap, file));
      expect(err.code).toBe('working-copy-changed');
      expect(err.message).toContain('apps/web/new.yaml');
    } finally {
      writeFileSync(join(t.dir, 'apps/web/new.yaml'), 'kind: New\n');
      await r.close();
    }
  });

  it.each([
    ['a missing path', 'apps/nope'],
    ['an ignored folder', 'build'],
    ['a nested path under a file', 'apps/web/deploy.yaml/x'],
  ])('refuses %s with path-not-found', async (_what, path) => {
    const err = await rejection(repo.snapshot(await repo.resolve(WORKING_COPY), path));
    expect(err.code).toBe('path-not-found');
    expect(err.message).toContain(path);
  });

  it('never follows a symlinked folder out of the work tree', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'slipway-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), 'outside\n');
    t.symlink('escape', outside);
    try {
      const err = await rejection(repo.snapshot(await repo.resolve(WORKING_COPY), 'escape/secret.yaml'));
      expect(err.code).toBe('path-not-found');
      const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), 'escape');
      expect(snap.files).toEqual([expect.objectContaining({ path: 'escape', mode: 'symlink' })]);
    } finally {
      rmSync(join(t.dir, 'escape'));
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('skips a nested repository (its files belong to another repository)', async () => {
    t.write({ 'nested/file.yaml': 'inside a nested repository\n' });
    execFileSync('git', ['init', '-q', join(t.dir, 'nested')]);
    try {
      const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), '');
      expect(snap.files.filter((f) => f.path.startsWith('nested'))).toEqual([]);
      expect(snap.files.length).toBeGreaterThan(5);
    } finally {
      rmSync(join(t.dir, 'nested'), { recursive: true, force: true });
    }
  });

  it('snapshots an empty folder as the empty tree', async () => {
    const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), 'empty-dir');
    expect(snap.files).toEqual([]);
    expect(snap.treeOid).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });

  it('refuses the working copy of a bare repository', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'slipway-bare-'));
    try {
      execFileSync('git', ['clone', '-q', '--bare', t.dir, join(bare, 'r.git')]);
      const r = await openRepository(join(bare, 'r.git'));
      try {
        expect(r.dir).toContain('r.git');
        expect((await rejection(r.resolve(WORKING_COPY))).code).toBe('no-working-copy');
        expect((await r.resolve('main')).kind).toBe('commit');
      } finally {
        await r.close();
      }
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('index file parsing', () => {
  it.each(['2', '3', '4'])('reads the paths of a version %s index exactly as git ls-files lists them', (version) => {
    const r = createTestRepo({ prefix: 'slipway-index-' });
    try {
      r.write({ 'a.yaml': '1', 'dir/b.yaml': '2', 'dir/sub/c.yaml': '3', 'dir/sub/ç-unicode.yaml': '4', [`zzz/long-name-${'x'.repeat(80)}.yaml`]: '5' });
      r.commit('files');
      r.git('update-index', '--index-version', version);
      if (version === '3') r.git('update-index', '--skip-worktree', 'a.yaml'); // an extended flag: 2 more bytes in that entry
      const expected = r.git('-c', 'core.quotepath=off', 'ls-files').split('\n');
      const index = execFileSync('cat', [join(r.dir, '.git', 'index')]);
      expect(index.readUInt32BE(4)).toBe(Number(version));
      expect([...parseIndexPaths(index)].sort()).toEqual(expected.sort());
    } finally {
      r.cleanup();
    }
  });

  it('refuses something that is not an index', () => {
    expect(() => parseIndexPaths(Buffer.from('not an index at all'))).toThrow(/DIRC/);
  });
});

describe('the fixture itself', () => {
  it('has the states the tests rely on (ignored files on disk, a deleted tracked file)', () => {
    expect(existsSync(join(t.dir, 'build/out.yaml'))).toBe(true);
    expect(existsSync(join(t.dir, 'README.md'))).toBe(false);
    expect(lstatSync(join(t.dir, 'apps/web/link.yaml')).isSymbolicLink()).toBe(true);
  });
});
