/**
 * Folders that look like apps, for a repository that defines none (no slipway.yaml apps, no
 * Argo CD / Flux definitions): what `slipway apps` and the UI's picker offer for `--path`, and
 * what `selectApp` uses to refuse rendering a whole repository that is laid out as several apps.
 * A pure function over the repository-relative paths of a tree listing.
 */
import { isManifestFileName } from '../manifest/manifests.js';
import { compareStrings, detectSourceType, type SourceType } from './apps.js';
import { SLIPWAY_CONFIG_FILE } from './slipway-config.js';

export interface AppCandidate {
  /** Repository-relative folder; "" is the repository root. */
  readonly path: string;
  readonly sourceType: SourceType;
}

/** A directory app renders manifests and evaluates .jsonnet files (core/render/directory-files.ts). */
const rendersInFolder = (file: string): boolean => isManifestFileName(file) || /\.jsonnet$/i.test(file);

const parentOf = (path: string): string => {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
};

/** `inner` is `outer` itself or below it ("" holds everything). */
const isAtOrBelow = (inner: string, outer: string): boolean => outer === '' || inner === outer || inner.startsWith(`${outer}/`);

/**
 * The folders that look like apps, sorted by path:
 *  - a folder with a kustomization file or Chart.yaml (kustomize, helm) that is not below another
 *    one: a chart or kustomization owns its subtree (templates/, charts/, bases);
 *  - a folder with manifest files directly in it (directory) that is not below a kustomize/helm
 *    folder, does not contain one (rendering it whole would read chart templates as manifests),
 *    and is not below another directory folder other than the root (a directory app reads its
 *    subfolders too; the root only counts as one app when nothing else is structured);
 *  - the root as a directory only when no folder is kustomize/helm: that is what rendering the
 *    repository without --app or --path gives (`selectApp`).
 * Hidden folders and files (".github/", ".harness/") and the root's slipway.yaml are skipped.
 */
export function appCandidates(files: readonly string[]): AppCandidate[] {
  const filesByFolder = new Map<string, string[]>();
  for (const file of files) {
    if (file.split('/').some((part) => part.startsWith('.')) || file === SLIPWAY_CONFIG_FILE) continue;
    const folder = parentOf(file);
    const list = filesByFolder.get(folder);
    if (list) list.push(file);
    else filesByFolder.set(folder, [file]);
  }
  // A prefix sorts first: every folder comes after the folders above it.
  const folders = [...filesByFolder.keys()].sort(compareStrings);

  const structured: AppCandidate[] = [];
  for (const folder of folders) {
    const type = detectSourceType(filesByFolder.get(folder)!, folder);
    if (type === 'directory' || structured.some((s) => isAtOrBelow(folder, s.path))) continue;
    structured.push({ path: folder, sourceType: type });
  }
  if (structured.some((s) => s.path === '')) return structured;

  const plain: AppCandidate[] = [];
  for (const folder of folders) {
    if (folder === '' || !filesByFolder.get(folder)!.some(rendersInFolder)) continue;
    if (structured.some((s) => isAtOrBelow(folder, s.path) || isAtOrBelow(s.path, folder))) continue;
    if (plain.some((p) => isAtOrBelow(folder, p.path))) continue;
    plain.push({ path: folder, sourceType: 'directory' });
  }
  const rootIsOneApp = structured.length === 0 && (plain.length > 0 || (filesByFolder.get('') ?? []).some(rendersInFolder));
  const all = [...(rootIsOneApp ? [{ path: '', sourceType: 'directory' as const }] : []), ...structured, ...plain];
  return all.sort((a, b) => compareStrings(a.path, b.path));
}

/** True when the repository is laid out as several apps: the root renders as a plain folder while folders below it are kustomizations or charts. */
export function definesAppsByLayout(candidates: readonly AppCandidate[]): boolean {
  return candidates.length > 0 && !candidates.some((c) => c.path === '');
}
