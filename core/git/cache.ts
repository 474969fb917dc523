/**
 * A cache of Git objects that may be shared by many Repository instances: Git objects are named by
 * their content, so an oid means the same bytes in every repository.
 *
 * - trees: the direct entries of a tree object, by tree oid;
 * - listings: every blob under a tree, recursively, by tree oid — so when a neighbouring revision
 *   shares a subtree, that subtree is not walked again;
 * - blobs: file contents by blob oid;
 * - commits: parsed commit headers by commit oid (small; makes `log` over a path cheap on repeat).
 *
 * Each part is an LRU bounded by an estimate of the bytes it holds.
 */
import type { ParsedCommit, TreeEntry } from './objects.js';
import type { FileMode } from './types.js';

/** One blob of a recursive tree listing, with its path relative to the listed tree. */
export interface ListingEntry {
  readonly path: string;
  readonly oid: string;
  readonly mode: FileMode;
}

export interface GitCacheOptions {
  /** Bytes of blob content to keep (default 256 MiB). Blobs larger than an eighth of this are not cached. */
  readonly maxBlobBytes?: number;
  /** Estimated bytes of tree entries and listings to keep (default 64 MiB). */
  readonly maxTreeBytes?: number;
  /** Estimated bytes of parsed commits to keep (default 16 MiB). */
  readonly maxCommitBytes?: number;
}

export interface GitCacheStats {
  readonly blobs: { readonly entries: number; readonly bytes: number; readonly hits: number; readonly misses: number };
  readonly trees: { readonly entries: number; readonly bytes: number; readonly hits: number; readonly misses: number };
  readonly listings: { readonly entries: number; readonly hits: number; readonly misses: number };
  readonly commits: { readonly entries: number; readonly hits: number; readonly misses: number };
}

/** A least-recently-used map bounded by the sum of its values' sizes. */
export class LruMap<V> {
  private readonly map = new Map<string, { value: V; size: number }>();
  private total = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  /** Looks without counting or refreshing. */
  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V, size: number): void {
    const old = this.map.get(key);
    if (old) {
      this.total -= old.size;
      this.map.delete(key);
    }
    if (size > this.maxBytes) return;
    this.map.set(key, { value, size });
    this.total += size;
    for (const [k, v] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(k);
      this.total -= v.size;
    }
  }

  get size(): number {
    return this.map.size;
  }

  get bytes(): number {
    return this.total;
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }
}

const MiB = 1024 * 1024;
// Rough per-entry overheads of the JavaScript objects that hold an entry (strings are ~2 bytes a character).
const ENTRY_OVERHEAD = 120;

function treeSize(entries: readonly TreeEntry[]): number {
  let n = 64;
  for (const e of entries) n += ENTRY_OVERHEAD + 2 * e.name.length;
  return n;
}

function listingSize(entries: readonly ListingEntry[]): number {
  let n = 64;
  for (const e of entries) n += ENTRY_OVERHEAD + 2 * e.path.length;
  return n;
}

export class GitCache {
  private readonly blobs: LruMap<Uint8Array>;
  private readonly trees: LruMap<readonly TreeEntry[]>;
  private readonly listings: LruMap<readonly ListingEntry[]>;
  private readonly commits: LruMap<ParsedCommit>;
  private readonly maxBlobSize: number;

  constructor(opts: GitCacheOptions = {}) {
    const maxBlobBytes = opts.maxBlobBytes ?? 256 * MiB;
    const maxTreeBytes = opts.maxTreeBytes ?? 64 * MiB;
    this.blobs = new LruMap(maxBlobBytes);
    this.maxBlobSize = Math.floor(maxBlobBytes / 8);
    // Direct entries are cheap to keep and expensive to re-read; listings are big and rebuildable from them.
    this.trees = new LruMap(Math.floor(maxTreeBytes / 4));
    this.listings = new LruMap(maxTreeBytes - Math.floor(maxTreeBytes / 4));
    this.commits = new LruMap(opts.maxCommitBytes ?? 16 * MiB);
  }

  getBlob(oid: string): Uint8Array | undefined {
    return this.blobs.get(oid);
  }

  setBlob(oid: string, content: Uint8Array): void {
    if (content.byteLength > this.maxBlobSize) return;
    this.blobs.set(oid, content, content.byteLength + 64);
  }

  getTree(oid: string): readonly TreeEntry[] | undefined {
    return this.trees.get(oid);
  }

  setTree(oid: string, entries: readonly TreeEntry[]): void {
    this.trees.set(oid, entries, treeSize(entries));
  }

  getListing(oid: string): readonly ListingEntry[] | undefined {
    return this.listings.get(oid);
  }

  hasListing(oid: string): boolean {
    return this.listings.has(oid);
  }

  setListing(oid: string, entries: readonly ListingEntry[]): void {
    this.listings.set(oid, entries, listingSize(entries));
  }

  getCommit(oid: string): ParsedCommit | undefined {
    return this.commits.get(oid);
  }

  setCommit(commit: ParsedCommit): void {
    this.commits.set(commit.oid, commit, 512 + 2 * commit.message.length);
  }

  stats(): GitCacheStats {
    return {
      blobs: { entries: this.blobs.size, bytes: this.blobs.bytes, hits: this.blobs.hits, misses: this.blobs.misses },
      trees: { entries: this.trees.size, bytes: this.trees.bytes + this.listings.bytes, hits: this.trees.hits, misses: this.trees.misses },
      listings: { entries: this.listings.size, hits: this.listings.hits, misses: this.listings.misses },
      commits: { entries: this.commits.size, hits: this.commits.hits, misses: this.commits.misses },
    };
  }

  clear(): void {
    for (const part of [this.blobs, this.trees, this.listings, this.commits]) part.clear();
  }
}

let shared: GitCache | undefined;

/** The process-wide cache used when openRepository is given none. */
export function sharedGitCache(): GitCache {
  shared ??= new GitCache();
  return shared;
}
