/**
 * What a kustomize or Helm app reads from its repository: the app's folder and every folder or
 * file its kustomizations and charts point at (`../base`, components, patch files, generator
 * files, `file://` chart dependencies, values files), followed recursively. Rendering writes out
 * only these, so a missing or huge blob elsewhere in the repository does not matter.
 *
 * Pure apart from reading files through a TreeView; remote references (URLs, git@…) are left to
 * the tools, and a reference that does not exist is left for the tool to report.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Repository, Snapshot, SnapshotFile } from '../git/types.js';
import { SlipwayError } from '../model/diagnostics.js';
import { resolveSymlink } from './materialize.js';
import { jsonnetImports } from './jsonnet-imports.js';

/** The repository as the closure sees it: what a path is, and a file's text. */
export interface TreeView {
  kind(path: string): 'file' | 'symlink' | 'dir' | undefined;
  /** A file's text (for a symlink: its target). */
  read(path: string): Promise<string>;
  /** Every symlink at or under a folder ("" for all). */
  symlinksUnder(folder: string): readonly string[];
}

export type Closure =
  /** Folders are included with everything under them; files are single files outside them. */
  | { readonly kind: 'paths'; readonly folders: readonly string[]; readonly files: readonly string[] }
  /** The closure could not be told (an unreadable kustomization or chart): all of the repository. */
  | { readonly kind: 'whole'; readonly reason: string };

export interface ClosureRequest {
  readonly type: 'kustomize' | 'helm' | 'jsonnet';
  /** Repository-relative folder of the app ("" for the root). */
  readonly appPath: string;
  /** Repository-relative values files (Helm). */
  readonly valuesFiles?: readonly string[];
  /** Jsonnet: the repository-relative `.jsonnet` files evaluated, the library folders (repository-relative) and the code of extVars and tlas (`code: true`), whose imports are followed too. */
  readonly jsonnet?: { readonly files: readonly string[]; readonly libs: readonly string[]; readonly code: readonly string[] };
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** Thrown inside the walk when a file cannot be read as YAML: the walk gives up and takes everything. */
class Unreadable extends Error {}

export async function appClosure(view: TreeView, req: ClosureRequest): Promise<Closure> {
  const walk = new Walk(view);
  try {
    if (req.type === 'kustomize') await walk.kustomization(req.appPath);
    else if (req.type === 'jsonnet') await walk.jsonnet(req.appPath, req.jsonnet ?? { files: [], libs: [], code: [] });
    else {
      await walk.chart(req.appPath);
      for (const values of req.valuesFiles ?? []) await walk.include(values, { from: req.appPath || '.', field: 'valuesFiles', base: '' });
    }
    await walk.followSymlinks();
  } catch (e) {
    if (e instanceof Unreadable) return { kind: 'whole', reason: e.message };
    throw e;
  }
  return walk.result();
}

interface Reference {
  /** The file that names the reference, for messages. */
  readonly from: string;
  readonly field: string;
  /** The folder the reference is relative to. */
  readonly base: string;
}

/** Kustomize reads remote bases itself: URLs, scp-like git addresses, and go-getter style hosts. */
function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^[\w.-]+@[\w.-]+:/.test(ref) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) || ref.includes('?ref=') || ref.includes('//?');
}

class Walk {
  private readonly folders = new Set<string>();
  private readonly files = new Set<string>();
  private readonly visitedKustomizations = new Set<string>();
  private readonly visitedCharts = new Set<string>();
  /** Links met on the way to a reference: their targets are taken only as far as the reference goes. */
  private readonly linksOnTheWay = new Set<string>();

  constructor(private readonly view: TreeView) {}

  result(): Closure {
    const within = (path: string, folder: string): boolean => folder === '' || path === folder || path.startsWith(`${folder}/`);
    const folders = [...this.folders].filter((f) => ![...this.folders].some((o) => o !== f && within(f, o))).sort();
    const files = [...this.files].filter((f) => !folders.some((o) => within(f, o))).sort();
    return { kind: 'paths', folders, files };
  }

  /**
   * Resolves a reference to a repository path, following symlinked folders on the way (each link
   * is kept too, so the tool finds the same path). Undefined when it does not exist.
   */
  private async resolve(ref: string, at: Reference): Promise<string | undefined> {
    if (ref.startsWith('/') || /^[A-Za-z]:[\\/]/.test(ref)) throw escapes(ref, at);
    let path = posix.normalize(posix.join(at.base || '.', ref));
    if (path === '..' || path.startsWith('../')) throw escapes(ref, at);
    path = path === '.' ? '' : path.replace(/\/$/, '');
    for (let hops = 0; hops < 40; hops++) {
      const parts = path === '' ? [] : path.split('/');
      let link: string | undefined;
      for (let i = 1; i <= parts.length && link === undefined; i++) {
        const prefix = parts.slice(0, i).join('/');
        if (this.view.kind(prefix) === 'symlink') link = prefix;
      }
      if (link === undefined) return this.view.kind(path) === undefined && path !== '' ? undefined : path;
      this.files.add(link);
      this.linksOnTheWay.add(link);
      const target = resolveSymlink(link, await this.view.read(link));
      // A link leaving the repository is refused when the tree is written out (materialize says so).
      if (target === undefined) return undefined;
      path = posix.join(target, path.slice(link.length + 1)).replace(/\/$/, '').replace(/^\.$/, '');
    }
    return undefined;
  }

  /** Includes a referenced path: a folder whole (recursing when it is a kustomization), a file alone. */
  async include(ref: string, at: Reference, opts: { kustomization?: boolean } = {}): Promise<string | undefined> {
    if (isRemote(ref)) return undefined;
    const path = await this.resolve(ref, at);
    if (path === undefined) return undefined;
    if (path === '' || this.view.kind(path) === 'dir') {
      this.folders.add(path);
      if (opts.kustomization) await this.kustomization(path);
    } else this.files.add(path);
    return path;
  }

  async kustomization(dir: string): Promise<void> {
    if (this.visitedKustomizations.has(dir)) return;
    this.visitedKustomizations.add(dir);
    this.folders.add(dir);
    const name = KUSTOMIZATION_FILES.map((n) => (dir ? `${dir}/${n}` : n)).find((p) => this.view.kind(p) === 'file');
    if (!name) return; // no kustomization here: kustomize reports it
    const k = await this.yaml(name);
    const at = (field: string): Reference => ({ from: name, field, base: dir });
    for (const field of ['resources', 'bases', 'components'] as const) {
      for (const ref of strings(k[field])) await this.include(ref, at(field), { kustomization: true });
    }
    // Entries that hold an inline patch or an inline plugin config (several lines) are not paths.
    for (const field of ['patchesStrategicMerge', 'crds', 'configurations', 'transformers', 'generators', 'validators'] as const) {
      for (const ref of strings(k[field])) if (!ref.includes('\n')) await this.includeConfig(ref, at(field));
    }
    for (const field of ['patches', 'patchesJson6902', 'replacements'] as const) {
      for (const entry of objects(k[field])) if (typeof entry.path === 'string') await this.include(entry.path, at(field));
    }
    for (const field of ['configMapGenerator', 'secretGenerator'] as const) {
      for (const entry of objects(k[field])) await this.generatorFiles(entry, at(field));
    }
    const openapi = objects([k.openapi])[0];
    if (openapi && typeof openapi.path === 'string') await this.include(openapi.path, at('openapi'));
    const globals = objects([k.helmGlobals])[0];
    const chartHome = globals && typeof globals.chartHome === 'string' ? globals.chartHome : 'charts';
    const charts = objects(k.helmCharts);
    if (charts.length > 0) await this.include(chartHome, at('helmGlobals.chartHome'));
    for (const chart of charts) {
      for (const ref of [chart.valuesFile, ...strings(chart.additionalValuesFiles)]) if (typeof ref === 'string') await this.include(ref, at('helmCharts'));
    }
    for (const entry of objects(k.helmChartInflationGenerator)) {
      for (const ref of [entry.chartHome, entry.values]) if (typeof ref === 'string') await this.include(ref, at('helmChartInflationGenerator'));
    }
  }

  /** configMapGenerator / secretGenerator: `files` ("key=path" or "path"), `envs`, `env`. */
  private async generatorFiles(entry: Record<string, unknown>, at: Reference): Promise<void> {
    for (const f of strings(entry.files)) await this.include(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f, at);
    for (const f of [...strings(entry.envs), ...strings([entry.env])]) await this.include(f, at);
  }

  /**
   * A transformer, generator or validator entry is a folder (a kustomization of plugin configs) or
   * a config file; a config can name files itself (a PatchTransformer's path, a generator's files),
   * relative to the kustomization that lists it.
   */
  private async includeConfig(ref: string, at: Reference): Promise<void> {
    const path = await this.include(ref, at, { kustomization: true });
    if (path === undefined || this.view.kind(path) !== 'file' || !['transformers', 'generators', 'validators'].includes(at.field)) return;
    for (const doc of await this.yamlDocuments(path)) {
      if (typeof doc.path === 'string') await this.include(doc.path, at);
      await this.generatorFiles(doc, at);
      for (const ref of [doc.chartHome, doc.valuesFile, ...strings(doc.additionalValuesFiles)]) if (typeof ref === 'string') await this.include(ref, at);
    }
  }

  /**
   * A directory app's Jsonnet: its folder, the library folders, and every file the evaluated files
   * import, recursively, found as jsonnet finds them (next to the importing file, then in the
   * library paths, right-most first). An import that would leave the repository is refused.
   */
  async jsonnet(appPath: string, req: { readonly files: readonly string[]; readonly libs: readonly string[]; readonly code: readonly string[] }): Promise<void> {
    this.folders.add(appPath);
    const jpaths = [appPath];
    for (const lib of req.libs) {
      const path = await this.include(lib, { from: 'spec.source.directory.jsonnet', field: 'libs', base: '' });
      jpaths.push(path ?? lib);
    }
    const scanned = new Set<string>();
    const follow = async (text: string, from: string, base: string): Promise<void> => {
      for (const { keyword, path } of jsonnetImports(text)) {
        const found = await this.jsonnetImport(path, { from, field: keyword, base }, jpaths);
        if (found === undefined || keyword !== 'import' || scanned.has(found) || this.view.kind(found) !== 'file') continue;
        scanned.add(found);
        await follow(await this.view.read(found), found, posix.dirname(found).replace(/^\.$/, ''));
      }
    };
    // Code given as extVars or tlas imports from the folder jsonnet runs in: the repository's root.
    for (const code of req.code) await follow(code, 'spec.source.directory.jsonnet', '');
    for (const file of req.files) {
      if (scanned.has(file) || this.view.kind(file) !== 'file') continue;
      scanned.add(file);
      await follow(await this.view.read(file), file, posix.dirname(file).replace(/^\.$/, ''));
    }
  }

  /** Where jsonnet finds an import: next to the importing file, else in the library paths from the last; undefined when nowhere (jsonnet reports it). */
  private async jsonnetImport(ref: string, at: Reference, jpaths: readonly string[]): Promise<string | undefined> {
    for (const base of [at.base, ...[...jpaths].reverse()]) {
      const path = await this.resolve(ref, { ...at, base });
      if (path !== undefined && path !== '' && this.view.kind(path) !== 'dir') {
        this.files.add(path);
        return path;
      }
    }
    return undefined;
  }

  /** A chart folder and its `file://` dependencies (Chart.yaml, or requirements.yaml of apiVersion v1 charts), recursively. */
  async chart(dir: string): Promise<void> {
    if (this.visitedCharts.has(dir)) return;
    this.visitedCharts.add(dir);
    this.folders.add(dir);
    for (const name of ['Chart.yaml', 'requirements.yaml']) {
      const file = dir ? `${dir}/${name}` : name;
      if (this.view.kind(file) !== 'file') continue;
      for (const dep of objects((await this.yaml(file)).dependencies)) {
        const repository = typeof dep.repository === 'string' ? dep.repository : '';
        if (!repository.startsWith('file://')) continue;
        const path = await this.include(repository.slice('file://'.length), { from: file, field: 'dependencies', base: dir });
        if (path !== undefined && (path === '' || this.view.kind(path) === 'dir')) await this.chart(path);
      }
    }
  }

  /**
   * Symlinks inside included folders may point at files or folders not included yet: include
   * their targets too, until nothing new comes in.
   */
  async followSymlinks(): Promise<void> {
    const seen = new Set<string>(this.linksOnTheWay);
    for (;;) {
      const links = [...this.folders].flatMap((f) => this.view.symlinksUnder(f)).concat([...this.files].filter((f) => this.view.kind(f) === 'symlink'));
      const fresh = links.filter((l) => !seen.has(l));
      if (fresh.length === 0) return;
      for (const link of fresh) {
        seen.add(link);
        const target = resolveSymlink(link, await this.view.read(link));
        if (target !== undefined) await this.include(target, { from: link, field: 'symlink', base: '' });
      }
    }
  }

  private async yaml(file: string): Promise<Record<string, unknown>> {
    const docs = await this.yamlDocuments(file);
    return docs[0] ?? {};
  }

  private async yamlDocuments(file: string): Promise<Record<string, unknown>[]> {
    const docs = parseAllDocuments(await this.view.read(file));
    // parseAllDocuments returns an EmptyStream (no documents) or documents that may carry errors.
    const list = Array.isArray(docs) ? docs : [];
    const out: Record<string, unknown>[] = [];
    for (const doc of list) {
      if (doc.errors.length > 0) throw new Unreadable(`${file} could not be read as YAML (${doc.errors[0]!.message.split('\n')[0]})`);
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) continue;
      if (typeof value !== 'object' || Array.isArray(value)) throw new Unreadable(`${file} is not a YAML mapping`);
      out.push(value as Record<string, unknown>);
    }
    return out;
  }
}

function escapes(ref: string, at: Reference): SlipwayError {
  return new SlipwayError('reference-escapes', `${at.from}: ${at.field} entry ${ref} points outside the repository; only files inside it are rendered`, {
    location: { file: at.from },
    hint: 'move what it refers to into the repository, or refer to it by a remote URL',
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/** A TreeView over a listing of blobs (a Snapshot's files), reading text through `read`. */
export function listingView(files: readonly { readonly path: string; readonly mode: string }[], read: (path: string) => Promise<string>): TreeView {
  const kinds = new Map<string, 'file' | 'symlink' | 'dir'>();
  const symlinks: string[] = [];
  for (const f of files) {
    kinds.set(f.path, f.mode === 'symlink' ? 'symlink' : 'file');
    if (f.mode === 'symlink') symlinks.push(f.path);
    for (let i = f.path.lastIndexOf('/'); i > 0; i = f.path.lastIndexOf('/', i - 1)) {
      const dir = f.path.slice(0, i);
      if (kinds.has(dir)) break; // its parents were added with it
      kinds.set(dir, 'dir');
    }
  }
  return {
    kind: (path) => kinds.get(path),
    read,
    symlinksUnder: (folder) => (folder === '' ? symlinks : symlinks.filter((l) => l.startsWith(`${folder}/`))),
  };
}

const narrowed = new Map<string, Promise<{ readonly files: readonly SnapshotFile[]; readonly key: string; readonly whole?: string }>>();
const NARROWED_MAX = 256;

/**
 * The part of a whole-repository snapshot an app needs, as a snapshot whose treeOid is a key over
 * exactly the files it holds (path, blob, mode), so materialized folders are shared only when
 * identical. `whole` says why everything was taken when the closure could not be told.
 */
export async function closureSnapshot(repo: Repository, whole: Snapshot, req: ClosureRequest): Promise<{ snapshot: Snapshot; whole?: string }> {
  if (whole.root !== '') throw new Error('closureSnapshot needs a snapshot of the whole repository');
  const memoKey = `${whole.treeOid}\0${req.type}\0${req.appPath}\0${(req.valuesFiles ?? []).join('\0')}\0${JSON.stringify(req.jsonnet ?? null)}`;
  let entry = narrowed.get(memoKey);
  if (!entry) {
    entry = narrow(repo, whole, req);
    entry.catch(() => narrowed.delete(memoKey));
    if (narrowed.size >= NARROWED_MAX) narrowed.delete(narrowed.keys().next().value!);
    narrowed.set(memoKey, entry);
  }
  const { files, key, whole: reason } = await entry;
  return { snapshot: { revision: whole.revision, root: '', treeOid: key, files }, ...(reason !== undefined && { whole: reason }) };
}

async function narrow(repo: Repository, whole: Snapshot, req: ClosureRequest): Promise<{ files: readonly SnapshotFile[]; key: string; whole?: string }> {
  const byPath = new Map(whole.files.map((f) => [f.path, f]));
  const view = listingView(whole.files, async (path) => new TextDecoder().decode(await repo.readFile(whole, byPath.get(path)!)));
  const closure = await appClosure(view, req);
  if (closure.kind === 'whole') return { files: whole.files, key: whole.treeOid, whole: closure.reason };
  if (closure.folders.includes('')) return { files: whole.files, key: whole.treeOid };
  const files = new Set(closure.files);
  const folders = closure.folders.map((f) => `${f}/`);
  const kept = whole.files.filter((f) => files.has(f.path) || folders.some((prefix) => f.path.startsWith(prefix)));
  const hash = createHash('sha256');
  for (const f of kept) hash.update(`${f.mode} ${f.oid} ${f.path}\0`);
  return { files: kept, key: hash.digest('hex') };
}

/** Forgets every computed closure (a cold start, for benchmarks and tests). */
export function clearClosureCache(): void {
  narrowed.clear();
}
