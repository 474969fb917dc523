/**
 * Reads refs straight from the git directory (packed-refs, then loose refs over them), without
 * writing anything. HEAD is read from the work tree's own git directory (linked worktrees have
 * their own HEAD); refs from the common one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isFullOid } from './objects.js';

export interface RawRef {
  /** "refs/heads/main" */
  readonly name: string;
  /** The oid stored in the ref (for annotated tags, the tag object). Absent for symbolic refs. */
  readonly oid?: string;
  /** The commit an annotated tag peels to, when packed-refs recorded it. */
  readonly peeled?: string;
  /** For symbolic refs ("refs/remotes/origin/HEAD"): the ref they point at. */
  readonly target?: string;
}

export interface HeadState {
  /** "refs/heads/main" when HEAD is on a branch (which may not exist yet). */
  readonly branch?: string;
  /** The commit HEAD points at; absent in a repository without commits. */
  readonly oid?: string;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw err;
  }
}

function parseRefValue(name: string, text: string): RawRef | undefined {
  const value = text.trim();
  if (value.startsWith('ref: ')) return { name, target: value.slice(5).trim() };
  if (isFullOid(value)) return { name, oid: value };
  return undefined;
}

async function walkLooseRefs(commonDir: string, rel: string, out: Map<string, RawRef>): Promise<void> {
  let entries;
  try {
    entries = await readdir(join(commonDir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  await Promise.all(
    entries.map(async (e) => {
      const name = `${rel}/${e.name}`;
      if (e.isDirectory()) return walkLooseRefs(commonDir, name, out);
      if (!e.isFile() || e.name.endsWith('.lock')) return;
      const text = await readText(join(commonDir, name));
      const ref = text === undefined ? undefined : parseRefValue(name, text);
      if (ref) out.set(name, ref);
    }),
  );
}

/** Every ref under refs/, by full name. */
export async function readRefs(commonDir: string): Promise<Map<string, RawRef>> {
  const refs = new Map<string, RawRef>();
  const packed = await readText(join(commonDir, 'packed-refs'));
  if (packed) {
    let last: RawRef | undefined;
    for (const line of packed.split('\n')) {
      if (line.startsWith('#') || line === '') continue;
      if (line.startsWith('^')) {
        const peeled = line.slice(1).trim();
        if (last && isFullOid(peeled)) {
          last = { ...last, peeled };
          refs.set(last.name, last);
        }
        continue;
      }
      const sp = line.indexOf(' ');
      const oid = line.slice(0, sp);
      const name = line.slice(sp + 1).trim();
      if (sp > 0 && isFullOid(oid) && name.startsWith('refs/')) {
        last = { name, oid };
        refs.set(name, last);
      } else last = undefined;
    }
  }
  const loose = new Map<string, RawRef>();
  await walkLooseRefs(commonDir, 'refs', loose);
  for (const [name, ref] of loose) refs.set(name, ref);
  return refs;
}

/** Follows symbolic refs (at most a few hops) to an oid. */
export function followRef(refs: ReadonlyMap<string, RawRef>, name: string): RawRef | undefined {
  let ref = refs.get(name);
  for (let hops = 0; ref?.target && hops < 5; hops++) ref = refs.get(ref.target);
  return ref?.oid ? ref : undefined;
}

export async function readHead(headDir: string, refs: ReadonlyMap<string, RawRef>): Promise<HeadState> {
  const text = await readText(join(headDir, 'HEAD'));
  if (text === undefined) return {};
  const value = parseRefValue('HEAD', text);
  if (!value) return {};
  if (value.oid) return { oid: value.oid };
  const branch = value.target;
  const target = branch ? followRef(refs, branch) : undefined;
  return { ...(branch ? { branch } : {}), ...(target?.oid ? { oid: target.oid } : {}) };
}

/** Short display name of a full ref name, and its kind; undefined for refs Slipway does not list (notes, stash, …). */
export function classifyRef(fullName: string): { kind: 'branch' | 'remote-branch' | 'tag'; name: string } | undefined {
  if (fullName.startsWith('refs/heads/')) return { kind: 'branch', name: fullName.slice(11) };
  if (fullName.startsWith('refs/remotes/')) return { kind: 'remote-branch', name: fullName.slice(13) };
  if (fullName.startsWith('refs/tags/')) return { kind: 'tag', name: fullName.slice(10) };
  return undefined;
}

/** The full names `git rev-parse` tries for a short name, in its order. */
export function refCandidates(name: string): string[] {
  return [name, `refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`];
}
