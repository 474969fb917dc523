/** The isomorphic-git backend: always available, pure JavaScript, read through a read-only fs. */
import * as git from 'isomorphic-git';
import { emptyReads, type BackendStats, type ObjectBackend } from './backend.js';
import { isObjectType, type RawObject } from './objects.js';
import { readOnlyFs } from './readonly-fs.js';

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * isomorphic-git reads slow down when many run at once (each probes for a loose object, then
 * searches the packs); a few at a time is measurably faster than all at once.
 */
const CONCURRENCY = 4;

export class IsomorphicGitBackend implements ObjectBackend {
  readonly kind = 'isomorphic-git' as const;
  private readonly reads = emptyReads();
  /** isomorphic-git's own cache (parsed pack indexes and packfiles); kept for the backend's life. */
  private isoCache: object = {};
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly gitdir: string) {}

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  async readObject(oid: string): Promise<RawObject | null> {
    let result: git.ReadObjectResult;
    try {
      result = await this.slot(() => git.readObject({ fs: readOnlyFs, gitdir: this.gitdir, oid, format: 'content', cache: this.isoCache }));
    } catch (err) {
      if (errorCode(err) === 'NotFoundError') return null;
      throw err;
    }
    if (!(result.object instanceof Uint8Array) || !isObjectType(result.type)) throw new Error(`unexpected object format for ${oid}`);
    this.reads[result.type]++;
    return { type: result.type, content: result.object };
  }

  async expandPrefix(prefix: string): Promise<string[]> {
    try {
      return [await git.expandOid({ fs: readOnlyFs, gitdir: this.gitdir, oid: prefix, cache: this.isoCache })];
    } catch (err) {
      const code = errorCode(err);
      if (code === 'NotFoundError') return [];
      if (code === 'AmbiguousError' && err instanceof git.Errors.AmbiguousError) return [...err.data.matches];
      throw err;
    }
  }

  stats(): BackendStats {
    return { reads: { ...this.reads }, treeListings: 0 };
  }

  async close(): Promise<void> {
    this.isoCache = {};
  }
}
