/**
 * What a directory app does with each file of its folder, as Argo CD does: manifests are parsed,
 * `.jsonnet` files evaluated, `.libsonnet` files read only through imports; the rest is skipped and
 * named in one info diagnostic (a folder never renders "0 objects" without saying why). A table,
 * first match wins.
 */
import picomatch from 'picomatch';
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
  const names = listed(all);
  const why = [
    files.skipped.length > 0 && 'Slipway reads .yaml, .yml and .json files as manifests and evaluates .jsonnet files',
    unused.length > 0 && '.libsonnet files are Jsonnet libraries, read only when a .jsonnet file imports them',
  ].filter(Boolean).join('; ');
  return { severity: 'info', code: 'files-skipped', message: `${all.length === 1 ? '1 file is' : `${all.length} files are`} not rendered: ${names} (${why})`, location: { file: folder || '.' } };
}

/** Which files a directory app's options leave out (Argo CD's spec.source.directory), and how to say it. */
export interface DirectoryFileOptions {
  /** Absent: subfolders too (a Slipway folder app). */
  readonly recurse?: boolean;
  readonly include?: string;
  readonly exclude?: string;
}

export type LeftOutReason = 'subfolder' | 'excluded' | 'not-included';

/**
 * A test of each file's path (relative to the app's folder) against the options, Argo CD's order:
 * subfolders when not recursing, then exclude, then include. The globs are Argo CD's (gobwas/glob
 * without separators): `*` crosses "/" and `{a,b}` alternates, which is picomatch's bash mode.
 * Only files Argo CD matches against them (manifests and .jsonnet) are filtered by the globs.
 */
export function directoryFileFilter(options: DirectoryFileOptions): (relative: string, role: DirectoryFileRole) => LeftOutReason | undefined {
  const glob = (pattern: string | undefined) => (pattern ? picomatch(pattern, { bash: true, dot: true }) : undefined);
  const excluded = glob(options.exclude);
  const included = glob(options.include);
  return (relative, role) => {
    if (options.recurse === false && relative.includes('/')) return 'subfolder';
    if (role !== 'manifest' && role !== 'jsonnet') return undefined;
    if (excluded?.(relative)) return 'excluded';
    if (included && !included(relative)) return 'not-included';
    return undefined;
  };
}

/** One info diagnostic per reason files were left out by the app's directory options. */
export function leftOutFilesDiagnostics(folder: string, leftOut: ReadonlyMap<LeftOutReason, readonly string[]>, options: DirectoryFileOptions): Diagnostic[] {
  const say: Record<LeftOutReason, (paths: readonly string[]) => string> = {
    subfolder: (paths) => {
      const subfolders = [...new Set(paths.map((p) => p.slice(0, p.indexOf('/'))))];
      return `${subfolders.length === 1 ? '1 subfolder is' : `${subfolders.length} subfolders are`} not rendered: ${listed(subfolders)} (directory.recurse is false, Argo CD's default)`;
    },
    excluded: (paths) => `${count(paths)} left out by directory.exclude ${JSON.stringify(options.exclude)}: ${listed(paths)}`,
    'not-included': (paths) => `${count(paths)} not matched by directory.include ${JSON.stringify(options.include)}: ${listed(paths)}`,
  };
  return [...leftOut].filter(([, paths]) => paths.length > 0).map(([reason, paths]) => ({ severity: 'info', code: 'files-left-out', message: say[reason](paths), location: { file: folder || '.' } }));
}

const count = (paths: readonly string[]): string => (paths.length === 1 ? '1 file is' : `${paths.length} files are`);
const listed = (names: readonly string[]): string => names.slice(0, LISTED).join(', ') + (names.length > LISTED ? ` and ${names.length - LISTED} more` : '');
