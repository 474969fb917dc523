/**
 * Why this change (issue 19, part 3): for each changed object of a plan, the commits between a
 * base (the revision last applied to the context, or a comparison's base) and the planned
 * revision that touched its sources, newest first; for plain YAML, each changed line of the
 * "after" side attributed to the commit that last changed the line of the file it comes from
 * (git blame). Without a base, the last commits that touched each object's sources.
 *
 * Bounded: one `git log` for the app (every source path at once), one `git blame` per file with
 * changed lines, one `git status` for the working copy. Needs the git command; without it the plan
 * says so in a note and is otherwise unchanged.
 */
import { blameLines, isAncestor, logOfPaths, uncommittedFiles, type BlamedLine, type PathCommit } from '../../git/commits.js';
import { isGitCliAvailable } from '../../git/backend.js';
import { mapConcurrent } from '../../kube/concurrency.js';
import { WORKING_COPY, type Repository, type Revision } from '../../git/types.js';
import { parseManifests } from '../../manifest/manifests.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import { finalizePlan } from '../assemble.js';
import type { Change, ChangeCommit, Plan } from '../types.js';
import { changedLines, documentOf, fieldsByLine, parseSource, sourceLineOf } from './lines.js';
import { appSources, isSourceOf, type AppSources, type ObjectSources, type WhyApp } from './sources.js';

export type { WhyApp } from './sources.js';

/** Commits listed per object when there is no base. */
export const WHY_LIMIT = 20;
/** Commits read for the app when there is no base (each object keeps its last WHY_LIMIT of them). */
const NO_BASE_LOG = 200;
/** Commits read for the app between a base and the planned revision. */
const RANGE_LOG = 1000;
/** Files blamed for line-level attribution (one git process each). */
const MAX_BLAMED_FILES = 64;
/** git processes and file reads at once. */
const CONCURRENCY = 8;
/** Files read at earlier commits to find where a deleted object was declared. */
const DELETED_READS = 40;

export interface WhyRequest {
  readonly repo: Repository;
  /** The planned revision. */
  readonly revision: Revision;
  readonly app: WhyApp;
  /** The plan's source type (directory, kustomize, helm). */
  readonly sourceType: string;
  /**
   * The commit to list commits since, and what it is ("last applied to kind-dev by run r-…", "the
   * compare base"). Absent: no base, and `noBase` says why.
   */
  readonly base?: { readonly commit: string; readonly what: string };
  readonly noBase?: string;
  /** Commits per object without a base (default WHY_LIMIT). */
  readonly limit?: number;
  /** When the plan was made (ISO 8601): the date given to what is not committed yet. Default: now. */
  readonly now?: string;
}

/** The plan with `why` on each changed object, and notes on what the commits were listed since. */
export async function withWhy(plan: Plan, req: WhyRequest): Promise<Plan> {
  const { changes, diagnostics } = await explainChanges(plan.changes, { now: plan.createdAt, ...req });
  return finalizePlan({ inputs: plan.inputs, changes, diagnostics: [...plan.diagnostics, ...diagnostics], hooks: plan.hooks, findings: plan.findings, createdAt: plan.createdAt });
}

const EXPLAINED = new Set<Change['action']>(['create', 'update', 'replace', 'delete']);

export async function explainChanges(changes: readonly Change[], req: WhyRequest): Promise<{ changes: Change[]; diagnostics: Diagnostic[] }> {
  try {
    return await explain(changes, req);
  } catch (e) {
    // The plan stands without them: a failing git (a shallow clone, a repository changed meanwhile) is worth a note, not a failed plan.
    return { changes: [...changes], diagnostics: [note('why-failed', `the commits behind each change could not be listed: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

async function explain(changes: readonly Change[], req: WhyRequest): Promise<{ changes: Change[]; diagnostics: Diagnostic[] }> {
  const explained = changes.filter((c) => EXPLAINED.has(c.action));
  if (explained.length === 0) return { changes: [...changes], diagnostics: [] };
  if (!(await isGitCliAvailable())) {
    return { changes: [...changes], diagnostics: [{ severity: 'info', code: 'why-no-git', message: 'the commits behind each change are not listed: that needs the git command, which is not on PATH' }] };
  }
  const dir = req.repo.dir;
  const working = req.revision.kind === 'working-copy';
  const head = req.revision.kind === 'commit' ? req.revision.oid : req.revision.head;
  const diagnostics: Diagnostic[] = [];
  const limit = req.limit ?? WHY_LIMIT;
  // The base: usable only when the repository has it.
  let base = req.base;
  if (base && base.commit === WORKING_COPY) {
    diagnostics.push(note('why-no-base', `${base.what} was the working copy, which no commit records: each change lists the last ${limit} commits that touched its sources`));
    base = undefined;
  } else if (base && !(await req.repo.hasCommit(base.commit))) {
    diagnostics.push(note('why-no-base', `${base.what} is commit ${base.commit.slice(0, 7)}, which this repository does not have: each change lists the last ${limit} commits that touched its sources`));
    base = undefined;
  } else if (base && head && !(await isAncestor(dir, base.commit, head))) {
    diagnostics.push(note('why-base', `the commits listed are those since ${base.what} (${base.commit.slice(0, 7)}); the planned revision does not contain it, so they are the planned revision's commits that it lacks`));
  } else if (base) {
    diagnostics.push(note('why-base', `the commits listed are those since ${base.what} (${base.commit.slice(0, 7)})`));
  } else {
    diagnostics.push(note('why-no-base', `${req.noBase ?? 'there is no base to compare with'}: each change lists the last ${limit} commits that touched its sources`));
  }

  const sources = await appSources(req.repo, req.revision, req.app, req.sourceType);
  // Files that existed at the base only (a removed patch) are sources too: the base's kustomize rules as well.
  const atBase = base && req.sourceType === 'kustomize' ? await appSources(req.repo, await req.repo.resolve(base.commit), req.app, req.sourceType).catch(() => undefined) : undefined;
  const pathspec = [...new Set([...sources.paths, ...(atBase?.paths ?? [])])].map((p) => (p === '/' ? '' : p.replace(/\/$/, '')));
  const log = head ? await logOfPaths(dir, { head, ...(base && { base: base.commit }), paths: pathspec, limit: base ? RANGE_LOG : NO_BASE_LOG }) : { commits: [], truncated: false };
  if (base && log.truncated) diagnostics.push(note('why-truncated', `more than ${RANGE_LOG} commits since the base touched the app's sources: only the last ${RANGE_LOG} are read`));
  const uncommitted = working ? await uncommittedFiles(dir, pathspec) : [];
  const ctx: Context = { req, dir, head, working, base: base?.commit, log: log.commits, logComplete: !log.truncated, uncommitted, limit, reads: { left: DELETED_READS }, now: req.now ?? new Date().toISOString(), notes: diagnostics };

  const per = new Map<Change, ObjectSources | undefined>();
  for (const c of explained) per.set(c, await objectSources(ctx, c, sources, atBase));
  const lines = await blameChangedLines(ctx, explained);
  const out = changes.map((c) => {
    if (!EXPLAINED.has(c.action)) return c;
    const why = commitsOf(ctx, c, per.get(c), lines.get(c));
    return why.length > 0 ? { ...c, why } : c;
  });
  return { changes: out, diagnostics };
}

interface Context {
  readonly req: WhyRequest;
  readonly dir: string;
  readonly head: string | undefined;
  readonly working: boolean;
  readonly base: string | undefined;
  /** Newest first. */
  readonly log: readonly PathCommit[];
  /** Every commit of the range is in `log` (not cut by its limit). */
  readonly logComplete: boolean;
  readonly uncommitted: readonly string[];
  readonly limit: number;
  readonly reads: { left: number };
  /** When the plan was made: the date of what is not committed. */
  readonly now: string;
  /** Notes found on the way (the plan's diagnostics). */
  readonly notes: Diagnostic[];
}

function note(code: string, message: string): Diagnostic {
  return { severity: 'info', code, message };
}

async function objectSources(ctx: Context, change: Change, sources: AppSources, atBase: AppSources | undefined): Promise<ObjectSources | undefined> {
  const now = sources.of(change);
  const then = atBase?.of(change);
  if (now && then) return { paths: [...new Set([...now.paths, ...then.paths])], ...(now.except && then.except && { except: (f: string) => now.except!(f) && then.except!(f) }) };
  if (now ?? then) return now ?? then;
  if (ctx.req.sourceType !== 'directory') return { paths: [...sources.paths, ...(atBase?.paths ?? [])] }; // no kustomization declares it (a plugin's, a removed one's): all the build reads
  // A deleted object of a directory app: the file that declared it, found in the commits that touched the app.
  const file = await declaringFile(ctx, change);
  return file ? { paths: [file] } : undefined;
}

/** The file a deleted object was declared in: a file changed by a listed commit (newest first) whose version before that commit declares it. */
async function declaringFile(ctx: Context, change: Change): Promise<string | undefined> {
  const { repo } = ctx.req;
  for (const commit of ctx.log) {
    for (const file of commit.files) {
      if (!/\.(ya?ml|json)$/i.test(file) || ctx.reads.left <= 0) continue;
      ctx.reads.left--;
      const text = await readAt(repo, `${commit.oid}^`, file);
      if (text === undefined) continue;
      if (parseManifests(text, { file }).objects.some((o) => o.key.kind === change.key.kind && o.key.name === change.key.name && (o.key.namespace === undefined || o.key.namespace === change.key.namespace))) return file;
    }
  }
  return undefined;
}

async function readAt(repo: Repository, rev: string | Revision, file: string): Promise<string | undefined> {
  try {
    const revision = typeof rev === 'string' ? await repo.resolve(rev) : rev;
    const snap = await repo.snapshot(revision, file);
    const f = snap.files.find((x) => x.path === file);
    return f && f.mode !== 'symlink' ? new TextDecoder().decode(await repo.readFile(snap, f)) : undefined;
  } catch {
    return undefined;
  }
}

/** For each change of plain YAML: the commit (or "not committed") behind each changed line of its after side. */
async function blameChangedLines(ctx: Context, changes: readonly Change[]): Promise<Map<Change, Map<number, BlamedLine>>> {
  if (ctx.req.sourceType !== 'directory') return new Map();
  // With a base, a file no commit of the range touched (nor the working copy) has no line to attribute: not blamed.
  const touched = new Set([...ctx.log.flatMap((c) => c.files), ...ctx.uncommitted]);
  const candidates = changes.filter((c) => c.after !== undefined && c.source && /\.(ya?ml|json)$/i.test(c.source.file) && (!ctx.base || !ctx.logComplete || touched.has(c.source.file)));
  const all = [...new Set(candidates.map((c) => c.source!.file))];
  const files = all.slice(0, MAX_BLAMED_FILES);
  if (all.length > files.length) ctx.notes.push(note('why-lines-capped', `the lines of the after side are attributed in the first ${MAX_BLAMED_FILES} of the ${all.length} files with changed lines; the objects of the others list their commits without lines`));
  const blamedFiles = new Set(files);
  const plain = candidates.filter((c) => blamedFiles.has(c.source!.file));
  const texts = new Map(await mapConcurrent(files, CONCURRENCY, async (file) => [file, await readAt(ctx.req.repo, ctx.req.revision, file)] as const));
  // The source line each changed after-line comes from, per file.
  const wanted = new Map<string, Array<{ change: Change; afterLine: number; sourceLine: number }>>();
  const parsed = new Map<string, ReturnType<typeof parseSource>>();
  for (const change of plain) {
    const file = change.source!.file;
    const text = texts.get(file);
    if (text === undefined) continue;
    if (!parsed.has(file)) parsed.set(file, parseSource(text));
    const source = parsed.get(file)!;
    const doc = documentOf(source, change.key, change.source?.documentIndex);
    if (!doc) continue;
    const fields = fieldsByLine(change.after!);
    for (const afterLine of changedLines(change.before, change.after!)) {
      const field = fields.get(afterLine);
      const sourceLine = field && sourceLineOf(source, doc, field);
      if (sourceLine === undefined) continue;
      wanted.set(file, [...(wanted.get(file) ?? []), { change, afterLine, sourceLine }]);
    }
  }
  const out = new Map<Change, Map<number, BlamedLine>>();
  // One git blame per file, a few at a time.
  const blamed = await mapConcurrent([...wanted], CONCURRENCY, ([file, list]) => blameLines(ctx.dir, { ...(ctx.working ? {} : { rev: ctx.head! }), file, lines: list.map((w) => w.sourceLine) }).catch(() => new Map<number, BlamedLine>()));
  [...wanted.values()].forEach((list, i) => {
    for (const w of list) {
      const b = blamed[i]!.get(w.sourceLine);
      if (!b) continue;
      if (!out.has(w.change)) out.set(w.change, new Map());
      out.get(w.change)!.set(w.afterLine, b);
    }
  });
  return out;
}

/** The object's commits, newest first: those of the log that touched its sources, and those blame names for its lines. */
function commitsOf(ctx: Context, change: Change, sources: ObjectSources | undefined, lines: Map<number, BlamedLine> | undefined): ChangeCommit[] {
  const listed: Array<{ oid: string; author: string; date: string; subject: string; files: string[]; lines: number[] }> = [];
  if (sources) {
    for (const c of ctx.log) {
      const files = c.files.filter((f) => isSourceOf(sources, f));
      if (files.length > 0) listed.push({ oid: c.oid, author: c.author, date: c.date, subject: c.subject, files, lines: [] });
    }
  }
  // Without a base, the last few; with one, all of the range.
  const kept = ctx.base ? listed : listed.slice(0, ctx.limit);
  const notCommitted = sources ? ctx.uncommitted.filter((f) => isSourceOf(sources, f)) : [];
  const working = { oid: WORKING_COPY, author: 'working copy', date: ctx.now, subject: 'not committed', files: notCommitted, lines: [] as number[] };
  for (const [afterLine, b] of lines ?? []) {
    if (b.oid === undefined) {
      working.lines.push(afterLine);
      continue;
    }
    let entry = kept.find((k) => k.oid === b.oid);
    if (!entry) {
      // A line last changed before the base is no change since it (the cluster differs from what was applied): not listed.
      const inRange = !ctx.base || !ctx.logComplete || ctx.log.some((c) => c.oid === b.oid);
      if (!inRange) continue;
      entry = { oid: b.oid, author: b.author, date: b.date, subject: b.subject, files: change.source ? [change.source.file] : [], lines: [] };
      kept.push(entry);
    }
    entry.lines.push(afterLine);
  }
  kept.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  if (working.files.length > 0 || working.lines.length > 0) kept.unshift(working);
  return kept.map((k) => ({ oid: k.oid, author: k.author, date: k.date, subject: k.subject, files: k.files, ...(k.lines.length > 0 && { lines: [...k.lines].sort((a, b) => a - b) }) }));
}
