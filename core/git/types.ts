/**
 * Git domain types: Revisions, refs, log pages, and Snapshots (the files of one path of the
 * repository at one revision, read without checkout).
 */

/** The pseudo-revision for uncommitted files. A colon is not allowed in Git ref names, so it never clashes with a branch or tag. */
export const WORKING_COPY = ':working';

export interface Signature {
  readonly name: string;
  readonly email: string;
  /** ISO 8601, UTC. */
  readonly time: string;
}

export interface CommitRevision {
  readonly kind: 'commit';
  readonly oid: string;
  readonly shortOid: string;
  /** Ref names (short form: "main", "origin/main", "v1.2.0") that point at this commit. */
  readonly refs: readonly string[];
  readonly subject: string;
  readonly message: string;
  readonly author: Signature;
}

export interface WorkingCopyRevision {
  readonly kind: 'working-copy';
  /** The commit HEAD points at, if any (a fresh repository has none). */
  readonly head?: string;
}

export type Revision = CommitRevision | WorkingCopyRevision;

export type RefKind = 'branch' | 'remote-branch' | 'tag';

export interface RefInfo {
  readonly kind: RefKind;
  /** Short name: "main", "origin/main", "v1.0.0". */
  readonly name: string;
  /** Full name: "refs/heads/main". */
  readonly fullName: string;
  /** The commit it points at (annotated tags are peeled). */
  readonly oid: string;
  /** True for the branch HEAD points at. */
  readonly current?: boolean;
}

export interface LogEntry {
  readonly oid: string;
  readonly shortOid: string;
  readonly subject: string;
  readonly author: Signature;
}

export interface LogPage {
  readonly entries: readonly LogEntry[];
  /** Pass as `after` to get the next page; absent on the last page. */
  readonly next?: string;
}

export type FileMode = 'file' | 'executable' | 'symlink';

export interface SnapshotFile {
  /** Relative to the repository root, "/" separators. */
  readonly path: string;
  /** Git blob oid (for the working copy: the oid Git would give the file's content). */
  readonly oid: string;
  readonly mode: FileMode;
}

/** The files under one path of the repository at one revision. Never touches the working tree for commits. */
export interface Snapshot {
  readonly revision: Revision;
  /** Repository-relative path of the folder read ("" for the whole repository). */
  readonly root: string;
  /** Git tree oid of `root` at the revision (for the working copy: a hash over the listing), a cache key. */
  readonly treeOid: string;
  /** Every blob under root, recursively, sorted by path. */
  readonly files: readonly SnapshotFile[];
}

export interface Repository {
  /** Absolute path of the repository's top-level folder (the work tree; for bare clones, the git dir). */
  readonly dir: string;
  /** Resolves a branch, tag, full or short oid, "HEAD", or WORKING_COPY. Unknown → SlipwayError code "unknown-revision". */
  resolve(rev: string): Promise<Revision>;
  listRefs(): Promise<readonly RefInfo[]>;
  /** Newest first, starting at `rev` (default HEAD); `path` keeps only commits that change it. */
  log(opts?: { rev?: string; path?: string; limit?: number; after?: string }): Promise<LogPage>;
  /** The files under `path` at `revision`. */
  snapshot(revision: Revision, path: string): Promise<Snapshot>;
  /** The content of one file of a snapshot (by blob oid; for the working copy, from disk). */
  readFile(snapshot: Snapshot, file: SnapshotFile): Promise<Uint8Array>;
  /**
   * The first commit on the first-parent line behind `revision` (for the working copy: behind HEAD;
   * undefined when there is no commit yet). Throws "shallow-repository" when the clone stops before it.
   */
  rootCommit(revision: Revision): Promise<string | undefined>;
  /** Whether the repository holds this commit. */
  hasCommit(oid: string): Promise<boolean>;
  /** Stops helper processes (the git CLI backend's `git cat-file --batch`). Safe to call twice; later reads start them again. */
  close(): Promise<void>;
}
