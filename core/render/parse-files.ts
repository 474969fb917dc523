/**
 * The manifest files of a directory app, parsed: from this process's memory (by blob and path),
 * else from the disk cache (by blob: the records another process wrote), else read from Git and
 * parsed — and then recorded on disk for the next process, except files that hold Secrets or SOPS
 * metadata (core/manifest/persistable.ts), which are never written there.
 */
import type { Repository, Snapshot, SnapshotFile } from '../git/types.js';
import { diskCache } from '../disk-cache/process.js';
import { parseManifests, type ParsedFile } from '../manifest/manifests.js';
import { decodeParsed, encodeParsed, PARSER_VERSION } from '../manifest/parsed-record.js';
import { mayPersist } from '../manifest/persistable.js';
import { parsePool, POOL_MIN_FILES } from '../manifest/parse-pool.js';
import { SLIPWAY_VERSION } from '../version.js';

/** The disk cache's namespace: records of another parser or Slipway version are never read. */
export const PARSED_NAMESPACE = `parsed/${PARSER_VERSION}/${SLIPWAY_VERSION}`;

/** Parse results by blob and path: re-rendering a revision that shares files reuses them. */
const parseCache = new Map<string, ParsedFile>();
const PARSE_CACHE_MAX = 50_000;

/** Blob reads kept in flight while files are parsed in order (git answers them in one stream). */
const READ_AHEAD = 256;

function cacheParsed(key: string, parsed: ParsedFile): ParsedFile {
  if (parseCache.size >= PARSE_CACHE_MAX) parseCache.delete(parseCache.keys().next().value!);
  parseCache.set(key, parsed);
  return parsed;
}

/** Forgets every parsed file this process holds (a cold start, for benchmarks and tests); the disk cache is left as it is. */
export function clearParseCache(): void {
  parseCache.clear();
}

export interface FileToParse {
  readonly target: SnapshotFile;
  /** The path the file is named by (a symlink's own path, not its target's). */
  readonly path: string;
}

/** What the disk cache already holds, put into the memory cache. */
function fromDisk(files: readonly FileToParse[], keys: readonly string[]): void {
  const disk = diskCache();
  if (!disk) return;
  const missing = files.filter((_, i) => !parseCache.has(keys[i]!));
  if (missing.length === 0) return;
  const records = disk.getMany(PARSED_NAMESPACE, [...new Set(missing.map((f) => f.target.oid))]);
  const unreadable: string[] = [];
  for (const f of missing) {
    const text = records.get(f.target.oid);
    if (text === undefined) continue;
    const parsed = decodeParsed(text, f.path);
    if (parsed) cacheParsed(`${f.target.oid}:${f.path}`, parsed);
    else unreadable.push(f.target.oid);
  }
  // Dropped, so this process's parse writes it again.
  if (unreadable.length > 0) disk.drop(PARSED_NAMESPACE, unreadable);
}

/**
 * Each file parsed (or taken from a cache, not even read), in order; the reads of the next
 * READ_AHEAD uncached files are already under way, so a cold revision costs one stream of blob
 * reads instead of a round trip per file. With many files to parse, the parsing goes to the
 * worker pool (one thread per core) while this thread keeps reading.
 */
export async function parseFiles(repo: Repository, snapshot: Snapshot, files: readonly FileToParse[]): Promise<ParsedFile[]> {
  const keys = files.map((f) => `${f.target.oid}:${f.path}`);
  fromDisk(files, keys);
  const cached = (i: number): ParsedFile | undefined => parseCache.get(keys[i]!);
  let uncached = 0;
  for (let i = 0; i < files.length && uncached < POOL_MIN_FILES; i++) if (!cached(i)) uncached++;
  const pool = uncached >= POOL_MIN_FILES ? parsePool() : undefined;
  const reads = new Map<number, Promise<Uint8Array>>();
  const startRead = (i: number): void => {
    if (i >= files.length || cached(i)) return;
    const read = repo.readFile(snapshot, files[i]!.target);
    read.catch(() => undefined); // awaited below in order; an early failure must not be an unhandled rejection
    reads.set(i, read);
  };
  for (let i = 0; i < Math.min(READ_AHEAD, files.length); i++) startRead(i);
  const out: ParsedFile[] = new Array<ParsedFile>(files.length);
  const onPool: Promise<void>[] = [];
  const parsedHere: { oid: string; bytes: Uint8Array; parsed: ParsedFile }[] = [];
  const done = (i: number, bytes: Uint8Array, parsed: ParsedFile): void => {
    out[i] = cacheParsed(keys[i]!, parsed);
    parsedHere.push({ oid: files[i]!.target.oid, bytes, parsed });
  };
  for (let i = 0; i < files.length; i++) {
    startRead(i + READ_AHEAD);
    const read = reads.get(i);
    reads.delete(i);
    const hit = cached(i);
    if (hit) {
      out[i] = hit;
      continue;
    }
    const { target, path } = files[i]!;
    const bytes = await (read ?? repo.readFile(snapshot, target));
    // A file that starts with "{" is most likely machine-printed JSON, which JSON.parse reads here in less time than a worker round trip takes.
    if (!pool || bytes[0] === 0x7b) {
      done(i, bytes, parseManifests(bytes, { file: path }));
      continue;
    }
    // What the pool cannot answer (a worker died, the parse threw there) is parsed here.
    onPool.push(pool.parse(bytes, path).then((parsed) => done(i, bytes, parsed ?? parseManifests(bytes, { file: path }))));
  }
  await Promise.all(onPool);
  toDisk(parsedHere);
  return out;
}

/** Records what this process parsed, in one write: never a file with a Secret or SOPS metadata. */
function toDisk(parsed: readonly { oid: string; bytes: Uint8Array; parsed: ParsedFile }[]): void {
  const disk = diskCache();
  if (!disk || parsed.length === 0) return;
  const records = new Map<string, string>();
  for (const p of parsed) {
    if (records.has(p.oid) || !mayPersist(p.bytes, p.parsed)) continue;
    const text = encodeParsed(p.parsed);
    if (text !== undefined) records.set(p.oid, text);
  }
  disk.putMany(PARSED_NAMESPACE, records);
}
