/**
 * An app's identity (core/model/applyset.ts): the repository's first commit and how the app is
 * chosen. Read from the repository at the planned revision.
 */
import type { Repository, Revision } from '../git/types.js';
import type { AppIdentity } from '../model/applyset.js';
import type { App } from './apps.js';
import { selectedByOf } from './load.js';

export async function appIdentity(repo: Repository, revision: Revision, app: Pick<App, 'name' | 'path' | 'origin'>): Promise<AppIdentity> {
  // A repository without any commit yet has nothing shared with clones: its folder stands in until the first commit.
  const root = (await repo.rootCommit(revision)) ?? `dir:${repo.dir}`;
  return { root, selectedBy: selectedByOf(app), app: app.name, path: app.path };
}
