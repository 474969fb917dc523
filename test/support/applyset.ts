/** The ApplySet parent Slipway gives an app of a test repository: named after the repository's first commit and the app. */
import type { Repository } from '../../core/git/types.js';
import { parentForApp, type ApplySetParent } from '../../core/model/applyset.js';
import { appIdentity } from '../../core/source/identity.js';

export async function appParent(repo: Repository, app: { name: string; path: string; namespace: string; folder?: boolean }, rev = 'HEAD'): Promise<ApplySetParent> {
  const identity = await appIdentity(repo, await repo.resolve(rev), { name: app.name, path: app.path, origin: { kind: app.folder ? 'folder' : 'slipway.yaml' } });
  return parentForApp({ name: app.name, namespace: app.namespace, identity });
}
