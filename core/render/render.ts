/**
 * Rendering: "what does the repository say the cluster should hold, at this revision?"
 * Directory apps are parsed here; kustomize and helm apps are rendered by their tools on a
 * materialized copy of the revision. Output: DesiredObjects with their sources, and diagnostics.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Repository, Revision, Snapshot, SnapshotFile } from '../git/types.js';
import type { DesiredObject } from '../model/desired.js';
import { SlipwayError, carriedOptions, formatLocation, type Diagnostic } from '../model/diagnostics.js';
import { canonicalJson, textHash } from '../model/canonical.js';
import { formatKey, identityOf } from '../model/resource.js';
import { detectSourceType, type DirectoryOptions, type HelmValuesLayer, type SourceType } from '../source/apps.js';
import { clearClosureCache, closureSnapshot } from './closure.js';
import { materialize, resolveSymlink } from './materialize.js';
import { parseManifests } from '../manifest/manifests.js';
import { clearParseCache, parseFiles } from './parse-files.js';
import { directoryFileFilter, directoryFileRole, leftOutFilesDiagnostics, skippedFilesDiagnostic, type LeftOutReason } from './directory-files.js';
import { clearJsonnetCache, renderJsonnetFiles } from './jsonnet.js';
import { findTool, missingTool, runTool, type ToolPaths } from './tools.js';
import { explainedFailure } from './tool-failure.js';
import { testsLeftOut, withoutHelmTests } from './helm-tests.js';
import { helmCapabilityArgs, type HelmCapabilities } from './capabilities.js';
import { blindSecrets } from '../secret-key.js';
import type { ChartSource, ResolvedChart } from './charts/ref.js';
import { describeChart } from './charts/ref.js';
import { resolveChart } from './charts/resolve.js';
import { withDependencies } from './charts/dependencies.js';
import { chartWorkRoot, resolveOptionsFor } from './charts/cache-root.js';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { decryptSopsObjects } from './sops.js';
import { mergeValuesLayers } from './secret-values.js';

/** What rendering needs to know about an App (the App type of core/source satisfies it). */
export interface RenderableApp {
  readonly name: string;
  /** Repository-relative folder, "" for the root. */
  readonly path: string;
  readonly source: {
    readonly type: SourceType | 'auto';
    readonly helm?: {
      readonly releaseName?: string;
      readonly valuesFiles: readonly string[];
      readonly set: Readonly<Record<string, string>>;
      readonly values?: Readonly<Record<string, unknown>>;
      /** A Flux HelmRelease's valuesFrom with Secrets of the repository, then spec.values (./secret-values.ts). */
      readonly valuesLayers?: readonly HelmValuesLayer[];
    };
    /** A chart from a Helm repository or OCI registry (values files still come from this repository). */
    readonly chart?: ChartSource;
    readonly directory?: DirectoryOptions;
  };
  readonly destination: { readonly namespace?: string };
}

export interface RenderOptions {
  readonly tools?: ToolPaths;
  /** Where materialized trees for kustomize/helm are kept. */
  readonly cacheDir: string;
  readonly timeoutMs?: number;
  /** PATH to search for tools not set in `tools` (default: the process's PATH). */
  readonly searchPath?: string;
  /**
   * The target's version and served APIs, given to `helm template` (--kube-version,
   * --api-versions) as Argo CD does; without them (no context, e.g. `slipway render`) Helm's
   * defaults apply. Plan and apply pass the same, so the rendered hash matches.
   */
  readonly capabilities?: HelmCapabilities;
  /** The charts a plan recorded: apply renders exactly these (version and digest). */
  readonly pinnedCharts?: readonly ResolvedChart[];
}

export interface RenderResult {
  readonly app: RenderableApp;
  readonly revision: Revision;
  readonly sourceType: SourceType;
  /** Git tree oid of the app's folder at the revision. */
  readonly treeOid: string;
  readonly objects: readonly DesiredObject[];
  readonly diagnostics: readonly Diagnostic[];
  /** sha256 over the rendered objects (canonical JSON), part of a plan's inputs fingerprint. */
  readonly renderedHash: string;
  /** Remote charts rendered (the app's chart, its dependencies), resolved to a version and digest. */
  readonly charts?: readonly ResolvedChart[];
}

export async function renderApp(repo: Repository, revision: Revision, app: RenderableApp, opts: RenderOptions): Promise<RenderResult> {
  const snapshot = await appSnapshot(repo, revision, app);
  const sourceType = app.source.type === 'auto' ? detectSourceType(snapshot.files.map((f) => f.path), snapshot.root) : app.source.type;
  let rendered: { objects: DesiredObject[]; diagnostics: Diagnostic[]; charts?: readonly ResolvedChart[] };
  if (app.source.chart) rendered = await renderWithTool(repo, revision, app, 'helm', opts);
  else if (sourceType === 'directory') rendered = await renderDirectory(repo, snapshot, { revision, app, opts });
  else rendered = await renderWithTool(repo, revision, app, sourceType, opts);
  // After parsing and kustomize: the parse cache and the materialized copy keep only ciphertext.
  rendered = { ...rendered, objects: await decryptSopsObjects(rendered.objects, { ...(opts.tools && { tools: opts.tools }), ...(opts.searchPath !== undefined && { searchPath: opts.searchPath }) }) };
  const diagnostics = [...rendered.diagnostics, ...findDuplicates(rendered.objects)];
  return {
    app,
    revision,
    sourceType: app.source.chart ? 'helm' : sourceType,
    treeOid: snapshot.treeOid,
    objects: rendered.objects,
    diagnostics,
    renderedHash: hashObjects(rendered.objects),
    ...(rendered.charts && rendered.charts.length > 0 && { charts: rendered.charts }),
  };
}

/**
 * The app's folder. A symlink as the folder, or on the way to it, is an error naming it (Git does
 * not follow symlinks inside a tree, and neither does Slipway): one escaping the repository is
 * refused outright; one inside it names the folder to use instead.
 */
async function appSnapshot(repo: Repository, revision: Revision, app: RenderableApp): Promise<Snapshot> {
  const asSymlink = async (snapshot: Snapshot): Promise<SlipwayError | undefined> => {
    const only = snapshot.files.length === 1 ? snapshot.files[0]! : undefined;
    if (!only || only.mode !== 'symlink' || only.path !== snapshot.root) return undefined;
    const link = new TextDecoder().decode(await repo.readFile(snapshot, only));
    const resolved = resolveSymlink(only.path, link);
    const what = only.path === app.path ? `the folder of app ${app.name} is a symlink` : `the folder ${app.path} of app ${app.name} runs through the symlink ${only.path}`;
    if (resolved === undefined) return new SlipwayError('symlink-escapes', `${what} pointing outside the repository (to ${link}); Slipway refuses to follow it`, { location: { file: only.path } });
    const instead = app.path === only.path ? resolved : posix.join(resolved, app.path.slice(only.path.length + 1));
    return new SlipwayError('symlinked-app-folder', `${what} (to ${link}); Slipway does not follow symlinked app folders`, { location: { file: only.path }, hint: `use the folder it points to as the app's path: ${instead || '.'}` });
  };
  let snapshot: Snapshot;
  try {
    snapshot = await repo.snapshot(revision, app.path);
  } catch (err) {
    // "does not exist" because a folder on the way is a symlink: say that instead.
    if (err instanceof SlipwayError && err.code === 'path-not-found' && app.path) {
      const parts = app.path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const on = await repo.snapshot(revision, parts.slice(0, i).join('/')).catch(() => undefined);
        const refused = on && (await asSymlink(on));
        if (refused) throw refused;
      }
    }
    throw err;
  }
  const refused = await asSymlink(snapshot);
  if (refused) throw refused;
  return snapshot;
}

async function renderDirectory(repo: Repository, snapshot: Snapshot, ctx: { revision: Revision; app: RenderableApp; opts: RenderOptions }): Promise<{ objects: DesiredObject[]; diagnostics: Diagnostic[] }> {
  const byPath = new Map(snapshot.files.map((f) => [f.path, f]));
  // In file order: a file to parse, or what is wrong with a symlink (reported where the file would be).
  const entries: ({ readonly target: SnapshotFile; readonly path: string } | { readonly problem: Diagnostic })[] = [];
  const byRole = { jsonnet: [] as string[], library: [] as string[], skipped: [] as string[] };
  const directory = ctx.app.source.directory ?? {};
  const leftOutBy = directoryFileFilter(directory);
  const leftOut = new Map<LeftOutReason, string[]>();
  for (const file of snapshot.files) {
    const relative = snapshot.root ? file.path.slice(snapshot.root.length + 1) : file.path;
    const role = directoryFileRole(relative);
    if (role === 'ignored') continue;
    const reason = leftOutBy(relative, role);
    if (reason) {
      const paths = leftOut.get(reason);
      if (paths) paths.push(relative);
      else leftOut.set(reason, [relative]);
      continue;
    }
    if (role === 'jsonnet' || role === 'library') byRole[role].push(file.path);
    if (role === 'skipped') byRole.skipped.push(relative);
    if (role !== 'manifest') continue;
    if (file.mode !== 'symlink') {
      entries.push({ target: file, path: file.path });
      continue;
    }
    const link = new TextDecoder().decode(await repo.readFile(snapshot, file));
    const resolved = resolveSymlink(file.path, link);
    if (resolved === undefined) {
      entries.push({ problem: { severity: 'error', code: 'symlink-escapes', message: `symlink points outside the repository (to ${link}); Slipway refuses to follow it`, location: { file: file.path } } });
      continue;
    }
    const found = byPath.get(resolved);
    if (!found || found.mode === 'symlink') {
      entries.push({ problem: { severity: 'error', code: 'symlink-unresolved', message: `symlink to ${link} does not point at a file inside the app's folder`, location: { file: file.path } } });
      continue;
    }
    entries.push({ target: found, path: file.path });
  }
  const parsed = await parseFiles(repo, snapshot, entries.filter((e) => 'target' in e));
  const objects: DesiredObject[] = [];
  const diagnostics: Diagnostic[] = [];
  let next = 0;
  for (const e of entries) {
    if ('problem' in e) {
      diagnostics.push(e.problem);
      continue;
    }
    const p = parsed[next++]!;
    objects.push(...p.objects);
    diagnostics.push(...p.diagnostics);
  }
  if (byRole.jsonnet.length > 0) {
    const evaluated = await renderJsonnetFiles(repo, ctx.revision, ctx.app, byRole.jsonnet, { cacheDir: ctx.opts.cacheDir, ...(ctx.opts.timeoutMs !== undefined && { timeoutMs: ctx.opts.timeoutMs }), lookup: toolLookup(ctx.opts) });
    objects.push(...evaluated.objects);
    diagnostics.push(...evaluated.diagnostics);
  }
  const skipped = skippedFilesDiagnostic(snapshot.root, { skipped: byRole.skipped, libraries: byRole.library.map((f) => (snapshot.root ? f.slice(snapshot.root.length + 1) : f)), jsonnet: byRole.jsonnet.length });
  if (skipped) diagnostics.push(skipped);
  diagnostics.push(...leftOutFilesDiagnostics(snapshot.root, leftOut, directory));
  return { objects, diagnostics };
}

async function renderWithTool(repo: Repository, revision: Revision, app: RenderableApp, type: 'kustomize' | 'helm', opts: RenderOptions): Promise<{ objects: DesiredObject[]; diagnostics: Diagnostic[]; charts?: readonly ResolvedChart[] }> {
  if (app.source.chart) return renderRemoteChart(repo, revision, app, app.source.chart, opts);
  // Only what the app reads is written out: its folder and what its kustomizations and charts refer to (../base, file://../lib), so unrelated blobs are never read.
  const whole = await repo.snapshot(revision, '');
  const needed = await closureSnapshot(repo, whole, { type, appPath: app.path, ...(type === 'helm' && { valuesFiles: app.source.helm?.valuesFiles ?? [] }) });
  const { dir, diagnostics } = await materialize(repo, needed.snapshot, { cacheDir: opts.cacheDir }).catch((e: unknown) => {
    // Everything was taken because the closure could not be told: that is worth knowing when a blob elsewhere is what failed.
    if (needed.whole === undefined || !(e instanceof SlipwayError)) throw e;
    throw new SlipwayError(e.code, `${e.message} (all of the revision is written out for app ${app.name} because ${needed.whole})`, { ...(e.location && { location: e.location }), ...(e.hint && { hint: e.hint }), cause: e });
  });
  const appDir = app.path ? posix.join(dir, app.path) : dir;
  const run = { cwd: dir, timeoutMs: opts.timeoutMs, what: '' };
  let output: string;
  let outputFile: string;
  let charts: readonly ResolvedChart[] = [];
  if (type === 'kustomize') {
    const kustomize = await findTool('kustomize', toolLookup(opts));
    const kubectl = kustomize ? undefined : await findTool('kubectl', toolLookup(opts));
    if (!kustomize && !kubectl) throw missingTool(`app ${app.name} is a kustomization and needs kustomize or kubectl to render`, 'install kustomize (or kubectl, which includes it), or set its path in settings');
    const [file, args] = kustomize ? [kustomize, ['build', appDir]] : [kubectl!, ['kustomize', appDir]];
    output = await runTool(file, args, { ...run, what: `${kustomize ? 'kustomize build' : 'kubectl kustomize'} for app ${app.name} (${app.path || '.'})` })
      .catch(explainedFailure('kustomize', dir, app.path))
      .catch(generateNameHint)
      .catch(relativeTo(dir));
    outputFile = posix.join(app.path, 'kustomization.yaml');
  } else {
    const helm = await findTool('helm', toolLookup(opts));
    if (!helm) throw missingTool(`app ${app.name} is a Helm chart and needs helm to render`, 'install helm (v3 or v4), or set its path in settings');
    const h = app.source.helm;
    const byPath = new Set(whole.files.map((f) => f.path));
    // Dependencies not in charts/ are fetched into a work copy (what `helm dependency build` would do), through the chart cache.
    const deps = await withDependencies(appDir, { workRoot: chartWorkRoot(opts.cacheDir), resolve: resolveOptionsFor(opts), ...(opts.pinnedCharts && { pinned: opts.pinnedCharts }), what: `app ${app.name}` });
    charts = deps.charts;
    diagnostics.push(...deps.diagnostics);
    const args = ['template', h?.releaseName ?? app.name, deps.dir, '--include-crds'];
    if (app.destination.namespace) args.push('--namespace', app.destination.namespace);
    for (const values of h?.valuesFiles ?? []) {
      if (!byPath.has(values)) throw new SlipwayError('values-file-not-found', `app ${app.name}: values file ${values} does not exist at this revision`, { location: { file: values } });
      args.push('--values', posix.join(dir, values));
    }
    const inline = await inlineValuesFile(h?.values, chartWorkRoot(opts.cacheDir));
    if (inline) args.push('--values', inline.file);
    const secret = await layeredValues(repo, revision, app, opts);
    // Secret values reach helm on stdin (`--values -`), not as a file: no file to delete, none left behind by a crash, none in a cache folder.
    if (secret) args.push('--values', '-');
    for (const [k, v] of Object.entries(h?.set ?? {})) args.push('--set', `${k}=${v}`);
    args.push(...helmCapabilityArgs(opts.capabilities));
    output = await runTool(helm, args, { ...run, what: `helm template for app ${app.name} (${app.path || '.'})`, ...(secret && { input: secret }) })
      .catch(explainedFailure('helm', dir, app.path))
      .catch(relativeTo(dir))
      .finally(deps.cleanup)
      .finally(() => inline?.cleanup());
    outputFile = posix.join(app.path, 'Chart.yaml');
  }
  const parsed = parseManifests(output, { file: outputFile });
  // Lines of the tool's output mean nothing in the repository: point at the template (helm) or the kustomization.
  if (type === 'kustomize') return { objects: parsed.objects.map((o) => ({ ...o, source: { file: outputFile, documentIndex: o.source.documentIndex ?? 0 } })), diagnostics: [...diagnostics, ...parsed.diagnostics] };
  const { objects, tests } = withoutHelmTests(attributeHelmSources(output, parsed.objects, app.path));
  return { objects, diagnostics: [...diagnostics, ...parsed.diagnostics, ...(tests > 0 ? [testsLeftOut(app.name, tests)] : [])], charts };
}

/**
 * An app whose chart is in a Helm repository or OCI registry: the archive from the chart cache
 * (fetched once, checked against its digest), its values files from this repository.
 */
async function renderRemoteChart(repo: Repository, revision: Revision, app: RenderableApp, chart: ChartSource, opts: RenderOptions): Promise<{ objects: DesiredObject[]; diagnostics: Diagnostic[]; charts: readonly ResolvedChart[] }> {
  const helm = await findTool('helm', toolLookup(opts));
  if (!helm) throw missingTool(`app ${app.name} is a Helm chart and needs helm to render`, 'install helm (v3 or v4), or set its path in settings');
  const pinned = opts.pinnedCharts?.find((p) => p.chart === chart.chart);
  const got = await resolveChart(chart, { ...resolveOptionsFor(opts), ...(pinned && { pinned }) });
  const h = app.source.helm;
  const workRoot = chartWorkRoot(opts.cacheDir);
  const work = posix.join(workRoot, `values-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(work, { recursive: true });
    const args = ['template', h?.releaseName ?? app.name, got.archive, '--include-crds'];
    if (app.destination.namespace) args.push('--namespace', app.destination.namespace);
    if (h && h.valuesFiles.length > 0) {
      const whole = await repo.snapshot(revision, '');
      const byPath = new Map(whole.files.map((f) => [f.path, f]));
      for (const [i, values] of h.valuesFiles.entries()) {
        const file = byPath.get(values);
        if (!file) throw new SlipwayError('values-file-not-found', `app ${app.name}: values file ${values} does not exist at this revision`, { location: { file: values } });
        const out = posix.join(work, `${i}.yaml`);
        await writeFile(out, await repo.readFile(whole, file));
        args.push('--values', out);
      }
    }
    if (h?.values) {
      await writeFile(posix.join(work, 'inline.json'), JSON.stringify(h.values));
      args.push('--values', posix.join(work, 'inline.json'));
    }
    const secret = await layeredValues(repo, revision, app, opts);
    // As above: Secret values on stdin, never in this work folder.
    if (secret) args.push('--values', '-');
    for (const [k, v] of Object.entries(h?.set ?? {})) args.push('--set', `${k}=${v}`);
    args.push(...helmCapabilityArgs(opts.capabilities));
    const output = await runTool(helm, args, { cwd: work, timeoutMs: opts.timeoutMs, what: `helm template for app ${app.name} (${describeChart(chart, got.resolved.version)})`, ...(secret && { input: secret }) });
    const parsed = parseManifests(output, { file: `${chart.chart}-${got.resolved.version}.tgz` });
    const { objects, tests } = withoutHelmTests(parsed.objects);
    return { objects, diagnostics: [...got.diagnostics, ...parsed.diagnostics, ...(tests > 0 ? [testsLeftOut(app.name, tests)] : [])], charts: [got.resolved] };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A tool's error names files under the materialized copy (a cache folder of the user's): name them
 * as the repository does, so the message points at the file to fix.
 */
/** kustomize refuses objects that have only metadata.generateName (kubernetes-sigs/kustomize#641): say so, and what to do. */
function generateNameHint(e: unknown): never {
  if (e instanceof SlipwayError && /missing metadata\.name/.test(e.message) && !e.hint) {
    throw new SlipwayError(e.code, e.message, {
      ...carriedOptions(e),
      hint: 'kustomize cannot build an object that has only metadata.generateName (kubernetes-sigs/kustomize#641; Argo CD has the same limit): give the hook a metadata.name — its earlier run is deleted before each new one (BeforeHookCreation)',
      cause: e.cause ?? e,
    });
  }
  throw e;
}

function relativeTo(dir: string): (e: unknown) => never {
  return (e) => {
    if (!(e instanceof SlipwayError)) throw e;
    const message = e.message.split(`${dir}/`).join('').split(dir).join('.');
    throw new SlipwayError(e.code, message, { ...carriedOptions(e), cause: e.cause ?? e });
  };
}

/**
 * helm template precedes each document with "# Source: <chart>/templates/x.yaml"; use it so an
 * object points at its template rather than at the chart.
 */
function attributeHelmSources(output: string, objects: DesiredObject[], appPath: string): DesiredObject[] {
  const sources: string[] = [];
  for (const doc of output.split(/^---\s*$/m)) {
    const m = /^# Source: [^/\n]+\/(.+)$/m.exec(doc);
    if (/^\s*[a-zA-Z]/m.test(doc.replace(/^#.*$/gm, ''))) sources.push(m ? m[1]!.trim() : '');
  }
  return objects.map((o) => {
    const template = sources[o.source.documentIndex ?? -1];
    return template ? { ...o, source: { file: posix.join(appPath, template), documentIndex: o.source.documentIndex ?? 0 } } : o;
  });
}

function toolLookup(opts: RenderOptions): { settings?: ToolPaths; env?: NodeJS.ProcessEnv } {
  return { ...(opts.tools && { settings: opts.tools }), ...(opts.searchPath !== undefined && { env: { PATH: opts.searchPath } }) };
}

export function findDuplicates(objects: readonly DesiredObject[]): Diagnostic[] {
  const seen = new Map<string, DesiredObject>();
  const out: Diagnostic[] = [];
  for (const o of objects) {
    const id = identityOf(o.key);
    const first = seen.get(id);
    if (!first) {
      seen.set(id, o);
      continue;
    }
    out.push({
      severity: 'error',
      code: 'duplicate-resource',
      message: `${formatKey(o.key)} is declared twice: at ${formatLocation(first.source)} and at ${formatLocation(o.source)}`,
      location: o.source,
      resource: o.key,
    });
  }
  return out;
}

/** Forgets every parsed file (a cold start, for benchmarks and tests). */
export function clearRenderCaches(): void {
  clearParseCache();
  clearClosureCache();
  clearJsonnetCache();
}

/** Canonical JSON per manifest object (Secret values as keyed digests): parsed manifests are shared through the parse cache, so each is serialized once. */
const canonicalOf = new WeakMap<object, string>();

export function hashObjects(objects: readonly DesiredObject[]): string {
  const lines = new Array<string>(objects.length + 1);
  for (const [i, o] of objects.entries()) {
    let json = canonicalOf.get(o.manifest);
    if (json === undefined) {
      json = canonicalJson(blindSecrets(o.manifest));
      canonicalOf.set(o.manifest, json);
    }
    lines[i] = json;
  }
  lines[objects.length] = '';
  // One update of the joined text: the same bytes as one update per object, without the per-call cost.
  return textHash(lines.join('\n'));
}

/**
 * The values of a Flux HelmRelease whose valuesFrom names Secrets (./secret-values.ts), as the
 * JSON `helm template --values -` reads on stdin: they hold the Secrets' values, which never go to a file.
 */
async function layeredValues(repo: Repository, revision: Revision, app: RenderableApp, opts: RenderOptions): Promise<string | undefined> {
  const layers = app.source.helm?.valuesLayers;
  if (!layers || layers.length === 0) return undefined;
  const sops = { ...(opts.tools && { tools: opts.tools }), ...(opts.searchPath !== undefined && { searchPath: opts.searchPath }) };
  // A Secret an overlay defines (a secretGenerator, a SOPS-encrypted file) is found in that overlay's rendering, decrypted.
  const renderFolder = async (path: string): Promise<readonly DesiredObject[]> => (await renderApp(repo, revision, { name: app.name, path, source: { type: 'auto' }, destination: {} }, { ...opts, pinnedCharts: [] })).objects;
  return JSON.stringify(await mergeValuesLayers(layers, { repo, revision, app: app.name, renderFolder, sops }));
}

/** Inline values (a Flux HelmRelease's spec.values) as a file for --values, after the values files (later wins); JSON is YAML. */
async function inlineValuesFile(values: Readonly<Record<string, unknown>> | undefined, workRoot: string): Promise<{ file: string; cleanup: () => Promise<void> } | undefined> {
  if (!values) return undefined;
  await mkdir(workRoot, { recursive: true });
  const file = posix.join(workRoot, `inline-values-${randomBytes(6).toString('hex')}.json`);
  await writeFile(file, JSON.stringify(values));
  return { file, cleanup: () => rm(file, { force: true }) };
}
