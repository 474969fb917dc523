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
import { liveTreeOf } from '../core/engine/live-tree.js';
import { openHistory } from '../core/history/history.js';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import type { HealthStatus } from '../core/model/health.js';
import { renderTreeText } from '../core/watch/view-text.js';
import { appReadOf } from './app-overrides.js';
import type { StatusFlags } from './commands/status.js';
import { contextOf, historyPath, openRepositoryArg } from './common.js';

/** The exit code for the app's health (the worst of its members'). */
export const STATUS_EXIT_CODES: Readonly<Record<HealthStatus, number>> = { healthy: 0, progressing: 2, unknown: 2, missing: 3, degraded: 3 };

/** Prints the app's live tree and sets the exit code of its health (cli/commands/status.ts defines the flags). */
export async function runStatus(flags: StatusFlags): Promise<void> {
  const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
  const context = contextOf(kubeconfig, flags.context);
  const repo = await openRepositoryArg(flags.repo);
  const history = flags.history === false ? undefined : openHistory({ path: historyPath(flags) });
  try {
    const tree = await liveTreeOf({
      repo,
      ...appReadOf(flags),
      kubeconfig,
      context,
      ...(history && { lastApply: history }),
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
}
