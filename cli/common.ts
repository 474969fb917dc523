/**
 * What several commands' implementations share: opening the repository named on the command line,
 * cache folders, labels. The flags they share are defined in cli/commands/options.ts.
 */
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { LoadedKubeconfig } from '../core/kube/kubeconfig.js';
import type { AppSelection } from '../core/source/load.js';
import { openRepository } from '../core/git/repository.js';
import type { Repository, Revision } from '../core/git/types.js';
import { userCacheDir, userDataDir } from '../core/paths.js';
import { useUserDiskCache } from '../core/disk-cache/user-cache.js';

/** The history database: --history, else $SLIPWAY_HISTORY, else the user data folder. */
export function historyPath(flags: { history?: string | false }): string {
  return (typeof flags.history === 'string' ? flags.history : undefined) ?? process.env.SLIPWAY_HISTORY ?? join(userDataDir(), 'history.db');
}

export function treesCacheDir(): string {
  return join(userCacheDir(), 'trees');
}

/**
 * A local folder, or an HTTPS URL cloned into the cache. Credentials come from the environment
 * (SLIPWAY_GIT_TOKEN, or SLIPWAY_GIT_USERNAME and SLIPWAY_GIT_PASSWORD), never from flags that
 * end up in shell history.
 */
export async function openRepositoryArg(arg: string): Promise<Repository> {
  // Every command that reads a repository keeps what a second command would redo (parsed files, tree listings, discovery) in the user's cache folder.
  useUserDiskCache();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) || /^[\w.-]+@[\w.-]+:/.test(arg)) {
    const env = process.env;
    const auth = env.SLIPWAY_GIT_TOKEN ? { token: env.SLIPWAY_GIT_TOKEN } : env.SLIPWAY_GIT_USERNAME ? { username: env.SLIPWAY_GIT_USERNAME, password: env.SLIPWAY_GIT_PASSWORD ?? '' } : undefined;
    // Loaded only for a URL: the clone goes through isomorphic-git, which a local repository never needs.
    const { openRemote } = await import('../core/git/remote.js');
    return openRemote(arg, { cacheDir: userCacheDir(), ...(auth && { auth }), onProgress: (m: string) => process.stderr.write(`${m}\n`) });
  }
  return openRepository(arg);
}

export function revisionLabel(revision: Revision): string {
  if (revision.kind === 'working-copy') return 'the working copy';
  const ref = revision.refs[0];
  return `${revision.shortOid}${ref ? ` (${ref})` : ''}`;
}

/** --app or --path, as an AppSelection. */
export function selectionOf(flags: { app?: string; path?: string }): AppSelection {
  return { ...(flags.app !== undefined && { app: flags.app }), ...(flags.path !== undefined && { path: flags.path }) };
}

/** The context to use: the flag, else the kubeconfig's current context. */
export function contextOf(kubeconfig: LoadedKubeconfig, flag: string | undefined): string {
  const context = flag ?? kubeconfig.currentContext;
  if (!context) throw new InvalidArgumentError('no context given and the kubeconfig has no current context: use --context');
  return context;
}
