import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { describeCommits } from './describe.js';
import { openRepository, type GitRepository } from './repository.js';

describe('describeCommits', () => {
  let repo: TestRepo;
  let git: GitRepository;
  let c: { first: string; second: string };
  beforeAll(async () => {
    repo = createTestRepo({ prefix: 'slipway-describe-' });
    repo.write({ 'a.yaml': 'a: 1\n' });
    const first = repo.commit('storefront: first release');
    repo.tag('v1.9.0');
    repo.tag('v1.10.0', { message: 'annotated' });
    repo.write({ 'a.yaml': 'a: 2\n' });
    const second = repo.commit('storefront: scale up');
    c = { first, second };
    git = await openRepository(repo.dir);
  });
  afterAll(async () => {
    await git?.close();
    repo.cleanup();
  });

  it('names each commit by its tags (annotated ones peeled, newest version first), subject and short id; leaves out commits it does not hold', async () => {
    const unknown = 'f'.repeat(40);
    expect(await describeCommits(git, [c.second, unknown, c.first, c.second])).toEqual([
      { commit: c.second, shortOid: c.second.slice(0, 7), subject: 'storefront: scale up', tags: [], label: `storefront: scale up (${c.second.slice(0, 7)})` },
      { commit: c.first, shortOid: c.first.slice(0, 7), subject: 'storefront: first release', tags: ['v1.10.0', 'v1.9.0'], label: `v1.10.0, v1.9.0 · storefront: first release (${c.first.slice(0, 7)})` },
    ]);
  });
});
