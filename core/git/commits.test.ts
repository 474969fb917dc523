/**
 * What core/git/commits.ts keeps between plans: outputs fixed by full commit oids (the log of a
 * commit, its blame, whether it contains another) are answered again without git; a revision given
 * by name is asked of git every time, as the branch may have moved since.
 */
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { blameLines, isAncestor, logOfPaths } from './commits.js';

describe('outputs kept by commit oid', () => {
  let fixture: TestRepo;
  let first: string;
  let second: string;

  beforeAll(() => {
    fixture = createTestRepo({ prefix: 'slipway-commits-' });
    fixture.write({ 'app/a.yaml': 'a: 1\n' });
    first = fixture.commit('first');
    fixture.write({ 'app/a.yaml': 'a: 2\n' });
    second = fixture.commit('second');
  });
  afterAll(() => fixture.cleanup());

  it('answers the log, blame and ancestry of commits read before without git, and asks git again for a name', async () => {
    const log = await logOfPaths(fixture.dir, { head: second, base: first, paths: ['app'], limit: 10 });
    const blame = await blameLines(fixture.dir, { rev: second, file: 'app/a.yaml', lines: [1] });
    expect(log.commits.map((c) => c.subject)).toEqual(['second']);
    expect(blame.get(1)?.oid).toBe(second);
    expect(await isAncestor(fixture.dir, first, second)).toBe(true);

    // The repository is gone: what commit oids fix is still answered, a name is not.
    renameSync(join(fixture.dir, '.git'), join(fixture.dir, '.git-away'));
    try {
      expect(await logOfPaths(fixture.dir, { head: second, base: first, paths: ['app'], limit: 10 })).toEqual(log);
      expect(await blameLines(fixture.dir, { rev: second, file: 'app/a.yaml', lines: [1] })).toEqual(blame);
      expect(await isAncestor(fixture.dir, first, second)).toBe(true);
      await expect(logOfPaths(fixture.dir, { head: 'main', paths: ['app'], limit: 10 })).rejects.toThrow(/git log failed/);
    } finally {
      renameSync(join(fixture.dir, '.git-away'), join(fixture.dir, '.git'));
    }
  });
});
