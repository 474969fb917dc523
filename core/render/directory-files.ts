/**
 * What a directory app does with each file of its folder, as Argo CD does: manifests are parsed,
 * `.jsonnet` files evaluated, `.libsonnet` files read only through imports; the rest is skipped and
 * named in one info diagnostic (a folder never renders "0 objects" without saying why). A table,
 * first match wins.
 */
import type { Diagnostic } from '../model/diagnostics.js';

export type DirectoryFileRole = 'manifest' | 'jsonnet' | 'library' | 'ignored' | 'skipped';

interface FileRule {
  readonly role: DirectoryFileRole;
  /** Matches the path relative to the app's folder. */
  readonly test: (relative: string) => boolean;
}

export const DIRECTORY_FILE_RULES: readonly FileRule[] = [
  // Hidden files and folders (.github/, .gitignore) and Slipway's own configuration are never the app's.
  { role: 'ignored', test: (p) => p.split('/').some((part) => part.startsWith('.')) || p === 'slipway.yaml' || p === 'slipway.yml' },
  { role: 'manifest', test: (p) => /\.(ya?ml|json)$/i.test(p) },
  { role: 'jsonnet', test: (p) => /\.jsonnet$/i.test(p) },
  { role: 'library', test: (p) => /\.libsonnet$/i.test(p) },
  { role: 'skipped', test: () => true },
];

export function directoryFileRole(relative: string): DirectoryFileRole {
  return DIRECTORY_FILE_RULES.find((r) => r.test(relative))!.role;
}

/** Names listed before the rest is counted ("and 12 more"). */
const LISTED = 8;

/**
 * One info diagnostic naming the files a folder's rendering skipped, or none. Libraries count only
 * when no `.jsonnet` file could import them.
 */
export function skippedFilesDiagnostic(folder: string, files: { readonly skipped: readonly string[]; readonly libraries: readonly string[]; readonly jsonnet: number }): Diagnostic | undefined {
  const unused = files.jsonnet === 0 ? files.libraries : [];
  const all = [...files.skipped, ...unused];
  if (all.length === 0) return undefined;
  const names = all.slice(0, LISTED).join(', ') + (all.length > LISTED ? ` and ${all.length - LISTED} more` : '');
  const why = [
    files.skipped.length > 0 && 'Slipway reads .yaml, .yml and .json files as manifests and evaluates .jsonnet files',
    unused.length > 0 && '.libsonnet files are Jsonnet libraries, read only when a .jsonnet file imports them',
  ].filter(Boolean).join('; ');
  return { severity: 'info', code: 'files-skipped', message: `${all.length === 1 ? '1 file is' : `${all.length} files are`} not rendered: ${names} (${why})`, location: { file: folder || '.' } };
}
