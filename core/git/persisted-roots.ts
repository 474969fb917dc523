/**
 * Root commits in the process's disk cache: the root a commit's first-parent history ends at is
 * fixed by its oid (each commit names its parents), so one walk of a long history — 20,000 commits
 * take ~1.7 s through git cat-file — serves every later process. Recorded for the commit a walk
 * started at and for the commits on its way whose oid starts with "00" (one in 256, wherever a
 * walk starts). A later walk asks the disk at each of its first 256 steps (a commit planned
 * before, a few commits back, is the usual case), then only at those checkpoints: one query per
 * step of a 20,000-commit walk would add a tenth to it.
 */
import { diskCache } from '../disk-cache/process.js';
import { isFullOid } from './objects.js';

export const ROOTS_NAMESPACE = 'git-root/1';

/** Whether a walk records this commit's root on disk (besides its start). */
export function isRootCheckpoint(oid: string): boolean {
  return oid.startsWith('00');
}

/** Whether a walk asks the disk at its `step`-th commit. */
export function asksDisk(step: number, oid: string): boolean {
  return step < 256 || isRootCheckpoint(oid);
}

export function persistedRoot(oid: string): string | undefined {
  const disk = diskCache();
  const root = disk?.get(ROOTS_NAMESPACE, oid);
  if (root === undefined || isFullOid(root)) return root;
  disk!.drop(ROOTS_NAMESPACE, [oid]);
  return undefined;
}

export function persistRoots(commits: Iterable<string>, root: string): void {
  diskCache()?.putMany(ROOTS_NAMESPACE, [...commits].map((oid) => [oid, root] as const));
}
