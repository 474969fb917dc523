/**
 * The working copy as a pseudo-revision: the files on disk under a path, as `git add -A` would
 * see them — tracked files, plus untracked files that .gitignore / .git/info/exclude do not
 * ignore; never `.git`, never nested repositories. Oids are the ones Git would compute, and the
 * tree oid is the one `git write-tree` would give for that listing, so a clean working copy has
 * the same treeOid as HEAD.
 *
 * Only reads: no index refresh, no stat cache, nothing written (contrast `git status` and
 * isomorphic-git's statusMatrix, which may rewrite the index).
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import ignoreModule, { type Ignore } from 'ignore';
import { readIndexPaths } from './index-file.js';
import { EMPTY_TREE_OID, gitModeOf, hashObject, hashTree, type TreeItem } from './objects.js';
import { comparePaths, joinRepoPath, pathSegments } from './repo-path.js';
import type { FileMode, SnapshotFile } from './types.js';

const createIgnore = ignoreModule.default;

export interface WorkingCopyInput {
  /** The work tree's top-level folder. */
  readonly workTree: string;
  /** The git directory holding `index` (a linked worktree has its own). */
  readonly indexDir: string;
  /** The git directory holding `info/exclude`. */
  readonly commonDir: string;
  /** Normalized repository-relative path. */
  readonly root: string;
  /** Called with every file's content as it is hashed (the repository puts it in the blob cache). */
  readonly onContent?: (oid: string, content: Uint8Array) => void;
}

export interface WorkingCopyListing {
  readonly files: SnapshotFile[];
  readonly treeOid: string;
}

interface Rules {
  /** Repository-relative folder the rules are relative to ("" for the root). */
  readonly base: string;
  readonly ig: Ignore;
}

// Git compares ignore patterns case-insensitively where the file system is (core.ignoreCase).
const ignoreCase = process.platform === 'darwin' || process.platform === 'win32';

async function readRules(file: string, base: string): Promise<Rules | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return { base, ig: createIgnore({ ignorecase: ignoreCase }).add(text) };
}

/** Deepest rules first; the first file with an opinion decides (a deeper `!pattern` re-includes). */
function isIgnored(stack: readonly Rules[], path: string, isDir: boolean): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const rules = stack[i];
    if (!rules) continue;
    const local = rules.base === '' ? path : path.slice(rules.base.length + 1);
    const result = rules.ig.test(isDir ? `${local}/` : local);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch {
    return null;
  }
}

interface Candidate {
  readonly path: string;
  readonly mode: FileMode;
}

function modeOfStat(st: { isSymbolicLink(): boolean; mode: number }): FileMode {
  if (st.isSymbolicLink()) return 'symlink';
  return st.mode & 0o100 ? 'executable' : 'file';
}

/** Lists the working copy under `root`; null when nothing is there (or the path runs through a symlink or ignored file). */
export async function listWorkingCopy(input: WorkingCopyInput): Promise<WorkingCopyListing | null> {
  const { workTree, root } = input;
  const tracked = await readIndexPaths(join(input.indexDir, 'index'));
  const trackedDirs = new Set<string>();
  for (const p of tracked) {
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) trackedDirs.add(p.slice(0, i));
  }

  const stack: Rules[] = [];
  const exclude = await readRules(join(input.commonDir, 'info', 'exclude'), '');
  if (exclude) stack.push(exclude);

  // Walk down to root: every component must be a real folder (never follow a symlink out of the work tree).
  const segments = pathSegments(root);
  let here = '';
  let ignored = false;
  for (let i = 0; i < segments.length; i++) {
    const rules = await readRules(join(workTree, here, '.gitignore'), here);
    if (rules) stack.push(rules);
    here = joinRepoPath(here, segments[i] ?? '');
    const st = await lstatOrNull(join(workTree, here));
    if (!st) return null;
    const last = i === segments.length - 1;
    if (!st.isDirectory()) {
      if (!last || !(st.isFile() || st.isSymbolicLink())) return null;
      if (!tracked.has(here) && (ignored || isIgnored(stack, here, false))) return null;
      const files = await hashFiles(workTree, [{ path: here, mode: modeOfStat(st) }], input.onContent);
      const file = files[0];
      return file ? { files, treeOid: file.oid } : null;
    }
    ignored ||= isIgnored(stack, here, true);
    if (ignored && !trackedDirs.has(here)) return null;
  }
  if (root === '') {
    const st = await lstatOrNull(workTree);
    if (!st?.isDirectory()) return null;
  }

  const candidates: Candidate[] = [];
  const walk = async (dir: string, rules: readonly Rules[], inIgnored: boolean): Promise<void> => {
    const abs = join(workTree, dir);
    const entries = await readdir(abs, { withFileTypes: true });
    let stackHere = rules;
    if (!inIgnored) {
      const own = await readRules(join(abs, '.gitignore'), dir);
      if (own) stackHere = [...rules, own];
    }
    const subdirs: Array<Promise<void>> = [];
    for (const e of entries) {
      if (e.name === '.git') continue;
      const path = joinRepoPath(dir, e.name);
      if (e.isDirectory()) {
        const isIgnoredDir = inIgnored || isIgnored(stackHere, path, true);
        if (isIgnoredDir && !trackedDirs.has(path)) continue;
        // A folder with its own .git is another repository (Git records it as a gitlink at most).
        if (await lstatOrNull(join(abs, e.name, '.git'))) continue;
        subdirs.push(walk(path, stackHere, isIgnoredDir));
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (!tracked.has(path) && (inIgnored || isIgnored(stackHere, path, false))) continue;
        candidates.push({ path, mode: e.isSymbolicLink() ? 'symlink' : 'file' });
      }
    }
    await Promise.all(subdirs);
  };
  await walk(root, stack, ignored);

  const files = await hashFiles(workTree, candidates, input.onContent);
  files.sort((a, b) => comparePaths(a.path, b.path));
  return { files, treeOid: files.length === 0 ? EMPTY_TREE_OID : treeOidOf(files, root) };
}

async function hashFiles(workTree: string, candidates: readonly Candidate[], onContent: WorkingCopyInput['onContent']): Promise<SnapshotFile[]> {
  const out: SnapshotFile[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      const c = candidates[next++];
      if (!c) break;
      const abs = join(workTree, c.path);
      let content: Uint8Array;
      let mode = c.mode;
      try {
        if (mode === 'symlink') content = await readlink(abs, { encoding: 'buffer' });
        else {
          const st = await lstat(abs);
          mode = modeOfStat(st);
          content = await readFile(abs);
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') continue; // removed while we were reading
        throw err;
      }
      const oid = hashObject('blob', content);
      onContent?.(oid, content);
      out.push({ path: c.path, oid, mode });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, candidates.length) }, worker));
  return out;
}

/** The oid of the tree Git would write for these files, relative to `root`. */
export function treeOidOf(files: readonly SnapshotFile[], root: string): string {
  interface Dir {
    readonly files: TreeItem[];
    readonly dirs: Map<string, Dir>;
  }
  const top: Dir = { files: [], dirs: new Map() };
  const prefix = root === '' ? 0 : root.length + 1;
  for (const f of files) {
    const parts = f.path.slice(prefix).split('/');
    const name = parts.pop() ?? '';
    let dir = top;
    for (const p of parts) {
      let sub = dir.dirs.get(p);
      if (!sub) {
        sub = { files: [], dirs: new Map() };
        dir.dirs.set(p, sub);
      }
      dir = sub;
    }
    dir.files.push({ name, mode: gitModeOf(f.mode), oid: f.oid });
  }
  const hash = (dir: Dir): string => hashTree([...dir.files, ...[...dir.dirs].map(([name, sub]) => ({ name, mode: '40000', oid: hash(sub) }))]);
  return hash(top);
}
