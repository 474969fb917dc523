/**
 * slipway apps: what a repository offers to plan at a revision — the apps of its slipway.yaml and
 * the Argo CD / Flux apps found in it, or, when it defines none, the folders that look like apps
 * (for --path), so a newcomer sees what to pick before render or plan asks for it. Child apps
 * (Argo CD Applications an app renders: app of apps) are listed under their parent.
 */
import { basename } from 'node:path';
import type { Revision } from '../core/git/types.js';
import { hasErrors } from '../core/model/diagnostics.js';
import { diagnosticsText } from '../core/render/view.js';
import { defaultApp, type App } from '../core/source/apps.js';
import type { AppCandidate } from '../core/source/candidates.js';
import { loadApps } from '../core/source/load.js';
import { loadAppTree, type AppNode, type AppTree } from '../core/plan/child-apps.js';
import type { AppsFlags } from './commands/apps.js';
import { openRepositoryArg, revisionLabel, treesCacheDir } from './common.js';

/** One row of the listing: an app of the catalog, or a folder usable with --path. */
interface Row {
  readonly name: string;
  readonly sourceType: string;
  readonly path: string;
  readonly namespace?: string;
  readonly context?: string;
  /** slipway.yaml, argocd, flux, or folder. */
  readonly origin: string;
  /** file:line of the definition; for a folder, the flag that picks it. */
  readonly from: string;
  /** A child app: the app whose rendering defines it (app of apps). */
  readonly parent?: string;
  /** How deep in the tree (0: an app of the repository's files). */
  readonly depth: number;
}

/** The tree's rows, parents before their children. */
function treeRows(nodes: readonly AppNode[], row: (app: App) => Omit<Row, 'depth'>, depth = 0): Row[] {
  return nodes.flatMap((n) => [{ ...row(n.app), depth }, ...treeRows(n.children, appRow, depth + 1)]);
}

function appRow(app: App): Omit<Row, 'depth'> {
  const where = app.origin.file ? `${app.origin.file}${app.origin.line !== undefined ? `:${app.origin.line}` : ''}` : '';
  return {
    name: app.name,
    sourceType: app.source.type,
    path: app.path,
    ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }),
    ...(app.destination.context !== undefined && { context: app.destination.context }),
    origin: app.origin.kind,
    from: `${where}${app.origin.applicationSet !== undefined ? ` (ApplicationSet ${app.origin.applicationSet})` : ''}`,
    ...(app.parent !== undefined && { parent: app.parent }),
  };
}

function folderRow(folder: AppCandidate, repoName: string): Omit<Row, 'depth'> {
  return { name: defaultApp(folder.path, { repoName }).name, sourceType: folder.sourceType, path: folder.path, origin: 'folder', from: `--path ${folder.path || '.'}` };
}

function table(rows: readonly Row[]): string {
  const cells = [['NAME', 'TYPE', 'PATH', 'NAMESPACE', 'CONTEXT', 'FROM'], ...rows.map((r) => [`${r.depth > 0 ? `${'  '.repeat(r.depth - 1)}└ ` : ''}${r.name}`, r.sourceType, r.path || '.', r.namespace ?? '-', r.context ?? '-', fromText(r)])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return `${cells.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('   ').trimEnd()).join('\n')}\n`;
}

/** "slipway.yaml:3", "argocd argo/app.yaml:1", "--path web": where the app comes from, or how to pick the folder; a child app also names its parent. */
function fromText(r: Row): string {
  if (r.parent !== undefined) return `${r.origin} ${r.from}, child of ${r.parent}`;
  if (r.origin === 'folder' || r.from.startsWith(`${r.origin}:`)) return r.from;
  return `${r.origin} ${r.from}`.trimEnd();
}

function revisionJson(revision: Revision): unknown {
  return revision.kind === 'commit' ? { kind: revision.kind, oid: revision.oid, refs: revision.refs } : { kind: revision.kind, ...(revision.head !== undefined && { head: revision.head }) };
}

/** Lists the apps (cli/commands/apps.ts defines the flags). */
export async function runApps(flags: AppsFlags): Promise<void> {
  const repo = await openRepositoryArg(flags.repo);
  try {
    const revision = await repo.resolve(flags.rev);
    const catalog = await loadApps(repo, revision);
    // Apps whose files mention Argo CD are rendered: the Applications they render are their child apps.
    const tree: Pick<AppTree, 'apps' | 'folders' | 'diagnostics'> = flags.children
      ? await loadAppTree(repo, revision, { cacheDir: treesCacheDir(), catalog })
      : { apps: catalog.apps.map((app) => ({ app, children: [] })), folders: (catalog.folders ?? []).map((folder) => ({ folder, app: defaultApp(folder.path), children: [] })), diagnostics: catalog.diagnostics };
    const folders = catalog.apps.length === 0 ? tree.folders : [];
    const repoName = basename(repo.dir);
    const diagnostics = tree.diagnostics.filter((d) => d.severity !== 'info' || flags.verbose);
    const appRows = treeRows(tree.apps, appRow);
    const folderRows = folders.flatMap((f) => [{ ...folderRow(f.folder, repoName), depth: 0 }, ...treeRows(f.children, appRow, 1)]);
    const children = [...appRows, ...folderRows].filter((r) => r.parent !== undefined).length;
    if (flags.json) {
      const strip = ({ depth: _depth, ...row }: Row): Omit<Row, 'depth'> => row;
      const json = { revision: revisionJson(revision), configured: catalog.configured, apps: [...appRows, ...folderRows.filter((r) => r.parent !== undefined)].map(strip), folders: folderRows.filter((r) => r.parent === undefined).map(strip), diagnostics };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      const rows = catalog.apps.length > 0 ? appRows : folderRows;
      if (rows.length > 0) process.stdout.write(table(rows));
      process.stderr.write(diagnosticsText(diagnostics));
      process.stderr.write(`${revisionLabel(revision)}: ${summary(appRows.length - children, folders.map((f) => f.folder), children)}\n`);
    }
    if (hasErrors(tree.diagnostics)) process.exitCode = 1;
  } finally {
    await repo.close?.();
  }
}

/** The line under the table: how many, and how to pick one. */
function summary(apps: number, folders: readonly AppCandidate[], children: number): string {
  const childApps = children > 0 ? ` and ${children} child app${children === 1 ? '' : 's'} (planned with their parent, or alone with --app <child>)` : '';
  if (apps > 0) return `${apps} app${apps === 1 ? '' : 's'}${childApps}: plan one with --app <name>`;
  if (children > 0 && folders.length > 0) return `no apps defined; ${folders.length} folder${folders.length === 1 ? '' : 's'} look${folders.length === 1 ? 's' : ''} like apps (pick one with --path <folder>)${childApps}`;
  if (folders.length === 0) return 'no apps and no folder with manifests';
  const whole = folders.some((f) => f.path === '') ? '; without --path, the whole repository is one app' : '';
  return `no apps defined (no slipway.yaml apps, no Argo CD or Flux definitions); ${folders.length} folder${folders.length === 1 ? '' : 's'} look${folders.length === 1 ? 's' : ''} like apps: pick one with --path <folder>${whole}`;
}
