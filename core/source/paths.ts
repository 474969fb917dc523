/**
 * Repository-relative paths: "/" separators, no leading "./" or "/", no trailing "/", "" for
 * the repository root, never outside the repository. Pure string functions (POSIX rules).
 */
import { posix } from 'node:path';

export type NormalizedPath = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * Normalizes a path written relative to the repository root: "./apps/web/" → "apps/web",
 * "." → "", "a/../b" → "b". Refuses absolute paths, paths that leave the repository with "..",
 * and backslashes (Git paths use "/").
 */
export function normalizeRepoPath(path: string): NormalizedPath {
  return normalizeRelative(path, '');
}

/**
 * Resolves `path`, written relative to the folder `base` (itself repository-relative and
 * normalized), into a repository-relative path: ("apps/web", "../shared/values.yaml") →
 * "apps/shared/values.yaml". The result must stay inside the repository.
 */
export function resolveRepoPath(base: string, path: string): NormalizedPath {
  return normalizeRelative(path, base);
}

function normalizeRelative(path: string, base: string): NormalizedPath {
  if (path.includes('\\')) return { ok: false, reason: 'contains "\\": use "/" as the path separator' };
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { ok: false, reason: 'must be relative to the repository root, not absolute' };
  const joined = posix.normalize(base === '' ? path : `${base}/${path}`);
  if (joined === '..' || joined.startsWith('../')) return { ok: false, reason: 'leaves the repository (too many "..")' };
  const trimmed = joined === '.' || joined === './' ? '' : joined.replace(/\/+$/, '');
  return { ok: true, path: trimmed };
}

/** "apps/web" → "web"; "" → "". */
export function lastSegment(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}
