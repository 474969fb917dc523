/**
 * The git CLI backend: one long-lived `git cat-file --batch` per repository for objects, and
 * `git ls-tree -r -t -z` for whole subtrees. Processes are spawned without a shell, with
 * `--git-dir` and an environment that cannot redirect them (gitChildEnv). Read-only commands
 * only: neither writes the index or the work tree.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { emptyReads, gitChildEnv, type BackendStats, type FlatTreeEntry, type ObjectBackend } from './backend.js';
import { isFullOid, isObjectType, treeEntryType, type ObjectType, type RawObject } from './objects.js';

interface Pending {
  readonly oid: string;
  readonly resolve: (obj: RawObject | null) => void;
  readonly reject: (err: Error) => void;
}

type ParseState =
  | { readonly at: 'header' }
  | { readonly at: 'body'; readonly type: ObjectType; readonly body: Buffer; filled: number }
  | { readonly at: 'newline'; readonly type: ObjectType; readonly body: Buffer };

/** Thrown when git itself fails; `stderr` is git's own words, `exitCode` its exit status when a command ended with one (runGit). */
export class GitProcessError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly oid?: string,
    readonly exitCode?: number,
  ) {
    super(message);
    this.name = 'GitProcessError';
  }
}

const IDLE_MS = 30_000;

/**
 * How requests are written. "command" is `git cat-file --batch-command --buffer` (git 2.36+):
 * answers are buffered by git and flushed once per batch of requests, not once per object.
 * "plain" is `git cat-file --batch`, which flushes after every object.
 */
export type BatchProtocol = 'command' | 'plain';

/** `git cat-file --batch`: requests are written one per line and answered in order. */
export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  /** Requests awaiting an answer, oldest first from `head` (an index, not shift(): thousands may be queued). */
  private pending: Pending[] = [];
  private head = 0;
  private state: ParseState = { at: 'header' };
  private header: Buffer = Buffer.alloc(0);
  private stderr = '';
  private idle: NodeJS.Timeout | undefined;
  /** Requests of this tick, written together. */
  private outgoing: string[] = [];

  constructor(
    private readonly gitdir: string,
    private readonly protocol: BatchProtocol = 'plain',
  ) {}

  read(oid: string): Promise<RawObject | null> {
    // Only full lowercase oids reach the process: a newline or a revision expression can never be injected.
    if (!isFullOid(oid)) return Promise.reject(new Error(`not a full object id: ${JSON.stringify(oid)}`));
    this.ensureProcess();
    return new Promise((resolve, reject) => {
      if (this.waitingCount() === 0) this.setActive(true);
      this.pending.push({ oid, resolve, reject });
      if (this.outgoing.length === 0) setImmediate(() => this.flush());
      this.outgoing.push(this.protocol === 'command' ? `contents ${oid}\n` : `${oid}\n`);
    });
  }

  private flush(): void {
    const lines = this.outgoing;
    this.outgoing = [];
    if (lines.length === 0 || !this.child) return;
    if (this.protocol === 'command') lines.push('flush\n');
    this.child.stdin.write(lines.join(''));
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.setActive(true); // an idle process is unref'd: waiting for its exit must keep Node alive
    this.detach(child, new GitProcessError('git cat-file was closed', ''));
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin.end();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }

  private ensureProcess(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const mode = this.protocol === 'command' ? ['--batch-command', '--buffer'] : ['--batch'];
    const child = spawn('git', ['--git-dir', this.gitdir, 'cat-file', ...mode], { env: gitChildEnv(), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child = child;
    this.state = { at: 'header' };
    this.header = Buffer.alloc(0);
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.stdin.on('error', () => undefined); // reported through 'exit'
    child.on('error', (err) => this.detach(child, new GitProcessError(`could not run git cat-file: ${err.message}`, '')));
    // 'close', not 'exit': answers still in the pipe when git stops must be read first.
    child.on('close', (code, signal) => {
      const first = this.pending[this.head];
      const why = this.stderr.trim() || `exit ${code ?? signal ?? '?'}`;
      this.detach(child, new GitProcessError(`git cat-file stopped: ${why}`, this.stderr, first?.oid));
    });
    return child;
  }

  /** Forgets a process and fails what was waiting on it; the next read starts a new one. */
  private detach(child: ChildProcessWithoutNullStreams, err: GitProcessError): void {
    if (this.child !== child) return;
    this.child = undefined;
    clearTimeout(this.idle);
    this.outgoing = [];
    const waiting = this.pending.slice(this.head);
    this.pending = [];
    this.head = 0;
    waiting.forEach((p, i) => p.reject(i === 0 ? err : new GitProcessError(err.message, err.stderr)));
  }

  /** While nothing is pending the process must not keep Node alive, and it stops after a while. */
  private setActive(active: boolean): void {
    const child = this.child;
    if (!child) return;
    clearTimeout(this.idle);
    const streams = [child.stdin, child.stdout, child.stderr] as unknown as Array<{ ref?: () => void; unref?: () => void }>;
    if (active) {
      child.ref();
      for (const s of streams) s.ref?.();
    } else {
      child.unref();
      for (const s of streams) s.unref?.();
      this.idle = setTimeout(() => void this.close(), IDLE_MS);
      this.idle.unref();
    }
  }

  private onData(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      const state = this.state;
      if (state.at === 'header') {
        const nl = chunk.indexOf(0x0a, off);
        if (nl < 0) {
          this.header = Buffer.concat([this.header, chunk.subarray(off)]);
          return;
        }
        const line = this.header.length === 0 ? chunk.toString('latin1', off, nl) : Buffer.concat([this.header, chunk.subarray(off, nl)]).toString('latin1');
        if (this.header.length) this.header = Buffer.alloc(0);
        off = nl + 1;
        this.onHeader(line);
      } else if (state.at === 'body') {
        const n = Math.min(state.body.length - state.filled, chunk.length - off);
        chunk.copy(state.body, state.filled, off, off + n);
        state.filled += n;
        off += n;
        if (state.filled === state.body.length) this.state = { at: 'newline', type: state.type, body: state.body };
      } else {
        off += 1; // the "\n" after the content
        this.state = { at: 'header' };
        this.settle({ type: state.type, content: state.body });
      }
    }
  }

  private onHeader(line: string): void {
    // "<oid> <type> <size>" or "<oid> missing"
    const parts = line.split(' ');
    if (parts[1] === 'missing' || parts[1] === 'ambiguous') {
      this.settle(null);
      return;
    }
    const type = parts[1] ?? '';
    const size = Number(parts[2]);
    if (parts.length !== 3 || !isObjectType(type) || !Number.isSafeInteger(size)) {
      this.next()?.reject(new GitProcessError(`git cat-file answered "${line}"`, this.stderr));
      return;
    }
    this.state = size === 0 ? { at: 'newline', type, body: Buffer.alloc(0) } : { at: 'body', type, body: Buffer.allocUnsafe(size), filled: 0 };
  }

  private settle(obj: RawObject | null): void {
    this.next()?.resolve(obj);
    if (this.waitingCount() === 0) this.setActive(false);
  }

  private waitingCount(): number {
    return this.pending.length - this.head;
  }

  /** Takes the oldest waiting request. */
  private next(): Pending | undefined {
    const p = this.pending[this.head];
    if (!p) return undefined;
    this.head++;
    if (this.head === this.pending.length) {
      this.pending = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    return p;
  }
}

/**
 * Runs a read-only git command and returns its stdout as bytes. `where` comes before the command:
 * the repository (`--git-dir <dir>`, or `-C <work tree>`) and global options. Its failure is a
 * GitProcessError with git's own words and exit status.
 */
export function runGit(where: readonly string[], args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...where, ...args], { env: gitChildEnv(), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-4000);
    });
    child.on('error', (e) => reject(new GitProcessError(`could not run git ${args[0] ?? ''}: ${e.message}`, '')));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitProcessError(`git ${args[0] ?? ''} failed: ${err.trim() || `exit ${code}`}`, err, undefined, code ?? undefined));
    });
  });
}

export class GitCliBackend implements ObjectBackend {
  readonly kind = 'git-cli' as const;
  private readonly batch: CatFileBatch;
  private readonly reads = emptyReads();
  private treeListings = 0;

  constructor(
    private readonly gitdir: string,
    opts: { protocol?: BatchProtocol } = {},
  ) {
    this.batch = new CatFileBatch(gitdir, opts.protocol ?? 'plain');
  }

  async readObject(oid: string): Promise<RawObject | null> {
    const obj = await this.batch.read(oid);
    if (obj) this.reads[obj.type]++;
    return obj;
  }

  async expandPrefix(prefix: string): Promise<string[]> {
    if (!/^[0-9a-f]{4,40}$/.test(prefix)) return [];
    // `--disambiguate` lists every object with the prefix, one per line; nothing when there is none.
    const out = await runGit(['--git-dir', this.gitdir], ['rev-parse', `--disambiguate=${prefix}`]).catch(() => Buffer.alloc(0));
    return out
      .toString('latin1')
      .split('\n')
      .filter((l) => isFullOid(l));
  }

  async listTreeRecursive(treeOid: string): Promise<FlatTreeEntry[] | null> {
    if (!isFullOid(treeOid)) throw new Error(`not a full object id: ${JSON.stringify(treeOid)}`);
    this.treeListings++;
    let out: Buffer;
    try {
      out = await runGit(['--git-dir', this.gitdir], ['ls-tree', '-r', '-t', '-z', '--full-tree', treeOid]);
    } catch (err) {
      if (err instanceof GitProcessError) return null; // let the caller fall back to object reads, which name the missing object
      throw err;
    }
    const entries: FlatTreeEntry[] = [];
    let i = 0;
    while (i < out.length) {
      const nul = out.indexOf(0, i);
      const end = nul < 0 ? out.length : nul;
      // "<mode> SP <type> SP <oid> TAB <path>"
      const tab = out.indexOf(0x09, i);
      if (tab < 0 || tab > end) break;
      const meta = out.toString('latin1', i, tab).split(' ');
      const mode = meta[0] === '040000' ? '40000' : (meta[0] ?? '');
      const oid = meta[2] ?? '';
      entries.push({ path: out.toString('utf8', tab + 1, end), mode, type: treeEntryType(mode), oid });
      i = end + 1;
    }
    return entries;
  }

  stats(): BackendStats {
    return { reads: { ...this.reads }, treeListings: this.treeListings };
  }

  close(): Promise<void> {
    return this.batch.close();
  }
}
