/**
 * The files each changed object is built from, by source type: a directory app's object comes
 * from its file; a kustomize app's from the files its build reads for it (./kustomize.ts); a Helm
 * app's from its template, the chart's other files (Chart.yaml, values.yaml, helpers, subcharts)
 * and the app's values files — not from the chart's other templates.
 */
import { posix } from 'node:path';
import type { Repository, Revision } from '../../git/types.js';
import { appClosure, listingView, type TreeView } from '../../render/closure.js';
import type { Change } from '../types.js';
import { kustomizeSources, type Sources } from './kustomize.js';

/** An object's sources: files and folders ("/" at the end; "/" alone is the whole repository). */
export interface ObjectSources {
  readonly paths: Sources;
  /** Files under those folders that are not its sources (a chart's other templates). */
  readonly except?: (file: string) => boolean;
}

/** What the sources of an app are read from. */
export interface WhyApp {
  readonly name: string;
  readonly path: string;
  readonly source: {
    readonly helm?: { readonly valuesFiles: readonly string[]; readonly values?: unknown; readonly set?: Readonly<Record<string, string>> };
    readonly chart?: unknown;
  };
  /** The file that defines the app (an Argo CD Application, a Flux HelmRelease): its inline values are a Helm app's source. */
  readonly origin?: { readonly kind: string; readonly file?: string };
}

export interface AppSources {
  /** Files and folders to ask `git log` about, once for the app. */
  readonly paths: Sources;
  /** An object's sources; undefined when the revision does not tell (a deleted object, one no kustomization declares). */
  of(change: Pick<Change, 'key' | 'source'>): ObjectSources | undefined;
}

/** Whether a changed file is among an object's sources. */
export function isSourceOf(sources: ObjectSources, file: string): boolean {
  if (sources.except?.(file)) return false;
  return sources.paths.some((s) => (s.endsWith('/') ? s === '/' || file.startsWith(s) : s === file));
}

/** The sources of every object of the app at a revision. */
export async function appSources(repo: Repository, revision: Revision, app: WhyApp, sourceType: string): Promise<AppSources> {
  if (sourceType === 'kustomize') {
    const k = await kustomizeSources(await treeView(repo, revision), app.path);
    return {
      paths: k.paths,
      of: (c) => {
        const paths = k.sourcesOf(c.key);
        return paths && { paths };
      },
    };
  }
  if (sourceType === 'helm') return helmSources(repo, revision, app);
  // A directory app (plain YAML, JSON, Jsonnet): the object's file.
  const folder = app.path === '' ? '/' : `${app.path}/`;
  return { paths: [folder], of: (c) => (c.source ? { paths: [c.source.file] } : undefined) };
}

async function helmSources(repo: Repository, revision: Revision, app: WhyApp): Promise<AppSources> {
  const values = app.source.helm?.valuesFiles ?? [];
  const inline = app.source.helm && (app.source.helm.values !== undefined || Object.keys(app.source.helm.set ?? {}).length > 0) && app.origin?.file ? [app.origin.file] : [];
  if (app.source.chart) {
    // A chart from a repository or registry: only its values come from here.
    const paths = [...values, ...inline];
    return { paths, of: () => ({ paths }) };
  }
  const view = await treeView(repo, revision);
  const closure = await appClosure(view, { type: 'helm', appPath: app.path, valuesFiles: values });
  const paths = closure.kind === 'whole' ? ['/'] : [...closure.folders.map((f) => (f === '' ? '/' : `${f}/`)), ...closure.files, ...inline];
  return {
    paths,
    of: (c) => {
      const own = c.source?.file;
      // The template that rendered it, when helm named one that is in the repository: the chart's other templates are not its sources.
      if (!own || view.kind(own) !== 'file' || !isTemplate(own)) return { paths };
      return { paths, except: (file) => isTemplate(file) && file !== own };
    },
  };
}

/** A chart's template that renders objects (helpers, whose names start with "_", are read by all of them). */
function isTemplate(path: string): boolean {
  return (path.includes('/templates/') || path.startsWith('templates/')) && !posix.basename(path).startsWith('_');
}

async function treeView(repo: Repository, revision: Revision): Promise<TreeView> {
  const whole = await repo.snapshot(revision, '');
  const byPath = new Map(whole.files.map((f) => [f.path, f]));
  return listingView(whole.files, async (path) => new TextDecoder().decode(await repo.readFile(whole, byPath.get(path)!)));
}
