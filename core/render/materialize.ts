/**
 * Writes a Snapshot to disk so kustomize and helm can read it, without touching the user's work
 * tree. Trees are cached by tree oid: a second render of the same revision reuses the folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Repository, Snapshot } from '../git/types.js';
import type { Diagnostic } from '../model/diagnostics.js';

export interface MaterializeOptions {
  /** Folder that holds materialized trees (one subfolder per tree oid). */
  readonly cacheDir: string;
  /** How many trees to keep; the least recently used are removed. Default 16. */
  readonly keep?: number;
}

export interface Materialized {
  readonly dir: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * Resolves a symlink's target inside the snapshot's repository, or undefined when it leaves the
 * repository (absolute targets, or `..` past the top).
 */
export function resolveSymlink(linkPath: string, target: string): string | undefined {
  if (target.startsWith('/') || /^[A-Za-z]:[\\/]/.test(target)) return undefined;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../') ? undefined : resolved.replace(/^\.\/?/, '');
}

export async function materialize(repo: Repository, snapshot: Snapshot, opts: MaterializeOptions): Promise<Materialized> {
  const dir = join(opts.cacheDir, snapshot.treeOid);
  const diagnostics: Diagnostic[] = [];
  const symlinkDiagnostics = async (): Promise<void> => {
    for (const f of snapshot.files) {
      if (f.mode !== 'symlink') continue;
      const target = new TextDecoder().decode(await repo.readFile(snapshot, f));
      if (resolveSymlink(f.path, target) === undefined) diagnostics.push(escapingSymlink(f.path, target));
    }
  };
  if (existsSync(dir)) {
    const now = new Date();
    await utimes(dir, now, now);
    await symlinkDiagnostics();
    return { dir, diagnostics };
  }
  await mkdir(opts.cacheDir, { recursive: true });
  const tmp = `${dir}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    for (const f of snapshot.files) {
      const rel = snapshot.root ? f.path.slice(snapshot.root.length + 1) : f.path;
      const out = join(tmp, rel);
      await mkdir(dirname(out), { recursive: true });
      const content = await repo.readFile(snapshot, f);
      if (f.mode === 'symlink') {
        const target = new TextDecoder().decode(content);
        // Only links that stay inside the repository are recreated; the rest are refused.
        if (resolveSymlink(f.path, target) === undefined) diagnostics.push(escapingSymlink(f.path, target));
        else await symlink(target, out);
      } else {
        await writeFile(out, content);
        if (f.mode === 'executable') await chmod(out, 0o755);
      }
    }
    await mkdir(tmp, { recursive: true });
    await rename(tmp, dir).catch(async (e: NodeJS.ErrnoException) => {
      // Another render materialized the same tree meanwhile: use theirs.
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
      await rm(tmp, { recursive: true, force: true });
    });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  await evict(opts.cacheDir, opts.keep ?? 16);
  return { dir, diagnostics };
}

function escapingSymlink(path: string, target: string): Diagnostic {
  return { severity: 'error', code: 'symlink-escapes', message: `symlink points outside the repository (to ${target}); Slipway refuses to follow it`, location: { file: path } };
}

async function evict(cacheDir: string, keep: number): Promise<void> {
  const entries = (await readdir(cacheDir)).filter((n) => !n.includes('.tmp-'));
  if (entries.length <= keep) return;
  const withTimes = await Promise.all(entries.map(async (n) => ({ n, t: (await stat(join(cacheDir, n))).mtimeMs })));
  withTimes.sort((a, b) => b.t - a.t);
  for (const { n } of withTimes.slice(keep)) await rm(join(cacheDir, n), { recursive: true, force: true });
}
