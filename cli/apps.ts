/**
 * slipway apps: what a repository offers to plan at a revision — the apps of its slipway.yaml and
 * the Argo CD / Flux apps found in it, or, when it defines none, the folders that look like apps
 * (for --path), so a newcomer sees what to pick before render or plan asks for it.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { Revision } from '../core/git/types.js';
import { hasErrors } from '../core/model/diagnostics.js';
import { diagnosticsText } from '../core/render/view.js';
import { defaultApp, type App } from '../core/source/apps.js';
import type { AppCandidate } from '../core/source/candidates.js';
import { loadApps } from '../core/source/load.js';
import { addRevOption, openRepositoryArg, revisionLabel } from './common.js';

interface AppsFlags {
  repo: string;
  rev: string;
  json?: boolean;
  verbose?: boolean;
}

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
}

function appRow(app: App): Row {
  const where = app.origin.file ? `${app.origin.file}${app.origin.line !== undefined ? `:${app.origin.line}` : ''}` : '';
  return {
    name: app.name,
    sourceType: app.source.type,
    path: app.path,
    ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }),
    ...(app.destination.context !== undefined && { context: app.destination.context }),
    origin: app.origin.kind,
    from: where,
  };
}

function folderRow(folder: AppCandidate, repoName: string): Row {
  return { name: defaultApp(folder.path, { repoName }).name, sourceType: folder.sourceType, path: folder.path, origin: 'folder', from: `--path ${folder.path || '.'}` };
}

function table(rows: readonly Row[]): string {
  const cells = [['NAME', 'TYPE', 'PATH', 'NAMESPACE', 'CONTEXT', 'FROM'], ...rows.map((r) => [r.name, r.sourceType, r.path || '.', r.namespace ?? '-', r.context ?? '-', fromText(r)])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return `${cells.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('   ').trimEnd()).join('\n')}\n`;
}

/** "slipway.yaml:3", "argocd argo/app.yaml:1", "--path web": where the app comes from, or how to pick the folder. */
function fromText(r: Row): string {
  if (r.origin === 'folder' || r.from.startsWith(`${r.origin}:`)) return r.from;
  return `${r.origin} ${r.from}`.trimEnd();
}

function revisionJson(revision: Revision): unknown {
  return revision.kind === 'commit' ? { kind: revision.kind, oid: revision.oid, refs: revision.refs } : { kind: revision.kind, ...(revision.head !== undefined && { head: revision.head }) };
}

export function registerApps(program: Command): void {
  const cmd = program
    .command('apps')
    .description('list the apps of a repository at a revision (slipway.yaml, Argo CD, Flux), or the folders that look like apps when it defines none')
    .option('--repo <path|url>', 'repository: a folder inside a local repository, or an HTTPS URL', '.');
  addRevOption(cmd, 'branch, tag, commit (full or short), or :working for uncommitted files', 'HEAD')
    .option('--json', 'print JSON for scripts')
    .option('--verbose', 'also list informational diagnostics')
    .action(async (flags: AppsFlags) => {
      const repo = await openRepositoryArg(flags.repo);
      try {
        const revision = await repo.resolve(flags.rev);
        const catalog = await loadApps(repo, revision);
        const folders = catalog.apps.length === 0 ? (catalog.folders ?? []) : [];
        const repoName = basename(repo.dir);
        const diagnostics = catalog.diagnostics.filter((d) => d.severity !== 'info' || flags.verbose);
        if (flags.json) {
          const json = { revision: revisionJson(revision), configured: catalog.configured, apps: catalog.apps.map(appRow), folders: folders.map((f) => folderRow(f, repoName)), diagnostics };
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        } else {
          const rows = catalog.apps.length > 0 ? catalog.apps.map(appRow) : folders.map((f) => folderRow(f, repoName));
          if (rows.length > 0) process.stdout.write(table(rows));
          process.stderr.write(diagnosticsText(diagnostics));
          process.stderr.write(`${revisionLabel(revision)}: ${summary(catalog.apps.length, folders)}\n`);
        }
        if (hasErrors(catalog.diagnostics)) process.exitCode = 1;
      } finally {
        await repo.close?.();
      }
    });
}

/** The line under the table: how many, and how to pick one. */
function summary(apps: number, folders: readonly AppCandidate[]): string {
  if (apps > 0) return `${apps} app${apps === 1 ? '' : 's'}: plan one with --app <name>`;
  if (folders.length === 0) return 'no apps and no folder with manifests';
  const whole = folders.some((f) => f.path === '') ? '; without --path, the whole repository is one app' : '';
  return `no apps defined (no slipway.yaml apps, no Argo CD or Flux definitions); ${folders.length} folder${folders.length === 1 ? '' : 's'} look${folders.length === 1 ? 's' : ''} like apps: pick one with --path <folder>${whole}`;
}
