/**
 * The promise Slipway makes about a user's repository: reading it never changes it. Every
 * operation, with each backend, on a work tree that is dirty in the ways that tempt Git tools to
 * write (modified, untracked and stat-dirty files), leaves `.git` (index included) and the work
 * tree byte-for-byte and timestamp-for-timestamp as they were.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import type { BackendKind } from './backend.js';
import { GitCache } from './cache.js';
import { ReadOnlyViolation, readOnlyFs } from './readonly-fs.js';
import { openRepository } from './repository.js';
import { WORKING_COPY, type Repository } from './types.js';

/** path → "size mtime sha1" for every file under dir, .git included. */
function fingerprint(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      const st = lstatSync(join(dir, path));
      if (e.isDirectory()) {
        out.set(`${path}/`, `${st.mode}`);
        walk(path);
      } else {
        const content = e.isSymbolicLink() ? Buffer.from(readlinkSync(join(dir, path))) : readFileSync(join(dir, path));
        out.set(path, `${st.mode} ${st.size} ${st.mtimeMs} ${createHash('sha1').update(content).digest('hex')}`);
      }
    }
  };
  walk('');
  return out;
}

/** Everything a caller can do with a Repository. */
async function exercise(repo: Repository): Promise<void> {
  await repo.listRefs();
  for (const rev of ['HEAD', 'main', 'v1', 'feature', 'HEAD~1', WORKING_COPY]) await repo.resolve(rev);
  let page = await repo.log({ limit: 1 });
  while (page.next) page = await repo.log({ limit: 1, after: page.next });
  await repo.log({ path: 'apps/web' });
  for (const rev of ['HEAD', 'v1', WORKING_COPY]) {
    for (const path of ['', 'apps', 'apps/web']) {
      const snap = await repo.snapshot(await repo.resolve(rev), path);
      for (const f of snap.files) await repo.readFile(snap, f);
    }
  }
  await repo.snapshot(await repo.resolve(WORKING_COPY), 'apps/web/deploy.yaml');
  await repo.close();
}

let t: TestRepo;
beforeAll(() => {
  t = createTestRepo({ prefix: 'slipway-untouched-' });
  t.write({ 'apps/web/deploy.yaml': 'replicas: 1\n', 'apps/web/service.yaml': 'kind: Service\n', '.gitignore': '*.log\n', 'README.md': 'hi\n' });
  t.commit('one');
  t.tag('v1', { message: 'first' });
  t.git('branch', 'feature');
  t.write({ 'apps/web/deploy.yaml': 'replicas: 2\n' });
  t.commit('two');
  // Dirty in every way: modified, untracked, ignored, and stat-dirty (same content, new mtime).
  t.write({ 'apps/web/deploy.yaml': 'replicas: 3\n', 'apps/web/new.yaml': 'new\n', 'debug.log': 'ignored\n' });
  const future = new Date(Date.now() + 60_000);
  utimesSync(join(t.dir, 'README.md'), future, future);
  utimesSync(join(t.dir, 'apps/web/service.yaml'), future, future);
});
afterAll(() => t.cleanup());

describe.each<BackendKind>(['isomorphic-git', 'git-cli'])('with the %s backend', (backend) => {
  it('changes nothing in .git (the index included) or the work tree, whatever is read', async () => {
    const before = fingerprint(t.dir);
    const index = readFileSync(join(t.dir, '.git', 'index'));
    await exercise(await openRepository(join(t.dir, 'apps'), { backend, cache: new GitCache() }));
    expect(readFileSync(join(t.dir, '.git', 'index')).equals(index)).toBe(true);
    expect(fingerprint(t.dir)).toEqual(before);
  });
});

describe('the guard itself', () => {
  it('would notice an index refresh: `git status` rewrites the index of this work tree', () => {
    const scratch = createTestRepo({ prefix: 'slipway-untouched-probe-' });
    try {
      scratch.write({ 'a.yaml': 'a\n' });
      scratch.commit('a');
      const future = new Date(Date.now() + 60_000);
      utimesSync(join(scratch.dir, 'a.yaml'), future, future);
      const before = fingerprint(scratch.dir);
      execFileSync('git', ['status', '--porcelain'], { cwd: scratch.dir });
      expect(fingerprint(scratch.dir)).not.toEqual(before);
    } finally {
      scratch.cleanup();
    }
  });

  it.each(['writeFile', 'mkdir', 'unlink', 'rmdir', 'rm', 'symlink'] as const)('the fs given to isomorphic-git refuses %s', async (op) => {
    await expect(readOnlyFs.promises[op]('/tmp/slipway-never-written')).rejects.toBeInstanceOf(ReadOnlyViolation);
  });
});
