/**
 * slipway status: the live tree of an app on a context, once — its ApplySet's members and what
 * their controllers made (ReplicaSets, Pods, Jobs, claims, EndpointSlices), each with its health
 * and why it is not fine, then the app's recent Events (core/engine/live-tree.ts). Selected with
 * the same flags as `slipway plan`; nothing is rendered and nothing is changed.
 *
 * Exit codes, as `argocd app wait --health` would end (STATUS_EXIT_CODES): 0 healthy; 2 still
 * progressing, or unknown (a member kind could not be read); 3 degraded, or missing (a member the
 * last apply left is gone, or the app was never applied here); 1 an error (no such app, the
 * cluster unreachable).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { liveTreeOf } from '../core/engine/live-tree.js';
import { openHistory } from '../core/history/history.js';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import type { HealthStatus } from '../core/model/health.js';
import { renderTreeText } from '../core/watch/view-text.js';
import { namespaceName, overridesOf, type OverrideFlags } from './app-overrides.js';
import { addAppOptions, addKubeconfigOption, addRequestTimeoutOption, contextOf, historyPath, openRepositoryArg, selectionOf, treesCacheDir, type AppFlags } from './common.js';

/** The exit code for the app's health (the worst of its members'). */
export const STATUS_EXIT_CODES: Readonly<Record<HealthStatus, number>> = { healthy: 0, progressing: 2, unknown: 2, missing: 3, degraded: 3 };

interface StatusFlags extends AppFlags, Pick<OverrideFlags, 'namespace'> {
  context?: string;
  kubeconfig?: string;
  json?: boolean;
  color: boolean;
  events: number;
  /** A path, or false with --no-history. */
  history?: string | false;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
}

function eventCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new InvalidArgumentError('expected a whole number from 0 to 1000');
  return n;
}

export function registerStatus(program: Command): void {
  addRequestTimeoutOption(addKubeconfigOption(addAppOptions(program
    .command('status')
    .description("show an app's live objects on a cluster context as a tree, with their health, why they are not fine, and the app's recent events")
    .addHelpText('after', `
Exit codes: 0 healthy; 2 progressing (or unknown: a kind could not be read); 3 degraded or
missing (a member is gone, or the app was never applied to this context); 1 error.`))))
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('-n, --namespace <namespace>', "the app's namespace, where its ApplySet is (default: the app's destination, else the context's namespace), as given to plan and apply", namespaceName)
    .option('--events <n>', 'show at most this many events, newest first', eventCount, 20)
    .option('--json', 'print the tree and the events as JSON')
    .option('--no-color', 'no ANSI colours (also when NO_COLOR is set or the output is not a terminal)')
    .option('--history <file>', 'history database: members the last apply left that are gone are shown missing (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--no-history', 'show only what the ApplySet holds now')
    .action(async (flags: StatusFlags) => {
      const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
      const context = contextOf(kubeconfig, flags.context);
      const repo = await openRepositoryArg(flags.repo);
      const history = flags.history === false ? undefined : openHistory({ path: historyPath(flags) });
      try {
        const tree = await liveTreeOf({
          repo,
          rev: flags.rev,
          selection: selectionOf(flags),
          kubeconfig,
          context,
          overrides: overridesOf(flags),
          cacheDir: treesCacheDir(),
          ...(history && { lastApply: history }),
          ...(flags.requestTimeout !== undefined && { requestTimeoutMs: flags.requestTimeout }),
          eventLimit: flags.events,
        });
        if (flags.json) process.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
        else {
          const color = flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
          const title = `app ${tree.app.name}${tree.app.path ? ` (${tree.app.path})` : ''} on context ${tree.context}, namespace ${tree.app.namespace}`;
          process.stdout.write(renderTreeText(tree, { color, title }));
        }
        process.exitCode = STATUS_EXIT_CODES[tree.health];
      } finally {
        history?.close();
        await repo.close();
      }
    });
}
