/**
 * A folder of the repository typed by the user, checked as the engine will check it
 * (core/source/paths.ts normalizeRepoPath: "./apps/web/" → "apps/web", "." → ""), so a path that
 * can never work is refused while typing. Whether the folder exists at the revision is the
 * engine's to say (plan fails with `path-not-found`). Pure: the renderer cannot run core's code.
 */
export type FolderCheck = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

export function checkFolderPath(text: string): FolderCheck {
  const input = text.trim();
  if (input.includes('\\')) return { ok: false, reason: 'contains "\\": use "/" between folders' };
  if (input.startsWith('/') || input.startsWith('~') || /^[A-Za-z]:/.test(input)) return { ok: false, reason: 'must be relative to the repository root, not absolute (e.g. apps/web)' };
  const out: string[] = [];
  for (const segment of input.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return { ok: false, reason: 'leaves the repository (too many "..")' };
      out.pop();
      continue;
    }
    if (segment.toLowerCase() === '.git') return { ok: false, reason: 'is inside .git, which Slipway never reads' };
    out.push(segment);
  }
  return { ok: true, path: out.join('/') };
}
