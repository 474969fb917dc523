/** Commits by id as a view names them: their tags, subject and label (label.ts), for the commits a screen shows. */
import { SlipwayError } from '../model/diagnostics.js';
import { orderTags, revisionLabel } from './label.js';
import type { Repository } from './types.js';

export interface DescribedRevision {
  readonly commit: string;
  readonly shortOid: string;
  readonly subject: string;
  readonly tags: readonly string[];
  /** "v1.2.0 · storefront: scale up (3f2a9c1)". */
  readonly label: string;
}

/** Each commit the repository holds, in the order asked; commits it does not hold (another repository's) are left out. */
export async function describeCommits(repo: Repository, commits: readonly string[]): Promise<DescribedRevision[]> {
  const tagsOf = new Map<string, string[]>();
  for (const r of await repo.listRefs()) if (r.kind === 'tag') tagsOf.set(r.oid, [...(tagsOf.get(r.oid) ?? []), r.name]);
  const out: DescribedRevision[] = [];
  for (const commit of new Set(commits)) {
    if (!(await repo.hasCommit(commit))) continue;
    const revision = await repo.resolve(commit).catch((e: unknown) => {
      if (e instanceof SlipwayError && e.code === 'unknown-revision') return undefined;
      throw e;
    });
    if (revision?.kind !== 'commit') continue;
    const tags = orderTags(tagsOf.get(revision.oid) ?? []);
    out.push({ commit: revision.oid, shortOid: revision.shortOid, subject: revision.subject, tags, label: revisionLabel({ shortOid: revision.shortOid, subject: revision.subject, tags }) });
  }
  return out;
}
