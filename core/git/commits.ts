/**
 * Who changed what: the commits that touched some paths (`git log`), the commit that last changed
 * each line of a file (`git blame --porcelain`), and the files with uncommitted changes
 * (`git status`). isomorphic-git has no blame, so these run the git CLI (on PATH, as the object
 * backend finds it): read-only, without a shell, in an environment that cannot point git at
 * another repository (gitChildEnv), paths taken literally (--literal-pathspecs).
 *
 * What commit oids fix — the log between two commits, the blame of a file at a commit, whether one
 * commit contains another — is kept (a bounded LRU): planning the same commit again, as the app
 * does on every re-plan, runs none of them again. The working tree (status, blame of the work
 * tree) and revisions given by name are read every time.
 */
import { GitProcessError, runGit } from './backend-cli.js';
import { LruMap } from './cache.js';
import { isFullOid } from './objects.js';

/** A commit with the paths (among those asked for) it changed. */
export interface PathCommit {
  readonly oid: string;
  readonly author: string;
  readonly email: string;
  /** Author date, ISO 8601. */
  readonly date: string;
  readonly subject: string;
  /** Repository-relative paths it added, changed or deleted (both sides of a rename). */
  readonly files: readonly string[];
}

/** The commit that last changed a line; `oid` undefined for a line not committed yet (the working copy). */
export interface BlamedLine {
  readonly oid?: string;
  readonly author: string;
  readonly email: string;
  readonly date: string;
  readonly subject: string;
}

const FIELD = '\x1f';
const RECORD = '\x1e';
const UNCOMMITTED = '0'.repeat(40);

/**
 * The commits that changed any of `paths` (files or folders), newest first, without merges:
 * those in `head` but not in `base` when a base is given, else the last `limit`. `truncated`
 * when `limit` cut the list.
 */
export async function logOfPaths(dir: string, opts: { readonly head: string; readonly base?: string; readonly paths: readonly string[]; readonly limit: number }): Promise<{ commits: PathCommit[]; truncated: boolean }> {
  if (opts.paths.length === 0) return { commits: [], truncated: false };
  const range = opts.base ? `${opts.base}..${opts.head}` : opts.head;
  const fixed = isFullOid(opts.head) && (opts.base === undefined || isFullOid(opts.base));
  const out = await (fixed ? gitOfCommits : git)(dir, ['log', '-z', '--no-merges', '--no-renames', '--name-only', `--max-count=${opts.limit + 1}`, `--format=${RECORD}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`, range, '--', ...opts.paths.map((p) => (p === '' ? '.' : p))]);
  const commits: PathCommit[] = [];
  for (const record of out.split(RECORD)) {
    if (record === '') continue;
    const [header = '', ...names] = record.split('\0');
    const [oid = '', author = '', email = '', date = '', subject = ''] = header.split(FIELD);
    commits.push({ oid, author, email, date: isoUtc(date), subject, files: names.map((n) => n.replace(/^\n/, '')).filter((n) => n !== '') });
  }
  return { commits: commits.slice(0, opts.limit), truncated: commits.length > opts.limit };
}

/**
 * The commit that last changed each of `lines` (1-based) of `file` at `rev`, or in the working
 * tree when `rev` is undefined (lines not committed yet have no oid). One git process per file.
 */
export async function blameLines(dir: string, opts: { readonly rev?: string; readonly file: string; readonly lines: readonly number[] }): Promise<Map<number, BlamedLine>> {
  const found = new Map<number, BlamedLine>();
  if (opts.lines.length === 0) return found;
  const ranges: string[] = [];
  const sorted = [...new Set(opts.lines)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push('-L', `${sorted[i]},${sorted[j]}`);
    i = j + 1;
  }
  const out = await (opts.rev !== undefined && isFullOid(opts.rev) ? gitOfCommits : git)(dir, ['blame', '--porcelain', ...ranges, ...(opts.rev ? [opts.rev] : []), '--', opts.file]);
  // "<oid> <orig> <final> [<count>]", then the commit's headers the first time it appears, then "\t<line>".
  const commits = new Map<string, { author: string; email: string; time: number; subject: string }>();
  let current: { oid: string; final: number } | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('\t')) {
      if (current) {
        const c = commits.get(current.oid);
        found.set(current.final, {
          ...(current.oid !== UNCOMMITTED && { oid: current.oid }),
          author: current.oid === UNCOMMITTED ? '' : (c?.author ?? ''),
          email: current.oid === UNCOMMITTED ? '' : (c?.email ?? ''),
          date: c ? new Date(c.time * 1000).toISOString().replace('.000Z', 'Z') : '',
          subject: current.oid === UNCOMMITTED ? 'not committed' : (c?.subject ?? ''),
        });
      }
      current = undefined;
      continue;
    }
    const head = /^([0-9a-f]{40}) \d+ (\d+)/.exec(line);
    if (head) {
      current = { oid: head[1]!, final: Number(head[2]) };
      if (!commits.has(current.oid)) commits.set(current.oid, { author: '', email: '', time: 0, subject: '' });
      continue;
    }
    const c = current && commits.get(current.oid);
    if (!c) continue;
    const space = line.indexOf(' ');
    const [key, value] = space < 0 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)];
    if (key === 'author') c.author = value;
    else if (key === 'author-mail') c.email = value.replace(/^<|>$/g, '');
    else if (key === 'author-time') c.time = Number(value);
    else if (key === 'summary') c.subject = value;
  }
  return found;
}

/** Paths (among `paths`, files or folders) whose working-tree content differs from HEAD, untracked files included. */
export async function uncommittedFiles(dir: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', ...paths.map((p) => (p === '' ? '.' : p))]);
  const files: string[] = [];
  const entries = out.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.length < 4) continue;
    files.push(e.slice(3));
    // A rename or copy names its source next (only when renames are detected).
    if (e[0] === 'R' || e[0] === 'C') i++;
  }
  return files;
}

/** Whether `ancestor` is reachable from `rev`. */
export async function isAncestor(dir: string, ancestor: string, rev: string): Promise<boolean> {
  return (isFullOid(ancestor) && isFullOid(rev) ? gitOfCommits : git)(dir, ['merge-base', '--is-ancestor', ancestor, rev]).then(
    () => true,
    (e: unknown) => {
      if (e instanceof GitProcessError && e.exitCode === 1) return false;
      throw e;
    },
  );
}

/** "2026-01-01T01:00:00+00:00" → "2026-01-01T01:00:00Z" (UTC, as Revision times are). */
function isoUtc(date: string): string {
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString().replace('.000Z', 'Z');
}

/** A git command in the work tree `dir` (blame and status read it), pathspecs taken literally, paths printed as they are. */
async function git(dir: string, args: readonly string[]): Promise<string> {
  return (await runGit(['-C', dir, '--literal-pathspecs', '-c', 'core.quotePath=false'], args)).toString('utf8');
}

/** Outputs of commands whose answer the commit oids they name fix, by repository and command line. */
const FIXED_BY_COMMITS = new LruMap<string>(8 * 1024 * 1024);

/** Forgets the kept outputs (a benchmark of the first plan of a commit). */
export function forgetCommitOutputs(): void {
  FIXED_BY_COMMITS.clear();
}

/** `git` for a command whose output the full commit oids it names fix: answered from FIXED_BY_COMMITS when it ran before. */
async function gitOfCommits(dir: string, args: readonly string[]): Promise<string> {
  const key = [dir, ...args].join('\0');
  const kept = FIXED_BY_COMMITS.get(key);
  if (kept !== undefined) return kept;
  const out = await git(dir, args);
  FIXED_BY_COMMITS.set(key, out, 2 * (key.length + out.length));
  return out;
}
