/**
 * Objects of one repository through a backend and the shared GitCache: typed reads with errors
 * that name the object and the repository, in-flight de-duplication, path lookup in trees, and
 * recursive listings that reuse cached subtrees.
 */
import { SlipwayError } from '../model/diagnostics.js';
import type { ObjectBackend } from './backend.js';
import { GitProcessError } from './backend-cli.js';
import type { GitCache, ListingEntry } from './cache.js';
import { fileModeOf, parseCommit, parseTree, type ObjectType, type ParsedCommit, type RawObject, type TreeEntry } from './objects.js';
import { persistedListing, persistListing } from './persisted-listings.js';
import { pathSegments } from './repo-path.js';

export const UNSHALLOW_HINT = 'git fetch --unshallow';

/** Folders a subtree may have before, with nothing below it cached, it is listed in one go rather than walked. */
const PROBE_LIMIT = 32;

export interface PathEntry {
  readonly type: TreeEntry['type'];
  readonly oid: string;
  readonly mode: string;
}

export class ObjectStore {
  private readonly inflight = new Map<string, Promise<RawObject>>();
  private readonly inflightListings = new Map<string, Promise<readonly ListingEntry[]>>();

  constructor(
    readonly backend: ObjectBackend,
    readonly cache: GitCache,
    /** For messages: the repository's folder. */
    private readonly repoDir: string,
    /** Whether the repository is a shallow clone (checked when a commit is missing). */
    private readonly isShallow: () => Promise<boolean>,
  ) {}

  /** An object that must exist (it is named by another object, or was just resolved). */
  async read(oid: string, expected: ObjectType, what: string = expected): Promise<RawObject> {
    const obj = await this.readRaw(oid, what);
    if (obj.type !== expected) {
      throw new SlipwayError('corrupt-repository', `Object ${oid} in ${this.repoDir} is a ${obj.type}, but a ${expected} was expected (${what})`, { hint: 'run `git fsck` in the repository' });
    }
    return obj;
  }

  /** Any object, or null if absent (for user input such as a full oid). */
  async readMaybe(oid: string): Promise<RawObject | null> {
    try {
      return await this.readRaw(oid, 'object');
    } catch (err) {
      if (err instanceof SlipwayError && err.code === 'missing-object') return null;
      throw err;
    }
  }

  private readRaw(oid: string, what: string): Promise<RawObject> {
    let p = this.inflight.get(oid);
    if (!p) {
      p = this.fetch(oid, what).finally(() => this.inflight.delete(oid));
      this.inflight.set(oid, p);
    }
    return p;
  }

  private async fetch(oid: string, what: string): Promise<RawObject> {
    let obj: RawObject | null;
    try {
      obj = await this.backend.readObject(oid);
    } catch (err) {
      const detail = err instanceof GitProcessError ? err.stderr.trim() || err.message : err instanceof Error ? err.message : String(err);
      throw new SlipwayError('corrupt-repository', `Cannot read object ${oid} (${what}) in ${this.repoDir}: ${detail}`, { hint: 'run `git fsck` in the repository', cause: err });
    }
    if (!obj) throw new SlipwayError('missing-object', `Object ${oid} (${what}) is missing from ${this.repoDir}`);
    return obj;
  }

  /** Turns "missing" into the error the user should see: shallow boundary or corruption. */
  async missing(oid: string, what: string, err: unknown): Promise<never> {
    if (!(err instanceof SlipwayError) || err.code !== 'missing-object') throw err;
    if (what === 'commit' && (await this.isShallow())) {
      throw new SlipwayError('shallow-repository', `Commit ${oid} is beyond the shallow boundary of ${this.repoDir}: this clone does not have it`, { hint: UNSHALLOW_HINT });
    }
    throw new SlipwayError('corrupt-repository', `Object ${oid} (${what}) is missing from the repository at ${this.repoDir}`, { hint: 'run `git fsck` in the repository', cause: err });
  }

  async readCommit(oid: string): Promise<ParsedCommit> {
    const hit = this.cache.getCommit(oid);
    if (hit) return hit;
    const obj = await this.read(oid, 'commit').catch((err: unknown) => this.missing(oid, 'commit', err));
    const commit = this.parse(oid, 'commit', () => parseCommit(oid, obj.content));
    this.cache.setCommit(commit);
    return commit;
  }

  async readTree(oid: string): Promise<readonly TreeEntry[]> {
    const hit = this.cache.getTree(oid);
    if (hit) return hit;
    const obj = await this.read(oid, 'tree').catch((err: unknown) => this.missing(oid, 'tree', err));
    const entries = this.parse(oid, 'tree', () => parseTree(obj.content));
    this.cache.setTree(oid, entries);
    return entries;
  }

  async readBlob(oid: string, path?: string): Promise<Uint8Array> {
    const hit = this.cache.getBlob(oid);
    if (hit) return hit;
    const what = path ? `blob of ${path}` : 'blob';
    const obj = await this.read(oid, 'blob', what).catch((err: unknown) => this.missing(oid, what, err));
    this.cache.setBlob(oid, obj.content);
    return obj.content;
  }

  private parse<T>(oid: string, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new SlipwayError('corrupt-repository', `Object ${oid} in ${this.repoDir} is not a valid ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  /** The entry at a normalized path under a tree ("" is the tree itself), or null. */
  async entryAt(treeOid: string, path: string): Promise<PathEntry | null> {
    let current: PathEntry = { type: 'tree', oid: treeOid, mode: '40000' };
    for (const segment of pathSegments(path)) {
      if (current.type !== 'tree') return null;
      const entries = await this.readTree(current.oid);
      const next = entries.find((e) => e.name === segment);
      if (!next) return null;
      current = next;
    }
    return current;
  }

  /**
   * Every blob under a tree, recursively, in Git's tree order, with paths relative to it. Cached by
   * tree oid in memory and, for the trees asked for here (a snapshot's folder; not every subtree
   * of it), in the disk cache, where the next process finds it.
   */
  listRecursive(treeOid: string): Promise<readonly ListingEntry[]> {
    const hit = this.cache.getListing(treeOid);
    if (hit) return Promise.resolve(hit);
    const persisted = persistedListing(treeOid);
    if (persisted) {
      this.cache.setListing(treeOid, persisted);
      return Promise.resolve(persisted);
    }
    return this.listSubtree(treeOid).then((listing) => {
      persistListing(treeOid, listing);
      return listing;
    });
  }

  /** As listRecursive, from memory or Git only: the subtrees of a listing are not recorded on their own. */
  private listSubtree(treeOid: string): Promise<readonly ListingEntry[]> {
    const hit = this.cache.getListing(treeOid);
    if (hit) return Promise.resolve(hit);
    let p = this.inflightListings.get(treeOid);
    if (!p) {
      p = this.buildListing(treeOid).finally(() => this.inflightListings.delete(treeOid));
      this.inflightListings.set(treeOid, p);
    }
    return p;
  }

  private async buildListing(treeOid: string): Promise<readonly ListingEntry[]> {
    const entries = await this.readTree(treeOid);
    const subtrees = entries.filter((e) => e.type === 'tree');
    if (this.backend.listTreeRecursive && subtrees.length > 0 && (await this.looksCold(treeOid))) {
      const listed = await this.bulkList(treeOid);
      if (listed) return listed;
    }
    const children = await Promise.all(subtrees.map((s) => this.listSubtree(s.oid)));
    const out: ListingEntry[] = [];
    let k = 0;
    for (const e of entries) {
      if (e.type === 'blob') out.push({ path: e.name, oid: e.oid, mode: fileModeOf(e.mode) });
      else if (e.type === 'tree') {
        for (const c of children[k++] ?? []) out.push({ path: `${e.name}/${c.path}`, oid: c.oid, mode: c.mode });
      }
      // 'commit' entries are submodules: their files live in another repository.
    }
    this.cache.setListing(treeOid, out);
    return out;
  }

  /**
   * Whether a subtree is cold enough that one `git ls-tree -r` beats a tree read per folder: the
   * folders below it are visited breadth-first (reads a walk would need anyway) until a subtree
   * with a cached listing turns up (warm: a neighbouring revision shares it — walk) or more than
   * PROBE_LIMIT folders are seen without one (cold — list in one go). Small subtrees are walked.
   */
  private async looksCold(treeOid: string): Promise<boolean> {
    let frontier = [treeOid];
    let visited = 0;
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const entries of await Promise.all(frontier.map((oid) => this.readTree(oid)))) {
        for (const e of entries) {
          if (e.type !== 'tree') continue;
          if (this.cache.hasListing(e.oid)) return false;
          next.push(e.oid);
        }
      }
      visited += frontier.length;
      if (visited + next.length > PROBE_LIMIT) return true;
      frontier = next;
    }
    return false;
  }

  /** Lists a whole subtree in one backend call and fills the tree and listing caches for every folder in it. */
  private async bulkList(treeOid: string): Promise<readonly ListingEntry[] | null> {
    const flat = await this.backend.listTreeRecursive?.(treeOid);
    if (!flat) return null;
    const oidOf = new Map<string, string>([['', treeOid]]);
    const direct = new Map<string, TreeEntry[]>([['', []]]);
    const listings = new Map<string, ListingEntry[]>([['', []]]);
    for (const e of flat) {
      const slash = e.path.lastIndexOf('/');
      const parent = slash < 0 ? '' : e.path.slice(0, slash);
      direct.get(parent)?.push({ name: e.path.slice(slash + 1), mode: e.mode, type: e.type, oid: e.oid });
      if (e.type === 'tree') {
        oidOf.set(e.path, e.oid);
        direct.set(e.path, []);
        listings.set(e.path, []);
      } else if (e.type === 'blob') {
        const mode = fileModeOf(e.mode);
        for (let dir = parent; ; ) {
          listings.get(dir)?.push({ path: dir === '' ? e.path : e.path.slice(dir.length + 1), oid: e.oid, mode });
          if (dir === '') break;
          const s = dir.lastIndexOf('/');
          dir = s < 0 ? '' : dir.slice(0, s);
        }
      }
    }
    for (const [dir, oid] of oidOf) {
      const entries = direct.get(dir);
      const listing = listings.get(dir);
      if (entries) this.cache.setTree(oid, entries);
      if (listing && !this.cache.hasListing(oid)) this.cache.setListing(oid, listing);
    }
    return listings.get('') ?? null;
  }
}
