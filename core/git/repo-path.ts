/**
 * Repository-relative paths: "/" separators, no leading "./" or "/", no trailing "/", "" for the
 * root. Anything that would leave the repository or reach into `.git` is refused.
 */
import { SlipwayError } from '../model/diagnostics.js';

/** Normalizes a repository-relative path; throws SlipwayError "invalid-path" for paths that escape the repository. */
export function normalizeRepoPath(input: string): string {
  if (input.includes('\0')) throw new SlipwayError('invalid-path', `Invalid path ${JSON.stringify(input)}: it contains a NUL character`);
  if (input.startsWith('/')) {
    throw new SlipwayError('invalid-path', `Invalid path "${input}": it must be relative to the repository root`, { hint: `use "${input.replace(/^\/+/, '')}"` });
  }
  const out: string[] = [];
  for (const segment of input.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) throw new SlipwayError('invalid-path', `Invalid path "${input}": it leads outside the repository`);
      out.pop();
      continue;
    }
    if (segment.toLowerCase() === '.git') throw new SlipwayError('invalid-path', `Invalid path "${input}": Slipway never reads inside .git`);
    out.push(segment);
  }
  return out.join('/');
}

/** "a/b/c" → ["a", "b", "c"]; "" → []. The path must already be normalized. */
export function pathSegments(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

export function joinRepoPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/**
 * Compares repository paths in UTF-8 byte order, the order Git sorts by. JavaScript's `<` compares
 * UTF-16 code units, which differs only when a surrogate (a character beyond U+FFFF) meets a
 * character in U+E000–U+FFFF.
 */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
