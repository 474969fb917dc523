/**
 * History walking as `git log [-- path]` does it: newest first by committer date, and with a path,
 * Git's default history simplification — a commit is shown when it changes the path relative to
 * every parent; at a merge that leaves the path as one parent had it, only that parent is followed.
 * Shallow commits are treated as roots.
 */
import type { ParsedCommit } from './objects.js';
import type { ObjectStore } from './store.js';

interface Queued {
  readonly commit: ParsedCommit;
  readonly seq: number;
}

/** Max-heap on committer time; ties go to the commit queued first. */
class CommitQueue {
  private readonly items: Queued[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(commit: ParsedCommit): void {
    const items = this.items;
    items.push({ commit, seq: this.seq++ });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): ParsedCommit | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.before(l, best)) best = l;
        if (r < items.length && this.before(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top?.commit;
  }

  private before(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    if (!x || !y) return false;
    if (x.commit.committerTime !== y.commit.committerTime) return x.commit.committerTime > y.commit.committerTime;
    return x.seq < y.seq;
  }

  private swap(a: number, b: number): void {
    const x = this.items[a];
    const y = this.items[b];
    if (x && y) {
      this.items[a] = y;
      this.items[b] = x;
    }
  }
}

export class LogWalker {
  private readonly queue = new CommitQueue();
  private readonly seen = new Set<string>();
  private buffered: ParsedCommit | undefined;
  private started = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly start: string,
    /** Normalized path; "" for no filter. */
    private readonly path: string,
    private readonly shallow: ReadonlySet<string>,
  ) {}

  /** The next commit to show, or undefined at the end of history. */
  async next(): Promise<ParsedCommit | undefined> {
    if (this.buffered) {
      const b = this.buffered;
      this.buffered = undefined;
      return b;
    }
    if (!this.started) {
      this.started = true;
      this.seen.add(this.start);
      this.queue.push(await this.store.readCommit(this.start));
    }
    for (let c = this.queue.pop(); c; c = this.queue.pop()) {
      const parents = this.shallow.has(c.oid) ? [] : c.parents;
      let follow: readonly string[] = parents;
      let show = true;
      if (this.path !== '') {
        const mine = await this.pathOid(c);
        if (parents.length === 0) show = mine !== null;
        else {
          const theirs = await Promise.all(parents.map(async (p) => this.pathOid(await this.store.readCommit(p))));
          const same = theirs.indexOf(mine);
          if (same >= 0) {
            show = false;
            follow = [parents[same] ?? ''];
          }
        }
      }
      for (const p of follow) {
        if (this.seen.has(p)) continue;
        this.seen.add(p);
        this.queue.push(await this.store.readCommit(p));
      }
      if (show) return c;
    }
    return undefined;
  }

  /** Puts a commit back so the next call returns it (used to look one ahead). */
  unread(commit: ParsedCommit): void {
    this.buffered = commit;
  }

  private async pathOid(commit: ParsedCommit): Promise<string | null> {
    return (await this.store.entryAt(commit.tree, this.path))?.oid ?? null;
  }
}
