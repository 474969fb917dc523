/**
 * Recursive tree listings in the process's disk cache, by tree oid: a tree's oid names its whole
 * content, so a listing written by one process is right for every later one, in any repository.
 * A second command on the same revision then lists the app's folder without one tree read.
 *
 * A record is JSON: `[[path, oid, mode], …]` with modes as one letter. A record that does not read
 * back as one (damaged) is dropped, and the tree is listed from Git again.
 */
import { diskCache } from '../disk-cache/process.js';
import type { ListingEntry } from './cache.js';
import { isFullOid } from './objects.js';
import type { FileMode } from './types.js';

export const LISTING_NAMESPACE = 'git-listing/1';

const LETTER: Record<FileMode, string> = { file: 'f', executable: 'x', symlink: 'l' };
const MODE: Readonly<Record<string, FileMode>> = { f: 'file', x: 'executable', l: 'symlink' };

function decode(text: string): ListingEntry[] | undefined {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(rows)) return undefined;
  const out: ListingEntry[] = new Array<ListingEntry>(rows.length);
  for (const [i, row] of rows.entries()) {
    if (!Array.isArray(row)) return undefined;
    const [path, oid, letter] = row as unknown[];
    const mode = typeof letter === 'string' ? MODE[letter] : undefined;
    if (typeof path !== 'string' || path === '' || typeof oid !== 'string' || !isFullOid(oid) || !mode) return undefined;
    out[i] = { path, oid, mode };
  }
  return out;
}

/** The listing another process recorded, or undefined. */
export function persistedListing(treeOid: string): ListingEntry[] | undefined {
  const disk = diskCache();
  const text = disk?.get(LISTING_NAMESPACE, treeOid);
  if (text === undefined) return undefined;
  const listing = decode(text);
  if (!listing) disk!.drop(LISTING_NAMESPACE, [treeOid]);
  return listing;
}

export function persistListing(treeOid: string, listing: readonly ListingEntry[]): void {
  diskCache()?.put(LISTING_NAMESPACE, treeOid, JSON.stringify(listing.map((e) => [e.path, e.oid, LETTER[e.mode]])));
}
