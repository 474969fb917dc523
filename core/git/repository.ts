/**
 * openRepository: any Git revision of a local repository, read by object — never by checkout. The
 * user's repository is never written: objects come from `git cat-file --batch` / `git ls-tree` or
 * from isomorphic-git through a read-only fs; refs, HEAD and the index are parsed here from
 * their files; the working copy is read from disk without refreshing the index.
 */
import { readFile, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { SlipwayError } from '../model/diagnostics.js';
import { gitCliVersion, type BackendChoice, type BackendKind, type BackendStats, type ObjectBackend } from './backend.js';
import { GitCliBackend } from './backend-cli.js';
import { sharedGitCache, type GitCache } from './cache.js';
import { LogWalker } from './log.js';
import { fileModeOf, hashObject, isFullOid, parseCommit, parseTag, subjectOf, type ParsedCommit } from './objects.js';
import { classifyRef, followRef, readHead, readRefs, refCandidates, type RawRef } from './refs.js';
import { comparePaths, joinRepoPath, normalizeRepoPath } from './repo-path.js';
import { asksDisk, isRootCheckpoint, persistedRoot, persistRoots } from './persisted-roots.js';
import { ObjectStore, UNSHALLOW_HINT } from './store.js';
import { WORKING_COPY, type CommitRevision, type LogEntry, type LogPage, type RefInfo, type Repository, type Revision, type Snapshot, type SnapshotFile } from './types.js';
import { listWorkingCopy } from './working-copy.js';

export interface OpenRepositoryOptions {
  /** "auto" (default) uses the git CLI when it is on PATH, isomorphic-git otherwise. */
  readonly backend?: BackendChoice;
  /** Shared object cache; defaults to one per process. */
  readonly cache?: GitCache;
}

/** Where a repository's parts are. For a linked worktree, HEAD and index live apart from objects and refs. */
export interface RepositoryLayout {
  /** The work tree's top-level folder, or the git directory of a bare repository. */
  readonly dir: string;
  /** Folder with HEAD and index. */
  readonly headDir: string;
  /** Folder with objects, refs, packed-refs, config, shallow. */
  readonly commonDir: string;
  /** Absent for bare repositories. */
  readonly workTree?: string;
}

const DEFAULT_LOG_LIMIT = 50;
const MAX_LOG_LIMIT = 10_000;

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

async function looksLikeGitDir(path: string): Promise<boolean> {
  return (await isFile(join(path, 'HEAD'))) && (await isDir(join(path, 'objects'))) && (await isDir(join(path, 'refs')));
}

async function commonDirOf(gitDir: string): Promise<string> {
  const text = await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
  return text ? resolvePath(gitDir, text.trim()) : gitDir;
}

/** Finds the repository containing `start`: walks up to the folder holding `.git` (a folder, or a file naming one), or a bare repository. */
export async function discoverRepository(start: string): Promise<RepositoryLayout> {
  const abs = resolvePath(start);
  const st = await stat(abs).catch(() => null);
  if (!st) throw new SlipwayError('not-a-repository', `${abs} does not exist, so it is not a Git repository`);
  for (let d = st.isDirectory() ? abs : dirname(abs); ; d = dirname(d)) {
    const dotGit = join(d, '.git');
    if (await looksLikeGitDir(dotGit)) return { dir: d, headDir: dotGit, commonDir: await commonDirOf(dotGit), workTree: d };
    if (await isFile(dotGit)) {
      // Linked worktrees and submodules: ".git" is a file "gitdir: <path>".
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8'));
      const gitDir = m?.[1] ? resolvePath(d, m[1]) : undefined;
      if (gitDir && (await isFile(join(gitDir, 'HEAD')))) return { dir: d, headDir: gitDir, commonDir: await commonDirOf(gitDir), workTree: d };
    }
    if (await looksLikeGitDir(d)) {
      const commonDir = await commonDirOf(d);
      // Inside a work tree's own .git folder: the repository is its parent.
      if (basename(d) === '.git') return { dir: dirname(d), headDir: d, commonDir, workTree: dirname(d) };
      return { dir: d, headDir: d, commonDir };
    }
    if (dirname(d) === d) break;
  }
  throw new SlipwayError('not-a-repository', `${abs} is not inside a Git repository (no .git folder found in it or any parent)`);
}

async function checkSupported(layout: RepositoryLayout): Promise<void> {
  const config = await readFile(join(layout.commonDir, 'config'), 'utf8').catch(() => '');
  if (/^\s*objectformat\s*=\s*sha256\s*$/im.test(config)) {
    throw new SlipwayError('unsupported-repository', `${layout.dir} uses SHA-256 object names, which Slipway cannot read yet`);
  }
  if (/^\s*refstorage\s*=\s*reftable\s*$/im.test(config)) {
    throw new SlipwayError('unsupported-repository', `${layout.dir} stores refs in a reftable, which Slipway cannot read yet`, { hint: 'git refs migrate --ref-format=files' });
  }
}

/** isomorphic-git (0.4 MB with its packages) is loaded only when it reads: every command's start would pay for it where git is on PATH. */
async function isomorphicGitBackend(gitDir: string): Promise<ObjectBackend> {
  const { IsomorphicGitBackend } = await import('./backend-isogit.js');
  return new IsomorphicGitBackend(gitDir);
}

export async function createBackend(choice: BackendChoice, gitDir: string): Promise<ObjectBackend> {
  if (choice === 'isomorphic-git') return isomorphicGitBackend(gitDir);
  const version = await gitCliVersion();
  if (!version) {
    if (choice === 'git-cli') throw new SlipwayError('git-not-found', 'The git command was not found on PATH', { hint: 'install Git, or open the repository with backend "isomorphic-git"' });
    return isomorphicGitBackend(gitDir);
  }
  const [major, minor] = version;
  // `cat-file --batch-command --buffer` arrived in git 2.36.
  return new GitCliBackend(gitDir, { protocol: major > 2 || (major === 2 && minor >= 36) ? 'command' : 'plain' });
}

/** Opens the repository containing `pathInsideRepo` (any folder of its work tree, or a bare repository). */
export async function openRepository(pathInsideRepo: string, opts: OpenRepositoryOptions = {}): Promise<GitRepository> {
  const layout = await discoverRepository(pathInsideRepo);
  await checkSupported(layout);
  const backend = await createBackend(opts.backend ?? 'auto', layout.commonDir);
  return new GitRepository(layout, backend, opts.cache ?? sharedGitCache());
}

const REF_KIND_ORDER: Record<RefInfo['kind'], number> = { branch: 0, 'remote-branch': 1, tag: 2 };

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** Ref names close to what was typed: small edit distance, or one contains the other. */
export function suggestRefNames(input: string, names: readonly string[]): string[] {
  const lower = input.toLowerCase();
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of names) {
    const n = name.toLowerCase();
    const d = editDistance(lower, n);
    if (d <= Math.max(2, Math.floor(lower.length / 3))) scored.push({ name, score: d });
    else if (lower.length >= 3 && (n.includes(lower) || lower.includes(n))) scored.push({ name, score: 10 + Math.abs(n.length - lower.length) });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

export class GitRepository implements Repository {
  readonly dir: string;
  private readonly store: ObjectStore;
  /** Annotated tag object → the commit it peels to (null: not a commit). Immutable, so kept. */
  private readonly peeled = new Map<string, string | null>();
  private readonly walkers = new Map<string, LogWalker>();

  constructor(
    readonly layout: RepositoryLayout,
    private readonly backend: ObjectBackend,
    readonly cache: GitCache,
  ) {
    this.dir = layout.dir;
    this.store = new ObjectStore(backend, cache, layout.dir, () => isFile(join(layout.commonDir, 'shallow')));
  }

  get backendKind(): BackendKind {
    return this.backend.kind;
  }

  /** Objects the backend has read so far (cache hits are not reads). */
  backendStats(): BackendStats {
    return this.backend.stats();
  }

  async close(): Promise<void> {
    this.walkers.clear();
    await this.backend.close();
  }

  // ── revisions ──────────────────────────────────────────────────────────────

  async resolve(rev: string): Promise<Revision> {
    if (rev === WORKING_COPY) {
      this.requireWorkTree();
      const head = await readHead(this.layout.headDir, await readRefs(this.layout.commonDir));
      return head.oid ? { kind: 'working-copy', head: head.oid } : { kind: 'working-copy' };
    }
    return this.commitRevision(await this.resolveCommit(rev));
  }

  private requireWorkTree(): string {
    if (!this.layout.workTree) throw new SlipwayError('no-working-copy', `${this.dir} is a bare repository: it has no working copy`);
    return this.layout.workTree;
  }

  private async commitRevision(oid: string): Promise<CommitRevision> {
    const commit = await this.store.readCommit(oid);
    const refs = (await this.listRefs()).filter((r) => r.oid === oid).map((r) => r.name);
    return { kind: 'commit', oid, shortOid: oid.slice(0, 7), refs, subject: subjectOf(commit.message), message: commit.message, author: commit.author };
  }

  private async readShallow(): Promise<Set<string>> {
    const text = await readFile(join(this.layout.commonDir, 'shallow'), 'utf8').catch(() => '');
    return new Set(text.split('\n').filter(isFullOid));
  }

  /** A revision expression to a commit oid: a name, then any of `~n`, `^n`, `^{}`, `^{commit}`. */
  private async resolveCommit(rev: string): Promise<string> {
    const input = rev.trim();
    const m = /^(.*?)((?:\^\{(?:commit)?\}|~\d*|\^\d*)*)$/.exec(input);
    const base = m?.[1] ?? input;
    if (base === '') throw new SlipwayError('unknown-revision', `Unknown revision ${JSON.stringify(rev)} in ${this.dir}`);
    let oid = await this.resolveName(base, rev);
    const ops = m?.[2]?.match(/\^\{(?:commit)?\}|~\d*|\^\d*/g) ?? [];
    for (const op of ops) {
      if (op.startsWith('^{')) continue; // always peeled to a commit already
      const n = op.length > 1 ? Number(op.slice(1)) : 1;
      if (op.startsWith('~')) {
        for (let i = 0; i < n; i++) oid = await this.parentOf(oid, 1, rev);
      } else if (n > 0) oid = await this.parentOf(oid, n, rev);
    }
    return oid;
  }

  private async parentOf(oid: string, n: number, rev: string): Promise<string> {
    const commit = await this.store.readCommit(oid);
    const shallow = await this.readShallow();
    if (shallow.has(oid)) {
      throw new SlipwayError('shallow-repository', `${rev}: commit ${oid.slice(0, 7)} is at the shallow boundary of ${this.dir}, so its parents are not in this clone`, { hint: UNSHALLOW_HINT });
    }
    const parent = commit.parents[n - 1];
    if (!parent) throw new SlipwayError('unknown-revision', `Unknown revision "${rev}" in ${this.dir}: commit ${oid.slice(0, 7)} has ${commit.parents.length === 0 ? 'no parent' : `only ${commit.parents.length} parent(s)`}`);
    return parent;
  }

  private async resolveName(name: string, rev: string): Promise<string> {
    const refs = await readRefs(this.layout.commonDir);
    if (name === 'HEAD' || name === '@') {
      const head = await readHead(this.layout.headDir, refs);
      if (!head.oid) throw new SlipwayError('unknown-revision', `HEAD of ${this.dir} does not point at a commit yet (no commits on ${head.branch?.replace(/^refs\/heads\//, '') ?? 'this branch'})`);
      return this.peelToCommit(head.oid, rev);
    }
    for (const candidate of refCandidates(name)) {
      const ref = followRef(refs, candidate);
      if (ref?.oid) return ref.peeled ?? this.peelToCommit(ref.oid, rev);
    }
    const hex = name.toLowerCase();
    if (isFullOid(hex)) {
      const peeled = await this.peel(hex);
      if (peeled.commit) return peeled.commit;
      if (peeled.type === 'missing') throw await this.notFoundOid(rev);
      throw new SlipwayError('unknown-revision', `"${rev}" names a ${peeled.type}, not a commit`);
    }
    if (/^[0-9a-f]{4,39}$/.test(hex)) {
      const matches = await this.backend.expandPrefix(hex);
      if (matches.length === 1 && matches[0]) return this.peelToCommit(matches[0], rev);
      if (matches.length > 1) {
        const typed = await Promise.all(matches.map(async (oid) => ({ oid, type: (await this.store.readMaybe(oid))?.type ?? 'missing' })));
        const commits = typed.filter((t) => t.type === 'commit' || t.type === 'tag');
        if (commits.length === 1 && commits[0]) return this.peelToCommit(commits[0].oid, rev);
        throw new SlipwayError('ambiguous-revision', `Short object id "${name}" is ambiguous in ${this.dir}: ${typed.map((t) => `${t.oid} (${t.type})`).join(', ')}`, {
          hint: 'type more hex digits of the commit id',
        });
      }
      throw await this.notFoundOid(rev);
    }
    const names = ['HEAD', ...(await this.listRefs()).map((r) => r.name)];
    const close = suggestRefNames(name, names);
    throw new SlipwayError('unknown-revision', `Unknown revision "${rev}" in ${this.dir}${close.length ? `. Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : ''}`, {
      hint: close.length ? `did you mean ${close.join(', ')}?` : 'use a branch, tag or commit id (see the list of refs)',
    });
  }

  private async notFoundOid(rev: string): Promise<SlipwayError> {
    if ((await this.readShallow()).size > 0) {
      return new SlipwayError('shallow-repository', `Commit "${rev}" is not in ${this.dir}, a shallow clone: it may be beyond the shallow boundary`, { hint: UNSHALLOW_HINT });
    }
    return new SlipwayError('unknown-revision', `Unknown revision "${rev}" in ${this.dir}: no such commit`);
  }

  /** Follows annotated tags to the commit; a name for a tree or blob is not a revision. */
  private async peelToCommit(oid: string, rev: string): Promise<string> {
    const result = await this.peel(oid);
    if (result.commit) return result.commit;
    if (result.type === 'missing') return this.store.missing(oid, 'commit', new SlipwayError('missing-object', `missing ${oid}`));
    throw new SlipwayError('unknown-revision', `"${rev}" names a ${result.type}, not a commit`);
  }

  private async peel(start: string): Promise<{ commit?: string; type: string }> {
    const known = this.peeled.get(start);
    if (known !== undefined) return known ? { commit: known, type: 'commit' } : { type: 'object' };
    const remember = (commit: string | null): void => {
      if (commit !== start) this.peeled.set(start, commit);
    };
    let oid = start;
    for (let depth = 0; depth < 10; depth++) {
      if (this.cache.getCommit(oid)) {
        remember(oid);
        return { commit: oid, type: 'commit' };
      }
      const raw = await this.store.readMaybe(oid);
      if (!raw && oid === start) return { type: 'missing' };
      if (!raw) return this.store.missing(oid, 'commit', new SlipwayError('missing-object', `missing ${oid}`));
      if (raw.type === 'commit') {
        this.cache.setCommit(parseCommit(oid, raw.content));
        remember(oid);
        return { commit: oid, type: 'commit' };
      }
      if (raw.type !== 'tag') {
        remember(null);
        return { type: raw.type };
      }
      oid = parseTag(raw.content).object;
    }
    return { type: 'chain of tags' };
  }

  async listRefs(): Promise<readonly RefInfo[]> {
    const refs = await readRefs(this.layout.commonDir);
    const head = await readHead(this.layout.headDir, refs);
    const out: RefInfo[] = [];
    await Promise.all(
      [...refs.values()].map(async (ref: RawRef) => {
        const cls = classifyRef(ref.name);
        if (!cls || !ref.oid || ref.target) return;
        const oid = ref.peeled ?? (cls.kind === 'tag' ? (await this.peel(ref.oid)).commit : ref.oid);
        if (!oid) return;
        out.push({ kind: cls.kind, name: cls.name, fullName: ref.name, oid, ...(cls.kind === 'branch' && head.branch === ref.name ? { current: true } : {}) });
      }),
    );
    return out.sort((a, b) => REF_KIND_ORDER[a.kind] - REF_KIND_ORDER[b.kind] || comparePaths(a.name, b.name));
  }

  /** First-parent roots found so far, by commit: a later walk stops where an earlier one passed. */
  private readonly roots = new Map<string, string>();

  async rootCommit(revision: Revision): Promise<string | undefined> {
    const start = revision.kind === 'commit' ? revision.oid : revision.head;
    if (start === undefined) return undefined;
    const known = this.roots.get(start) ?? persistedRoot(start);
    if (known) {
      this.roots.set(start, known);
      return known;
    }
    const shallow = await this.readShallow();
    const path: string[] = [];
    let oid = start;
    let root: string | undefined;
    for (;;) {
      root = this.roots.get(oid) ?? (oid !== start && asksDisk(path.length, oid) ? persistedRoot(oid) : undefined);
      if (root) break;
      path.push(oid);
      if (shallow.has(oid)) {
        throw new SlipwayError('shallow-repository', `${this.dir} is a shallow clone: Slipway names an app's ownership record after the repository's first commit, which this clone does not have`, { hint: `${UNSHALLOW_HINT} (in CI, fetch the whole history, e.g. fetch-depth: 0)` });
      }
      const parent = (await this.store.readCommit(oid)).parents[0];
      if (parent === undefined) {
        root = oid;
        break;
      }
      oid = parent;
    }
    // Every 256th commit is remembered (and the start): a later walk from a newer commit stops soon, and memory stays small.
    for (const [i, seen] of path.entries()) if (i === 0 || i % 256 === 0) this.roots.set(seen, root);
    // On disk, for later processes: the start and the checkpoints on the way.
    persistRoots(
      path.filter((seen, i) => i === 0 || isRootCheckpoint(seen)),
      root,
    );
    return root;
  }

  async hasCommit(oid: string): Promise<boolean> {
    try {
      await this.store.readCommit(oid);
      return true;
    } catch (err) {
      if (err instanceof SlipwayError && (err.code === 'corrupt-repository' || err.code === 'shallow-repository' || err.code === 'missing-object')) return false;
      throw err;
    }
  }

  // ── history ────────────────────────────────────────────────────────────────

  async log(opts: { rev?: string; path?: string; limit?: number; after?: string } = {}): Promise<LogPage> {
    const limit = opts.limit ?? DEFAULT_LOG_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT) throw new SlipwayError('invalid-argument', `log limit must be a whole number from 1 to ${MAX_LOG_LIMIT}, not ${limit}`);
    const path = normalizeRepoPath(opts.path ?? '');
    if (opts.rev === WORKING_COPY) throw new SlipwayError('unknown-revision', 'The working copy has no history: log HEAD instead');
    let start: string;
    try {
      start = await this.resolveCommit(opts.rev ?? 'HEAD');
    } catch (err) {
      // A repository without commits has an empty history.
      if (opts.rev === undefined && err instanceof SlipwayError && err.code === 'unknown-revision' && !(await readHead(this.layout.headDir, await readRefs(this.layout.commonDir))).oid) return { entries: [] };
      throw err;
    }
    const key = `${start}\0${path}`;
    let walker = opts.after ? this.walkers.get(`${key}\0${opts.after}`) : undefined;
    if (walker) this.walkers.delete(`${key}\0${opts.after}`);
    else {
      walker = new LogWalker(this.store, start, path, await this.readShallow());
      if (opts.after) {
        for (let c = await walker.next(); c?.oid !== opts.after; c = await walker.next()) {
          if (!c) throw new SlipwayError('unknown-revision', `Log cursor ${opts.after} is not in the history of ${opts.rev ?? 'HEAD'}${path ? ` for ${path}` : ''} in ${this.dir}`);
        }
      }
    }
    const entries: LogEntry[] = [];
    let last: ParsedCommit | undefined;
    while (entries.length < limit) {
      const c = await walker.next();
      if (!c) break;
      last = c;
      entries.push({ oid: c.oid, shortOid: c.oid.slice(0, 7), subject: subjectOf(c.message), author: c.author });
    }
    const more = last && entries.length === limit ? await walker.next() : undefined;
    if (!more || !last) return { entries };
    walker.unread(more);
    this.walkers.set(`${key}\0${last.oid}`, walker);
    while (this.walkers.size > 16) {
      const oldest = this.walkers.keys().next().value;
      if (oldest === undefined) break;
      this.walkers.delete(oldest);
    }
    return { entries, next: last.oid };
  }

  // ── snapshots ──────────────────────────────────────────────────────────────

  async snapshot(revision: Revision, path: string): Promise<Snapshot> {
    const root = normalizeRepoPath(path);
    if (revision.kind === 'working-copy') return this.workingCopySnapshot(revision, root);
    const commit = await this.store.readCommit(revision.oid);
    const entry = await this.store.entryAt(commit.tree, root);
    const where = `${revision.shortOid}${revision.refs.length ? ` (${revision.refs.join(', ')})` : ''}`;
    if (!entry) throw new SlipwayError('path-not-found', `Path "${root}" does not exist at revision ${where} of ${this.dir}`, { location: { file: root } });
    if (entry.type === 'commit') throw new SlipwayError('submodule-unsupported', `Path "${root}" at revision ${where} is a submodule; open the submodule's own repository instead`, { location: { file: root } });
    if (entry.type === 'blob') return { revision, root, treeOid: entry.oid, files: [{ path: root, oid: entry.oid, mode: fileModeOf(entry.mode) }] };
    const listing = await this.store.listRecursive(entry.oid);
    const files: SnapshotFile[] = listing.map((e) => ({ path: joinRepoPath(root, e.path), oid: e.oid, mode: e.mode }));
    if (!isSorted(files)) files.sort((a, b) => comparePaths(a.path, b.path));
    return { revision, root, treeOid: entry.oid, files };
  }

  private async workingCopySnapshot(revision: Revision, root: string): Promise<Snapshot> {
    const workTree = this.requireWorkTree();
    const listing = await listWorkingCopy({
      workTree,
      indexDir: this.layout.headDir,
      commonDir: this.layout.commonDir,
      root,
      onContent: (oid, content) => this.cache.setBlob(oid, content),
    });
    if (!listing) throw new SlipwayError('path-not-found', `Path "${root}" does not exist in the working copy of ${this.dir}`, { location: { file: root } });
    return { revision, root, treeOid: listing.treeOid, files: listing.files };
  }

  async readFile(snapshot: Snapshot, file: SnapshotFile): Promise<Uint8Array> {
    if (snapshot.revision.kind === 'commit') return this.store.readBlob(file.oid, file.path);
    const hit = this.cache.getBlob(file.oid);
    if (hit) return hit;
    const workTree = this.requireWorkTree();
    const abs = join(workTree, normalizeRepoPath(file.path));
    let content: Uint8Array;
    try {
      content = file.mode === 'symlink' ? await readlink(abs, { encoding: 'buffer' }) : await readFile(abs);
    } catch (err) {
      throw new SlipwayError('working-copy-changed', `${file.path} was removed from the working copy of ${this.dir} after it was read`, { location: { file: file.path }, cause: err });
    }
    if (hashObject('blob', content) !== file.oid) {
      throw new SlipwayError('working-copy-changed', `${file.path} changed on disk after the working copy was read; read the working copy again`, { location: { file: file.path } });
    }
    this.cache.setBlob(file.oid, content);
    return content;
  }
}

function isSorted(files: readonly SnapshotFile[]): boolean {
  for (let i = 1; i < files.length; i++) {
    const a = files[i - 1];
    const b = files[i];
    if (a && b && comparePaths(a.path, b.path) > 0) return false;
  }
  return true;
}
