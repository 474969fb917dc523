/** slipway apps: its flags (the listing is cli/apps.ts, loaded when the command runs). */
import type { Command } from 'commander';
import { addRevOption } from './options.js';

export interface AppsFlags {
  repo: string;
  rev: string;
  json?: boolean;
  verbose?: boolean;
  /** False with --no-children. */
  children: boolean;
}

export function registerApps(program: Command): void {
  const cmd = program
    .command('apps')
    .description('list the apps of a repository at a revision (slipway.yaml, Argo CD, Flux), or the folders that look like apps when it defines none')
    .option('--repo <path|url>', 'repository: a folder inside a local repository, or an HTTPS URL', '.');
  addRevOption(cmd, 'branch, tag, commit (full or short), or :working for uncommitted files', 'HEAD')
    .option('--json', 'print JSON for scripts')
    .option('--verbose', 'also list informational diagnostics')
    .option('--no-children', 'do not render apps to find the child apps they define (Argo CD Applications, Flux HelmReleases)')
    .action(async (flags: AppsFlags) => (await import('../apps.js')).runApps(flags));
}
