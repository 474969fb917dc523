/**
 * Which files of a kustomize app each rendered object is built from: the resource file that
 * declares it, the patches whose target it is, the generator files behind a generated ConfigMap or
 * Secret, and the kustomization files (and what they name for everyone: transformers,
 * configurations, CRDs, charts) of every kustomization on its way up. Read from the kustomization
 * files as kustomize reads them (resources, bases, components, patches, generators), following
 * names through namePrefix and nameSuffix and the generators' hash suffix. An object no rule
 * matches (a plugin's, a chart's) is left to the caller (every file the build reads). Pure apart
 * from reading files through a TreeView, as core/render/closure.ts.
 */
import { posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KUSTOMIZATION_FILES, type TreeView } from '../../render/closure.js';

/** Files and folders (a folder ends in "/"), repository-relative. */
export type Sources = readonly string[];

export interface KustomizeSources {
  /** Every file and folder the builds read (one `git log` for all objects). */
  readonly paths: Sources;
  /** The files and folders an object (by kind and name as rendered) is built from; undefined when no kustomization declares it. */
  sourcesOf(object: { readonly kind: string; readonly name: string }): Sources | undefined;
}

interface Rule {
  readonly files: readonly string[];
  /** Absent: any kind. */
  readonly kind?: string;
  /** The name in its kustomization (before that kustomization's prefix and suffix); absent: any. */
  readonly name?: string;
  /** A patch target's name, a regular expression. */
  readonly pattern?: RegExp;
  /** A generator's: kustomize appends "-<hash>". */
  readonly generated?: boolean;
}

interface Scope {
  readonly dir: string;
  /** Read for every object of the scope: its kustomization file, configurations, transformers… */
  readonly files: string[];
  /** The prefix and suffix a name declared here ends up with (this kustomization's and those above it). */
  readonly prefix: string;
  readonly suffix: string;
  /** What declares objects here: resource files and generators. */
  readonly declares: Rule[];
  readonly patches: Rule[];
  readonly children: Scope[];
}

const GENERATED_HASH = /-[a-z0-9]{10}$/;

export async function kustomizeSources(view: TreeView, appPath: string): Promise<KustomizeSources> {
  const walk = new Walk(view);
  const top = await walk.scope(appPath, { prefix: '', suffix: '' });
  const all = [...walk.read].sort();
  return {
    paths: all,
    sourcesOf: (object) => {
      const found = new Set<string>();
      return collect(top, object, found) ? [...found].sort() : undefined;
    },
  };
}

/** Adds the files of the scopes that declare the object (and of their patches that target it); false when none declares it. */
function collect(scope: Scope, object: { kind: string; name: string }, out: Set<string>): boolean {
  const matches = (rule: Rule): boolean => {
    if (rule.kind !== undefined && rule.kind !== object.kind) return false;
    if (rule.name === undefined && rule.pattern === undefined) return true;
    const name = rule.generated ? [object.name, object.name.replace(GENERATED_HASH, '')] : [object.name];
    const inner = (n: string): string | undefined => (n.startsWith(scope.prefix) && n.endsWith(scope.suffix) && n.length >= scope.prefix.length + scope.suffix.length ? n.slice(scope.prefix.length, n.length - scope.suffix.length) : undefined);
    return name.some((n) => {
      const middle = inner(n);
      if (rule.pattern) return rule.pattern.test(n) || (middle !== undefined && rule.pattern.test(middle));
      return n === rule.name || middle === rule.name;
    });
  };
  let declared = false;
  for (const child of scope.children) if (collect(child, object, out)) declared = true;
  const own = scope.declares.filter(matches);
  if (own.length > 0) declared = true;
  if (!declared) return false;
  for (const f of scope.files) out.add(f);
  for (const rule of [...own, ...scope.patches.filter(matches)]) for (const f of rule.files) out.add(f);
  return true;
}

class Walk {
  /** Everything read, for the log. */
  readonly read = new Set<string>();
  private readonly visited = new Set<string>();

  constructor(private readonly view: TreeView) {}

  async scope(dir: string, outer: { prefix: string; suffix: string }): Promise<Scope> {
    const scope: Scope = { dir, files: [], prefix: outer.prefix, suffix: outer.suffix, declares: [], patches: [], children: [] };
    if (this.visited.has(dir)) return scope; // a cycle: kustomize refuses it
    this.visited.add(dir);
    const k = await this.kustomization(dir, scope);
    if (!k) return scope;
    const own = { prefix: str(k.namePrefix), suffix: str(k.nameSuffix) };
    const named: Scope = { ...scope, prefix: outer.prefix + own.prefix, suffix: own.suffix + outer.suffix };
    await this.fill(named, k, dir);
    return named;
  }

  /** Reads a folder's kustomization file into the scope's files; undefined when it has none or it cannot be read. */
  private async kustomization(dir: string, scope: Scope): Promise<Record<string, unknown> | undefined> {
    const file = KUSTOMIZATION_FILES.map((n) => (dir ? `${dir}/${n}` : n)).find((p) => this.view.kind(p) === 'file');
    if (!file) return undefined;
    this.add(scope.files, file);
    return (await this.documents(file))[0];
  }

  private async fill(scope: Scope, k: Record<string, unknown>, dir: string): Promise<void> {
    const path = (ref: string): string | undefined => this.resolve(dir, ref);
    for (const ref of [...strings(k.resources), ...strings(k.bases)]) {
      const p = path(ref);
      if (p === undefined) continue;
      if (this.view.kind(p) === 'dir' || p === '') scope.children.push(await this.scope(p, { prefix: scope.prefix, suffix: scope.suffix }));
      else await this.declaredIn(p, scope);
    }
    // A component patches and adds to the kustomization that lists it: its rules are this scope's.
    for (const ref of strings(k.components)) {
      const p = path(ref);
      if (p === undefined || this.visited.has(p)) continue;
      this.visited.add(p);
      const c = await this.kustomization(p, scope);
      if (c) await this.fill(scope, c, p);
    }
    for (const ref of strings(k.patchesStrategicMerge)) {
      const p = ref.includes('\n') ? undefined : path(ref);
      if (p !== undefined) await this.patchFile(p, scope, undefined);
    }
    for (const entry of [...objects(k.patches), ...objects(k.patchesJson6902)]) {
      const p = typeof entry.path === 'string' ? path(entry.path) : undefined;
      const target = objects([entry.target])[0];
      if (p === undefined && !target) continue; // an inline patch without a target: read from the kustomization, which every object has already
      await this.patchFile(p, scope, target);
    }
    for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      const options = objects([k.generatorOptions])[0];
      for (const entry of objects(k[field])) {
        if (typeof entry.name !== 'string') continue;
        const files = [...strings(entry.files).map((f) => (f.includes('=') ? f.slice(f.indexOf('=') + 1) : f)), ...strings(entry.envs), ...strings([entry.env])].flatMap((f) => path(f) ?? []);
        files.forEach((f) => this.read.add(f));
        const disabled = objects([entry.options])[0]?.disableNameSuffixHash ?? options?.disableNameSuffixHash;
        scope.declares.push({ files, kind, name: entry.name, generated: disabled !== true });
      }
    }
    // Read for every object of the scope.
    for (const field of ['crds', 'configurations', 'transformers', 'generators', 'validators'] as const) {
      for (const ref of strings(k[field])) {
        const p = ref.includes('\n') ? undefined : path(ref);
        if (p === undefined) continue;
        this.add(scope.files, this.view.kind(p) === 'dir' ? `${p}/` : p);
        if (this.view.kind(p) !== 'file') continue;
        for (const doc of await this.documents(p)) {
          for (const f of [doc.path, doc.chartHome, doc.valuesFile, ...strings(doc.additionalValuesFiles), ...strings(doc.files), ...strings(doc.envs)]) {
            const q = typeof f === 'string' ? path(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f) : undefined;
            if (q !== undefined) this.add(scope.files, this.view.kind(q) === 'dir' ? `${q}/` : q);
          }
        }
      }
    }
    for (const entry of [...objects(k.replacements), ...objects([k.openapi])]) {
      const p = typeof entry.path === 'string' ? path(entry.path) : undefined;
      if (p !== undefined) this.add(scope.files, p);
    }
    const charts = objects(k.helmCharts);
    if (charts.length > 0) {
      const home = path(str(objects([k.helmGlobals])[0]?.chartHome) || 'charts');
      if (home !== undefined) this.add(scope.files, `${home}/`);
      for (const chart of charts) for (const ref of [chart.valuesFile, ...strings(chart.additionalValuesFiles)]) if (typeof ref === 'string' && path(ref) !== undefined) this.add(scope.files, path(ref)!);
    }
  }

  /** A resource file: one rule per object it declares (any object of the scope when it cannot be read). */
  private async declaredIn(file: string, scope: Scope): Promise<void> {
    this.read.add(file);
    const docs = await this.documents(file);
    if (docs.length === 0) scope.declares.push({ files: [file] });
    for (const doc of docs) {
      const items = doc.kind === 'List' || (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) ? objects(doc.items) : [doc];
      for (const item of items) {
        const kind = str(item.kind);
        const name = str(objects([item.metadata])[0]?.name);
        scope.declares.push({ files: [file], ...(kind && { kind }), ...(name && { name }) });
      }
    }
  }

  /** A patch: its target (kind, name as a regular expression), else what the patch file names; the file, if any, is the rule's. */
  private async patchFile(file: string | undefined, scope: Scope, target: Record<string, unknown> | undefined): Promise<void> {
    const files = file !== undefined ? [file] : [];
    if (file !== undefined) this.read.add(file);
    if (target) {
      const kind = str(target.kind);
      const name = str(target.name);
      scope.patches.push({ files, ...(kind && { kind }), ...(name && { pattern: anchored(name) }) });
      return;
    }
    if (file === undefined) return;
    const docs = await this.documents(file);
    if (docs.length === 0) scope.patches.push({ files });
    for (const doc of docs) {
      const kind = str(doc.kind);
      const name = str(objects([doc.metadata])[0]?.name);
      scope.patches.push({ files, ...(kind && { kind }), ...(name && { name }) });
    }
  }

  private add(list: string[], path: string): void {
    if (!list.includes(path)) list.push(path);
    this.read.add(path);
  }

  /** A reference relative to a kustomization's folder, inside the repository and present; undefined otherwise (remote, missing: kustomize says so). */
  private resolve(dir: string, ref: string): string | undefined {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^[\w.-]+@[\w.-]+:/.test(ref) || ref.startsWith('/')) return undefined;
    const p = posix.normalize(posix.join(dir || '.', ref)).replace(/\/$/, '');
    if (p === '..' || p.startsWith('../')) return undefined;
    const path = p === '.' ? '' : p;
    return path === '' || this.view.kind(path) !== undefined ? path : undefined;
  }

  private async documents(file: string): Promise<Record<string, unknown>[]> {
    if (this.view.kind(file) !== 'file') return [];
    try {
      const docs = parseAllDocuments(await this.view.read(file));
      return (Array.isArray(docs) ? docs : []).flatMap((d) => {
        if (d.errors.length > 0) return [];
        const v: unknown = d.toJS({ maxAliasCount: 100 });
        return v && typeof v === 'object' && !Array.isArray(v) ? [v as Record<string, unknown>] : [];
      });
    } catch {
      return [];
    }
  }
}

/** kustomize matches a target's name as a whole-name regular expression; a name that is no valid one is matched as written. */
function anchored(name: string): RegExp {
  try {
    return new RegExp(`^(?:${name})$`);
  } catch {
    return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function objects(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}
