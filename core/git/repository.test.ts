import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { SlipwayError } from '../model/diagnostics.js';
import type { BackendKind } from './backend.js';
import { GitCache } from './cache.js';
import { openRepository, suggestRefNames, type GitRepository } from './repository.js';
import { WORKING_COPY, type CommitRevision, type SnapshotFile } from './types.js';

const backends: BackendKind[] = ['isomorphic-git', 'git-cli'];

/** The fixture: two branches with a merge, tags (lightweight and annotated), a remote-tracking branch, an executable and a symlink. */
interface Fixture {
  repo: TestRepo;
  c: { initial: string; scale: string; config: string; feature: string; remove: string; merge: string };
}

function buildFixture(): Fixture {
  const repo = createTestRepo({ prefix: 'slipway-git-fixture-' });
  repo.write({
    'README.md': '# demo\n',
    'apps/web/deploy.yaml': 'kind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n',
    'apps/web/service.yaml': 'kind: Service\nmetadata: {name: web}\n',
    'apps/api/deploy.yaml': 'kind: Deployment\nmetadata: {name: api}\n',
    'scripts/run.sh': '#!/bin/sh\necho hi\n',
    'a-b.txt': 'sorts before a/\n',
  });
  chmodSync(join(repo.dir, 'scripts/run.sh'), 0o755);
  repo.symlink('link.yaml', 'apps/web/deploy.yaml');
  const initial = repo.commit('Initial commit\n\nWith a body line.');
  repo.tag('v1.0.0');
  repo.write({ 'apps/web/deploy.yaml': 'kind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n' });
  const scale = repo.commit('Scale web to 3');
  repo.tag('v1.1.0', { message: 'Release 1.1.0' });
  repo.write({ 'apps/api/config.yaml': 'kind: ConfigMap\nmetadata: {name: api}\n' });
  const config = repo.commit('Add api config');
  repo.git('update-ref', 'refs/remotes/origin/main', config);
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write({ 'apps/new/app.yaml': 'kind: ConfigMap\nmetadata: {name: new}\n' });
  const feature = repo.commit('Feature: new app');
  repo.git('checkout', '-q', 'main');
  repo.write({ 'apps/web/service.yaml': null });
  const remove = repo.commit('Remove web service');
  const merge = repo.merge('feature', 'Merge feature');
  return { repo, c: { initial, scale, config, feature, remove, merge } };
}

/** What git itself lists under a path at a revision: the oracle for snapshots. */
function gitListing(repo: TestRepo, rev: string, path: string): SnapshotFile[] {
  const out = execFileSync('git', ['ls-tree', '-r', '-z', rev, '--', ...(path ? [path] : [])], { cwd: repo.dir, encoding: 'utf8' });
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, p] = line.split('\t') as [string, string];
      const [mode, , oid] = meta.split(' ') as [string, string, string];
      return { path: p, oid, mode: mode === '100755' ? 'executable' : mode === '120000' ? 'symlink' : 'file' } as const;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function rejection(p: Promise<unknown>): Promise<SlipwayError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SlipwayError) return err;
    throw err;
  }
  throw new Error('expected a SlipwayError, but the promise resolved');
}

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture();
});
afterAll(() => fx.repo.cleanup());

describe.each(backends)('Repository with the %s backend', (backend) => {
  let repo: GitRepository;
  beforeAll(async () => {
    repo = await openRepository(join(fx.repo.dir, 'apps', 'web'), { backend, cache: new GitCache() });
  });
  afterAll(() => repo.close());

  it('opens from a folder inside the work tree, at the top level, with the asked backend', () => {
    expect(repo.dir).toBe(realpathSync(fx.repo.dir));
    expect(repo.backendKind).toBe(backend);
  });

  it('lists branches, remote-tracking branches and tags (annotated tags peeled), marking the current branch', async () => {
    expect(await repo.listRefs()).toEqual([
      { kind: 'branch', name: 'feature', fullName: 'refs/heads/feature', oid: fx.c.feature },
      { kind: 'branch', name: 'main', fullName: 'refs/heads/main', oid: fx.c.merge, current: true },
      { kind: 'remote-branch', name: 'origin/main', fullName: 'refs/remotes/origin/main', oid: fx.c.config },
      { kind: 'tag', name: 'v1.0.0', fullName: 'refs/tags/v1.0.0', oid: fx.c.initial },
      { kind: 'tag', name: 'v1.1.0', fullName: 'refs/tags/v1.1.0', oid: fx.c.scale },
    ]);
  });

  it('reads packed refs (packed-refs, with peeled annotated tags) the same as loose refs', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'slipway-packed-'));
    try {
      cpSync(fx.repo.dir, copy, { recursive: true, verbatimSymlinks: true });
      execFileSync('git', ['pack-refs', '--all'], { cwd: copy });
      expect(readFileSync(join(copy, '.git', 'packed-refs'), 'utf8')).toMatch(/^\^[0-9a-f]{40}$/m);
      const packed = await openRepository(copy, { backend });
      try {
        expect(await packed.listRefs()).toEqual(await repo.listRefs());
        expect(await packed.resolve('v1.1.0')).toEqual(await repo.resolve('v1.1.0'));
      } finally {
        await packed.close();
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it.each(['main', 'feature', 'origin/main', 'v1.0.0', 'v1.1.0', 'HEAD', 'HEAD~1', 'HEAD^2', 'main~3', 'v1.1.0^', 'refs/heads/feature', 'v1.1.0^{commit}'])(
    'resolves %s to the commit git rev-parse names',
    async (rev) => {
      const r = await repo.resolve(rev);
      expect(r.kind).toBe('commit');
      expect((r as CommitRevision).oid).toBe(fx.repo.git('rev-parse', `${rev}^{commit}`));
    },
  );

  it.each([
    ['full oid', () => fx.c.scale],
    ['short oid', () => fx.c.scale.slice(0, 7)],
    ['upper-case short oid', () => fx.c.scale.slice(0, 10).toUpperCase()],
  ])('resolves a %s', async (_name, rev) => {
    expect(await repo.resolve(rev())).toMatchObject({ kind: 'commit', oid: fx.c.scale });
  });

  it('fills a CommitRevision: refs at the commit, subject, message, author', async () => {
    expect(await repo.resolve('v1.0.0')).toEqual({
      kind: 'commit',
      oid: fx.c.initial,
      shortOid: fx.c.initial.slice(0, 7),
      refs: ['v1.0.0'],
      subject: 'Initial commit',
      message: 'Initial commit\n\nWith a body line.\n',
      author: { name: 'Ada Lovelace', email: 'ada@example.com', time: new Date(Number(fx.repo.git('log', '-1', '--format=%at', fx.c.initial)) * 1000).toISOString() },
    });
    expect(((await repo.resolve('origin/main')) as CommitRevision).refs).toEqual(['origin/main']);
    expect(((await repo.resolve('HEAD')) as CommitRevision).refs).toEqual(['main']);
  });

  it('resolves WORKING_COPY to the working copy on top of HEAD', async () => {
    expect(await repo.resolve(WORKING_COPY)).toEqual({ kind: 'working-copy', head: fx.c.merge });
  });

  it.each([
    ['mian', ['"main"']],
    ['featrue', ['"feature"']],
    ['v1.1', ['"v1.1.0"']],
    ['no-such-thing-at-all', []],
  ])('refuses the unknown revision %s, naming it and suggesting %j', async (rev, suggestions) => {
    const err = await rejection(repo.resolve(rev));
    expect(err.code).toBe('unknown-revision');
    expect(err.message).toContain(`"${rev}"`);
    expect(err.message).toContain(repo.dir);
    for (const s of suggestions) expect(err.message).toContain(s);
    if (suggestions.length === 0) expect(err.message).not.toContain('Did you mean');
  });

  it.each(['HEAD~20', `${'0'.repeat(40)}`, 'deadbeef', 'main^3'])('refuses %s with unknown-revision', async (rev) => {
    expect((await rejection(repo.resolve(rev))).code).toBe('unknown-revision');
  });

  it('refuses a name that points at a tree, not a commit', async () => {
    const tree = fx.repo.git('rev-parse', 'HEAD^{tree}');
    const err = await rejection(repo.resolve(tree));
    expect(err.code).toBe('unknown-revision');
    expect(err.message).toContain('tree');
  });

  it('logs newest first, like git log', async () => {
    const page = await repo.log();
    expect(page.entries.map((e) => e.oid)).toEqual(fx.repo.git('log', '--format=%H').split('\n'));
    expect(page.next).toBeUndefined();
    expect(page.entries[0]).toEqual({
      oid: fx.c.merge,
      shortOid: fx.c.merge.slice(0, 7),
      subject: 'Merge feature',
      author: { name: 'Ada Lovelace', email: 'ada@example.com', time: expect.stringMatching(/^2026-/) },
    });
  });

  it.each([1, 2, 4])('pages through the log %i at a time with the next cursor', async (limit) => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await repo.log({ rev: 'main', limit, ...(after ? { after } : {}) });
      expect(page.entries.length).toBeLessThanOrEqual(limit);
      seen.push(...page.entries.map((e) => e.oid));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(fx.repo.git('log', '--format=%H', 'main').split('\n'));
  });

  it('pages with a cursor in a fresh Repository instance (the cursor is only a commit id)', async () => {
    const first = await repo.log({ limit: 2 });
    const other = await openRepository(fx.repo.dir, { backend });
    try {
      const second = await other.log({ limit: 2, ...(first.next ? { after: first.next } : {}) });
      expect(second.entries.map((e) => e.oid)).toEqual(fx.repo.git('log', '--format=%H', '--skip=2', '-2').split('\n'));
    } finally {
      await other.close();
    }
  });

  it.each(['apps/web', 'apps/web/service.yaml', 'apps/new', 'apps', 'scripts/run.sh', 'apps/api/config.yaml'])('logs only commits that change %s, like git log -- path', async (path) => {
    const page = await repo.log({ path });
    expect(page.entries.map((e) => e.oid)).toEqual(fx.repo.git('log', '--format=%H', '--', path).split('\n'));
  });

  it('refuses a log cursor that is not in the history', async () => {
    const err = await rejection(repo.log({ rev: 'v1.0.0', after: fx.c.merge }));
    expect(err.code).toBe('unknown-revision');
    expect(err.message).toContain(fx.c.merge);
  });

  it.each(['', 'apps', 'apps/web', 'scripts'])('snapshots "%s" exactly as git ls-tree lists it, with the tree oid', async (path) => {
    const rev = await repo.resolve('main');
    const snap = await repo.snapshot(rev, path);
    expect(snap.root).toBe(path);
    expect(snap.files).toEqual(gitListing(fx.repo, 'main', path));
    expect(snap.treeOid).toBe(fx.repo.git('rev-parse', `main:${path}`));
  });

  it('gives modes: executable, symlink, file', async () => {
    const snap = await repo.snapshot(await repo.resolve('main'), '');
    const mode = (p: string): string | undefined => snap.files.find((f) => f.path === p)?.mode;
    expect([mode('scripts/run.sh'), mode('link.yaml'), mode('README.md')]).toEqual(['executable', 'symlink', 'file']);
  });

  it('snapshots an older revision without touching the work tree', async () => {
    const snap = await repo.snapshot(await repo.resolve('v1.0.0'), 'apps/web');
    expect(snap.files.map((f) => f.path)).toEqual(['apps/web/deploy.yaml', 'apps/web/service.yaml']);
    const content = new TextDecoder().decode(await repo.readFile(snap, snap.files[0]!));
    expect(content).toContain('replicas: 1');
  });

  it.each([
    ['./apps/web/', 'apps/web'],
    ['apps//web', 'apps/web'],
    ['apps/api/../web', 'apps/web'],
    ['.', ''],
  ])('normalizes the path %j to %j', async (input, root) => {
    const snap = await repo.snapshot(await repo.resolve('main'), input);
    expect(snap.root).toBe(root);
    expect(snap.treeOid).toBe(fx.repo.git('rev-parse', `main:${root}`));
  });

  it.each(['../outside', 'apps/../../x', '/etc', '.git/config'])('refuses the path %j', async (path) => {
    const err = await rejection(repo.snapshot(await repo.resolve('main'), path));
    expect(err.code).toBe('invalid-path');
  });

  it('refuses a path that is not in the revision, naming path and revision', async () => {
    const err = await rejection(repo.snapshot(await repo.resolve('v1.0.0'), 'apps/new'));
    expect(err.code).toBe('path-not-found');
    expect(err.message).toContain('apps/new');
    expect(err.message).toContain(fx.c.initial.slice(0, 7));
    expect(err.message).toContain('v1.0.0');
  });

  it('snapshots a single file', async () => {
    const snap = await repo.snapshot(await repo.resolve('main'), 'apps/web/deploy.yaml');
    expect(snap.files).toEqual(gitListing(fx.repo, 'main', 'apps/web/deploy.yaml'));
    expect(snap.treeOid).toBe(snap.files[0]?.oid);
  });

  it('reads every file of a snapshot exactly as git cat-file does; a symlink reads as its target', async () => {
    const snap = await repo.snapshot(await repo.resolve('main'), '');
    const contents = await Promise.all(snap.files.map((f) => repo.readFile(snap, f)));
    snap.files.forEach((f, i) => {
      const expected = execFileSync('git', ['cat-file', 'blob', f.oid], { cwd: fx.repo.dir });
      expect(Buffer.from(contents[i]!).equals(expected), f.path).toBe(true);
    });
    const link = snap.files.findIndex((f) => f.path === 'link.yaml');
    expect(new TextDecoder().decode(contents[link])).toBe('apps/web/deploy.yaml');
  });

  it('reopens its helper process after close()', async () => {
    const snap = await repo.snapshot(await repo.resolve('main'), 'apps/api');
    await repo.close();
    const cold = await openRepository(fx.repo.dir, { backend, cache: new GitCache() });
    try {
      await cold.close();
      const again = await cold.snapshot(await cold.resolve('main'), 'apps/api');
      expect(again.files).toEqual(snap.files);
    } finally {
      await cold.close();
    }
  });
});

describe.each(backends)('errors that name the thing (%s backend)', (backend) => {
  it('refuses a folder that is not in a repository, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-not-a-repo-'));
    try {
      const err = await rejection(openRepository(dir, { backend }));
      expect(err.code).toBe('not-a-repository');
      expect(err.message).toContain(dir);
      const missing = await rejection(openRepository(join(dir, 'nope'), { backend }));
      expect(missing.code).toBe('not-a-repository');
      expect(missing.message).toContain(join(dir, 'nope'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing object as corrupt-repository, naming the oid and the repository', async () => {
    const t = createTestRepo({ prefix: 'slipway-corrupt-' });
    try {
      t.write({ 'a/one.yaml': 'one: 1\n', 'a/two.yaml': 'two: 2\n', 'b/three.yaml': 'three: 3\n' });
      t.commit('one');
      const blob = t.git('rev-parse', 'HEAD:a/two.yaml');
      const tree = t.git('rev-parse', 'HEAD:a');
      const repo = await openRepository(t.dir, { backend, cache: new GitCache() });
      try {
        unlinkSync(join(t.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
        const snap = await repo.snapshot(await repo.resolve('HEAD'), 'a');
        const file = snap.files.find((f) => f.oid === blob)!;
        const err = await rejection(repo.readFile(snap, file));
        expect(err.code).toBe('corrupt-repository');
        expect(err.message).toContain(blob);
        expect(err.message).toContain(repo.dir);

        unlinkSync(join(t.dir, '.git', 'objects', tree.slice(0, 2), tree.slice(2)));
        const fresh = await openRepository(t.dir, { backend, cache: new GitCache() });
        try {
          const treeErr = await rejection(fresh.snapshot(await fresh.resolve('HEAD'), 'a'));
          expect(treeErr.code).toBe('corrupt-repository');
          expect(treeErr.message).toContain(tree);
          // The backend still works after the failure.
          const b = await fresh.snapshot(await fresh.resolve('HEAD'), 'b');
          expect(new TextDecoder().decode(await fresh.readFile(b, b.files[0]!))).toBe('three: 3\n');
        } finally {
          await fresh.close();
        }
      } finally {
        await repo.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it('reports an unreadable (damaged) object as corrupt-repository and keeps working afterwards', async () => {
    const t = createTestRepo({ prefix: 'slipway-damaged-' });
    try {
      t.write({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 2\n' });
      t.commit('two files');
      const blob = t.git('rev-parse', 'HEAD:a.yaml');
      const objectFile = join(t.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2));
      chmodSync(objectFile, 0o644);
      writeFileSync(objectFile, 'this is not zlib data');
      const repo = await openRepository(t.dir, { backend, cache: new GitCache() });
      try {
        const snap = await repo.snapshot(await repo.resolve('HEAD'), '');
        const [a, b] = snap.files as [SnapshotFile, SnapshotFile];
        const err = await rejection(repo.readFile(snap, a));
        expect(err.code).toBe('corrupt-repository');
        expect(err.message).toContain(blob);
        expect(err.message).toContain(repo.dir);
        expect(new TextDecoder().decode(await repo.readFile(snap, b))).toBe('b: 2\n');
      } finally {
        await repo.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it('reports ambiguous short oids clearly, listing the candidates', async () => {
    // Two blobs whose oids share their first 4 hex digits.
    const byPrefix = new Map<string, string>();
    let pair: [string, string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const content = `value: ${i}\n`;
      const oid = createHash('sha1').update(`blob ${Buffer.byteLength(content)}\0${content}`).digest('hex');
      const other = byPrefix.get(oid.slice(0, 4));
      if (other !== undefined) pair = [oid.slice(0, 4), other, content];
      else byPrefix.set(oid.slice(0, 4), content);
    }
    const [prefix, first, second] = pair;
    const t = createTestRepo({ prefix: 'slipway-ambiguous-' });
    try {
      t.write({ 'one.yaml': first, 'two.yaml': second });
      t.commit('two blobs with a common prefix');
      const repo = await openRepository(t.dir, { backend });
      try {
        const err = await rejection(repo.resolve(prefix));
        expect(err.code).toBe('ambiguous-revision');
        expect(err.message).toContain(t.git('rev-parse', 'HEAD:one.yaml'));
        expect(err.message).toContain(t.git('rev-parse', 'HEAD:two.yaml'));
        expect(err.hint).toContain('more hex digits');
      } finally {
        await repo.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it("finds the first commit on the first-parent line from any commit and the working copy, and knows which commits it has", async () => {
    const repo = await openRepository(fx.repo.dir, { backend, cache: new GitCache() });
    try {
      for (const rev of ['main', 'feature', 'v1.1.0', fx.c.initial]) expect(await repo.rootCommit(await repo.resolve(rev)), rev).toBe(fx.c.initial);
      expect(await repo.rootCommit(await repo.resolve(WORKING_COPY))).toBe(fx.c.initial);
      expect(await repo.hasCommit(fx.c.feature)).toBe(true);
      expect(await repo.hasCommit('0123456789abcdef0123456789abcdef01234567')).toBe(false);
    } finally {
      await repo.close();
    }
  });

  it('opens a shallow clone; history beyond the boundary is a shallow-repository error with the unshallow hint', async () => {
    const clones = mkdtempSync(join(tmpdir(), 'slipway-shallow-'));
    const shallowDir = join(clones, 'shallow');
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', '--no-local', `file://${fx.repo.dir}`, shallowDir], { stdio: 'ignore' });
      const repo = await openRepository(shallowDir, { backend, cache: new GitCache() });
      try {
        const head = await repo.resolve('HEAD');
        expect(head).toMatchObject({ kind: 'commit', oid: fx.c.merge });
        expect((await repo.snapshot(head, 'apps')).files).toEqual(gitListing(fx.repo, 'main', 'apps'));
        const log = await repo.log();
        expect(log.entries.map((e) => e.oid)).toEqual([fx.c.merge]);
        expect(log.next).toBeUndefined();
        for (const rev of ['HEAD~1', 'HEAD^2', fx.c.initial, fx.c.initial.slice(0, 8)]) {
          const err = await rejection(repo.resolve(rev));
          expect(err.code, rev).toBe('shallow-repository');
          expect(err.hint).toBe('git fetch --unshallow');
        }
        // The first commit names an app's ApplySet: a shallow clone cannot know it, and says so.
        const rootErr = await rejection(repo.rootCommit(head));
        expect(rootErr.code).toBe('shallow-repository');
        expect(rootErr.message).toMatch(/names an app's ownership record after the repository's first commit/);
        expect(rootErr.hint).toMatch(/^git fetch --unshallow \(in CI, fetch the whole history/);
        const logErr = await rejection(repo.log({ rev: fx.c.scale }));
        expect(logErr.code).toBe('shallow-repository');
        const readErr = await rejection(repo.snapshot({ ...(head as CommitRevision), oid: fx.c.scale, refs: [] }, ''));
        expect(readErr.code).toBe('shallow-repository');
        expect(readErr.message).toContain(fx.c.scale);
      } finally {
        await repo.close();
      }
    } finally {
      rmSync(clones, { recursive: true, force: true });
    }
  });

  it('handles a repository without commits: empty log, WORKING_COPY without head, HEAD unknown', async () => {
    const t = createTestRepo({ prefix: 'slipway-empty-' });
    try {
      t.write({ 'a.yaml': 'a: 1\n' });
      const repo = await openRepository(t.dir, { backend });
      try {
        expect(await repo.log()).toEqual({ entries: [] });
        expect(await repo.listRefs()).toEqual([]);
        expect(await repo.resolve(WORKING_COPY)).toEqual({ kind: 'working-copy' });
        expect(await repo.rootCommit({ kind: 'working-copy' })).toBeUndefined();
        expect((await rejection(repo.resolve('HEAD'))).code).toBe('unknown-revision');
        const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), '');
        expect(snap.files.map((f) => f.path)).toEqual(['a.yaml']);
      } finally {
        await repo.close();
      }
    } finally {
      t.cleanup();
    }
  });

  it('reads a linked worktree: its own HEAD, the shared objects and refs', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'slipway-wt-'));
    const wt = join(parent, 'feature-wt');
    try {
      fx.repo.git('worktree', 'add', '-q', wt, 'feature');
      const repo = await openRepository(wt, { backend });
      try {
        expect(repo.dir).toBe(realpathSync(wt));
        expect(await repo.resolve('HEAD')).toMatchObject({ oid: fx.c.feature });
        expect(await repo.resolve(WORKING_COPY)).toEqual({ kind: 'working-copy', head: fx.c.feature });
        expect((await repo.listRefs()).find((r) => r.current)?.name).toBe('feature');
        const snap = await repo.snapshot(await repo.resolve(WORKING_COPY), 'apps/new');
        expect(snap.files).toEqual(gitListing(fx.repo, 'feature', 'apps/new'));
      } finally {
        await repo.close();
      }
    } finally {
      fx.repo.git('worktree', 'remove', '--force', wt);
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('suggestRefNames', () => {
  it.each([
    ['mian', ['main', 'feature', 'v1.0.0'], ['main']],
    ['relase', ['release', 'release-2', 'main'], ['release']],
    ['prod', ['env/prod', 'env/staging'], ['env/prod']],
    ['xyz', ['main'], []],
  ])('%s among %j → %j', (input, names, expected) => {
    expect(suggestRefNames(input, names)).toEqual(expected);
  });
});
