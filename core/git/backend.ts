/**
 * The hot path of reading a revision — listing trees and reading many blobs — goes through an
 * ObjectBackend. Two implement it: isomorphic-git (always available) and the git CLI (one
 * long-lived `git cat-file --batch`, and `git ls-tree -r` for whole subtrees), when it is on PATH.
 * Backends only fetch raw objects; parsing is shared (objects.ts), so both mean the same thing.
 */
import { execFile } from 'node:child_process';
import type { RawObject, ObjectType } from './objects.js';
import { gitExecutableKey, persistedGitVersion, persistGitVersion } from './persisted-git-version.js';

export type BackendKind = 'isomorphic-git' | 'git-cli';
export type BackendChoice = 'auto' | BackendKind;

/** One line of a recursive listing: a blob, a subtree, or a submodule, with its path relative to the listed tree. */
export interface FlatTreeEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly oid: string;
}

/** How many objects a backend has read, by type, and how many whole-subtree listings it ran. */
export interface BackendStats {
  readonly reads: Record<ObjectType, number>;
  readonly treeListings: number;
}

export interface ObjectBackend {
  readonly kind: BackendKind;
  /** The object, or null when the repository does not have it. */
  readObject(oid: string): Promise<RawObject | null>;
  /** Full oids starting with `prefix` (at least 4 hex digits); several means ambiguous. */
  expandPrefix(prefix: string): Promise<string[]>;
  /**
   * Every entry under a tree, recursively, subtrees included (as `git ls-tree -r -t`), in Git's
   * tree order. Only backends that can do this in one go offer it.
   */
  listTreeRecursive?(treeOid: string): Promise<FlatTreeEntry[] | null>;
  stats(): BackendStats;
  close(): Promise<void>;
}

export function emptyReads(): Record<ObjectType, number> {
  return { blob: 0, tree: 0, commit: 0, tag: 0 };
}

/**
 * The environment for git child processes: the caller's, without the variables that would point
 * git at another repository, index or object store (set, for example, when running inside a hook).
 */
export function gitChildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const redirecting = new Set([
    'GIT_DIR',
    'GIT_WORK_TREE',
    'GIT_INDEX_FILE',
    'GIT_OBJECT_DIRECTORY',
    'GIT_ALTERNATE_OBJECT_DIRECTORIES',
    'GIT_COMMON_DIR',
    'GIT_NAMESPACE',
    'GIT_SHALLOW_FILE',
    'GIT_REPLACE_REF_BASE',
  ]);
  for (const [k, v] of Object.entries(process.env)) if (!redirecting.has(k)) env[k] = v;
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_NO_REPLACE_OBJECTS = '1';
  env.LC_ALL = 'C';
  return env;
}

let gitCliProbe: Promise<readonly [number, number] | null> | undefined;

/** The version of the `git` on PATH as [major, minor], or null when there is none (checked once per process, or taken from the disk cache). */
export function gitCliVersion(): Promise<readonly [number, number] | null> {
  gitCliProbe ??= (async () => {
    const key = gitExecutableKey();
    const saved = key === undefined ? undefined : persistedGitVersion(key);
    if (saved) return saved;
    const version = await new Promise<readonly [number, number] | null>((resolve) => {
      execFile('git', ['--version'], { env: gitChildEnv(), timeout: 10_000 }, (err, stdout) => {
        const m = /^git version (\d+)\.(\d+)/.exec(stdout);
        resolve(err || !m ? null : [Number(m[1]), Number(m[2])]);
      });
    });
    if (key !== undefined && version) persistGitVersion(key, version);
    return version;
  })();
  return gitCliProbe;
}

/** True when a `git` executable is on PATH. */
export async function isGitCliAvailable(): Promise<boolean> {
  return (await gitCliVersion()) !== null;
}
