/** slipway contexts: its flags (the listing is cli/contexts.ts, loaded when the command runs). */
import type { Command } from 'commander';
import { addKubeconfigOption } from './options.js';

export interface ContextsFlags {
  kubeconfig?: string;
  json?: boolean;
}

export function registerContexts(program: Command): void {
  addKubeconfigOption(program
    .command('contexts')
    .description('list the kubeconfig contexts (cluster, server, user, namespace), as kubectl merges KUBECONFIG'))
    .option('--json', 'print JSON')
    .action(async (flags: ContextsFlags) => (await import('../contexts.js')).runContexts(flags));
}
