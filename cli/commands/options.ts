/**
 * The flags several commands share, and their parsers. Like every file of cli/commands/, this one
 * loads when the CLI starts (also for --help and --version), so it imports commander and nothing
 * else at run time; what the flags mean is worked out by the commands' implementations.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

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

/** Flags that change what a plan means for one run: the app's namespace, prune, createNamespace, adoption. */
export interface OverrideFlags {
  namespace?: string;
  prune?: boolean;
  createNamespace?: boolean;
  adopt?: boolean;
}

/** A namespace name as the API server accepts it (RFC 1123 label). */
export function namespaceName(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) throw new InvalidArgumentError('expected a namespace name: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
  return value;
}

export function addOverrideOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <namespace>', "the app's namespace: its ApplySet, Helm's release namespace and objects that name none (default: the app's destination, else the context's namespace)", namespaceName)
    .option('--prune', "delete objects of the app's own ApplySet that are no longer in the revision (as kubectl apply --prune; default: the app's prune option)")
    .option('--create-namespace', "create the app's namespace when it does not exist (it is not owned by the app, so never pruned)")
    .option('--adopt', "take over the app's ApplySet from the owner another app recorded, or the one an earlier Slipway version shared among apps of this name");
}

/**
 * `--format text|json|markdown|html` of the commands that print a plan (plan, diff), with `--json`
 * kept as the short form of `--format json` (cli/format.ts prints each).
 */
export const PLAN_FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface FormatFlags {
  format?: PlanFormat;
  json?: boolean;
}

/** Adds --format and --json (its alias for JSON). */
export function addFormatOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--format <format>', 'print the plan as text (the default), json, markdown (a pull-request comment, kept under GitHub\'s 65,536 characters) or html (one self-contained page with every diff)').choices(PLAN_FORMATS),
    )
    .option('--json', 'the same as --format json');
}
