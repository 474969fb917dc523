/** What several commands share: opening the repository named on the command line, cache folders, labels. */
import { join } from 'node:path';
import { openRepository } from '../core/git/repository.js';
import { openRemote } from '../core/git/remote.js';
import type { Repository, Revision } from '../core/git/types.js';
import { userCacheDir } from '../core/paths.js';

export function treesCacheDir(): string {
  return join(userCacheDir(), 'trees');
}

/**
 * A local folder, or an HTTPS URL cloned into the cache. Credentials come from the environment
 * (SLIPWAY_GIT_TOKEN, or SLIPWAY_GIT_USERNAME and SLIPWAY_GIT_PASSWORD), never from flags that
 * end up in shell history.
 */
export async function openRepositoryArg(arg: string): Promise<Repository> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) || /^[\w.-]+@[\w.-]+:/.test(arg)) {
    const env = process.env;
    const auth = env.SLIPWAY_GIT_TOKEN ? { token: env.SLIPWAY_GIT_TOKEN } : env.SLIPWAY_GIT_USERNAME ? { username: env.SLIPWAY_GIT_USERNAME, password: env.SLIPWAY_GIT_PASSWORD ?? '' } : undefined;
    return openRemote(arg, { cacheDir: userCacheDir(), ...(auth && { auth }), onProgress: (m: string) => process.stderr.write(`${m}\n`) });
  }
  return openRepository(arg);
}

export function revisionLabel(revision: Revision): string {
  if (revision.kind === 'working-copy') return 'the working copy';
  const ref = revision.refs[0];
  return `${revision.shortOid}${ref ? ` (${ref})` : ''}`;
}
