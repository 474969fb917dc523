/**
 * Finding revisions: a page of the log, or the commits whose subject, author, oid or ref names
 * contain a text — reading at most a bounded number of commits per request, with a cursor to go on.
 */
import { SlipwayError } from '../model/diagnostics.js';
import { WORKING_COPY, type LogEntry, type RefInfo, type Repository } from './types.js';

/** A search reads at most this many commits per request, then hands back a cursor. */
const SEARCH_SCAN_LIMIT = 5_000;
const SEARCH_PAGE = 200;

export interface RevisionSearch {
  readonly refs: readonly RefInfo[];
  /** Ref names by commit oid. */
  readonly refsByOid: ReadonlyMap<string, string[]>;
  readonly commits: readonly LogEntry[];
  /** Pass as `after` for more. */
  readonly next?: string;
  /** The working copy, when the repository has one (`head`: the commit it is on). */
  readonly workingCopy: { readonly head?: string } | null;
}

export async function searchRevisions(repo: Repository, opts: { readonly query?: string; readonly limit: number; readonly after?: string }): Promise<RevisionSearch> {
  const allRefs = await repo.listRefs();
  const q = opts.query?.trim().toLowerCase() ?? '';
  const refsByOid = new Map<string, string[]>();
  for (const r of allRefs) refsByOid.set(r.oid, [...(refsByOid.get(r.oid) ?? []), r.name]);
  const refs = allRefs.filter((r) => q === '' || r.name.toLowerCase().includes(q));

  let commits: LogEntry[] = [];
  let next: string | undefined;
  if (q === '') {
    const page = await repo.log({ limit: opts.limit, ...(opts.after && { after: opts.after }) });
    commits = [...page.entries];
    next = page.next;
  } else {
    const matches = (e: LogEntry): boolean =>
      e.subject.toLowerCase().includes(q) || e.author.name.toLowerCase().includes(q) || e.author.email.toLowerCase().includes(q) || e.oid.startsWith(q) || (refsByOid.get(e.oid) ?? []).some((n) => n.toLowerCase().includes(q));
    let cursor = opts.after;
    let scanned = 0;
    scan: for (;;) {
      const page = await repo.log({ limit: SEARCH_PAGE, ...(cursor && { after: cursor }) });
      for (const [i, e] of page.entries.entries()) {
        scanned++;
        if (matches(e)) commits.push(e);
        const more = i < page.entries.length - 1 || page.next !== undefined;
        if ((commits.length >= opts.limit || scanned >= SEARCH_SCAN_LIMIT) && more) {
          next = e.oid;
          break scan;
        }
      }
      if (!page.next) break;
      cursor = page.next;
    }
  }

  let workingCopy: RevisionSearch['workingCopy'] = null;
  try {
    const wc = await repo.resolve(WORKING_COPY);
    workingCopy = wc.kind === 'working-copy' && wc.head !== undefined ? { head: wc.head } : {};
  } catch (err) {
    if (!(err instanceof SlipwayError && err.code === 'no-working-copy')) throw err;
  }
  return { refs, refsByOid, commits, ...(next && { next }), workingCopy };
}
