/** slipway render: its flags (the rendering is cli/render.ts, loaded when the command runs). */
import type { Command } from 'commander';
import { addAppOptions, addKubeconfigOption, namespaceName, type AppFlags } from './options.js';

export interface RenderFlags extends AppFlags {
  json?: boolean;
  verbose?: boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

export function registerRender(program: Command): void {
  addKubeconfigOption(addAppOptions(program
    .command('render')
    .description('print the objects an app renders to at a revision (Secret values hidden), or what is wrong with them')))
    .option('-n, --namespace <namespace>', "the app's namespace: Helm's release namespace and objects that name none (default: the app's destination, else the context's namespace)", namespaceName)
    .option('--context <name>', "kubeconfig context whose namespace is the default (default: the current context); nothing is read from the cluster")
    .option('--json', 'print JSON for scripts')
    .option('--verbose', 'also list informational diagnostics (skipped documents)')
    .action(async (flags: RenderFlags) => (await import('../render.js')).runRender(flags));
}
