/** What several commands share: opening the repository named on the command line, cache folders, labels. */
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { LoadedKubeconfig } from '../core/kube/kubeconfig.js';
import type { AppSelection } from '../core/source/load.js';
import { openRepository } from '../core/git/repository.js';
import { openRemote } from '../core/git/remote.js';
import type { Repository, Revision } from '../core/git/types.js';
import { userCacheDir, userDataDir } from '../core/paths.js';

/** The history database: --history, else $SLIPWAY_HISTORY, else the user data folder. */
export function historyPath(flags: { history?: string | false }): string {
  return (typeof flags.history === 'string' ? flags.history : undefined) ?? process.env.SLIPWAY_HISTORY ?? join(userDataDir(), 'history.db');
}

export function treesCacheDir(): string {
  return join(userCacheDir(), 'trees');
}

/**
 * A local folder, or an HTTPS URL cloned into the cache. Credentials come from the environment
 * (SLIPWAY_GIT_TOKEN, or SLIPWAY_GIT_USERNAME and SLIPWAY_GIT_PASSWORD), never from flags that
 * end up in shell history.
 */
export async function openRepositoryArg(arg: string): Promise<Repository> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg) || /^[\w.-]+@[\w.-]+:/.test(arg)) {
    const env = process.env;
    const auth = env.SLIPWAY_GIT_TOKEN ? { token: env.SLIPWAY_GIT_TOKEN } : env.SLIPWAY_GIT_USERNAME ? { username: env.SLIPWAY_GIT_USERNAME, password: env.SLIPWAY_GIT_PASSWORD ?? '' } : undefined;
    return openRemote(arg, { cacheDir: userCacheDir(), ...(auth && { auth }), onProgress: (m: string) => process.stderr.write(`${m}\n`) });
  }
  return openRepository(arg);
}

export function revisionLabel(revision: Revision): string {
  if (revision.kind === 'working-copy') return 'the working copy';
  const ref = revision.refs[0];
  return `${revision.shortOid}${ref ? ` (${ref})` : ''}`;
}

/** The options every command that reads an app shares: which repository, revision and app. */
export interface AppFlags {
  repo: string;
  rev: string;
  app?: string;
  path?: string;
}

export function addAppOptions(cmd: Command, opts: { rev?: boolean } = {}): Command {
  cmd.option('--repo <path|url>', 'repository: a folder inside a local repository, or an HTTPS URL', '.');
  if (opts.rev !== false) addRevOption(cmd, 'branch, tag, commit (full or short), or :working for uncommitted files', 'HEAD');
  return cmd
    .option('--app <name>', 'an app of slipway.yaml (or an imported Argo CD / Flux app)')
    .option('--path <dir>', 'a folder of the repository used as one app, without any configuration');
}

/**
 * --rev, with --revision as a hidden alias: people type the long word, and commander would suggest
 * --version for it (the closest flag by spelling), which prints Slipway's version instead.
 */
export function addRevOption(cmd: Command, description: string, defaultValue?: string): Command {
  if (defaultValue === undefined) cmd.option('--rev <rev>', description);
  else cmd.option('--rev <rev>', description, defaultValue);
  cmd.addOption(new Option('--revision <rev>', 'the same as --rev').hideHelp());
  cmd.on('option:revision', (value: string) => cmd.setOptionValueWithSource('rev', value, 'cli'));
  return cmd;
}

export function addKubeconfigOption(cmd: Command): Command {
  return cmd.option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)');
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as kubectl's --request-timeout takes it ("30s", "2m", "1m30s", "500ms"), or a plain
 * number of seconds; in milliseconds. Must be greater than 0.
 */
export function parseDuration(value: string): number {
  const text = value.trim();
  let ms: number | undefined;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    ms = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  }
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) throw new InvalidArgumentError('expected a duration greater than 0, e.g. 30s, 2m, 1m30s or 500ms (a plain number is seconds)');
  return Math.round(ms);
}

/** --request-timeout, as kubectl has it: how long one API request may take. */
export function addRequestTimeoutOption(cmd: Command): Command {
  return cmd.option('--request-timeout <duration>', 'give up on one API request after this long, e.g. 10s or 1m (default: 30s)', parseDuration);
}

/** --app or --path, as an AppSelection. */
export function selectionOf(flags: { app?: string; path?: string }): AppSelection {
  return { ...(flags.app !== undefined && { app: flags.app }), ...(flags.path !== undefined && { path: flags.path }) };
}

/** The context to use: the flag, else the kubeconfig's current context. */
export function contextOf(kubeconfig: LoadedKubeconfig, flag: string | undefined): string {
  const context = flag ?? kubeconfig.currentContext;
  if (!context) throw new InvalidArgumentError('no context given and the kubeconfig has no current context: use --context');
  return context;
}
