/** slipway diff: its flags (the comparison is cli/diff.ts, loaded when the command runs). */
import type { Command } from 'commander';
import { addAppOptions, addFormatOptions, addKubeconfigOption, addRequestTimeoutOption, addRevOption, type FormatFlags } from './options.js';

export interface DiffFlags extends FormatFlags {
  repo: string;
  app?: string;
  path?: string;
  from?: string;
  to?: string;
  rev: string;
  context?: string;
  againstContext?: string;
  kubeconfig?: string;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
  color: boolean;
  why?: boolean;
}

export function registerDiff(program: Command): void {
  const diff = addAppOptions(program
    .command('diff')
    .description('compare two revisions of an app (--from/--to, no cluster needed), or its live state in two contexts (--context/--against-context)'), { rev: false })
    .option('--from <rev>', 'the older revision (the "before" side)')
    .option('--to <rev>', 'the newer revision (the "after" side)', 'HEAD');
  addRevOption(diff, 'with --against-context: the revision whose objects are compared', 'HEAD')
    .option('--context <name>', 'with --against-context: the context shown as "after"')
    .option('--against-context <name>', 'the context shown as "before" (e.g. staging, to compare prod with it)');
  addFormatOptions(diff)
    .option('--no-color', 'no ANSI colours')
    .option('--why', 'list under each difference the commits that changed its sources since --from (with --against-context: its last 20), and for plain YAML which lines each last changed');
  addRequestTimeoutOption(addKubeconfigOption(diff)).action(async (flags: DiffFlags) => (await import('../diff.js')).runDiff(flags));
}
