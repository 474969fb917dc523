/**
 * slipway logs: print or follow the logs of an app's Pods, as `kubectl logs -l … --prefix` would
 * for the app's workloads (core/engine/app-pods.ts finds them as a plan finds the app: same
 * --repo, --rev, --app, --path, --context, -n), or of one Pod (--pod). Each line of several Pods
 * is prefixed `[pod/<pod>/<container>]`. With -f it follows until every stream ends or Ctrl-C,
 * which exits 0.
 *
 * Lines are the app's output, printed as they are (kubectl does the same); nothing is lost to a
 * slow terminal or pipe (the stream waits for it). Notes (a Pod deleted while followed, a container
 * that has not started) go to stderr.
 */
import { appPods } from '../core/engine/app-pods.js';
import { loadKubeconfig, contextNamespace, type LoadedKubeconfig } from '../core/kube/kubeconfig.js';
import { kubePodLogPort, openPodLogs, type PodLogPort, type PodLogRequest, type PodLogStream } from '../core/kube/pod-logs.js';
import { SlipwayError, formatDiagnostic } from '../core/model/diagnostics.js';
import { formatKey } from '../core/model/resource.js';
import { resolveApp } from '../core/plan/child-apps.js';
import { withOverrides } from '../core/source/apps.js';
import { appReadOf } from './app-overrides.js';
import type { LogsFlags } from './commands/logs.js';
import { contextOf, openRepositoryArg, selectionOf, treesCacheDir } from './common.js';

/** What to read of each log, from the flags (pure). --since rounds up to whole seconds. */
export function logOptionsOf(flags: Pick<LogsFlags, 'follow' | 'previous' | 'tail' | 'since' | 'limitBytes' | 'timestamps'>): Omit<PodLogRequest, 'namespace' | 'pod' | 'container'> {
  return {
    ...(flags.follow && { follow: true }),
    ...(flags.previous && { previous: true }),
    ...(flags.tail !== undefined && { tailLines: flags.tail }),
    ...(flags.since !== undefined && { sinceSeconds: Math.max(1, Math.ceil(flags.since / 1000)) }),
    ...(flags.limitBytes !== undefined && { limitBytes: flags.limitBytes }),
    ...(flags.timestamps && { timestamps: true }),
  };
}

/** kubectl's --prefix: "[pod/web-7d9f-abcde/nginx] ". */
export function linePrefix(pod: string, container: string): string {
  return `[pod/${pod}/${container}] `;
}

/** Why a stream ended, as a note, or undefined when there is nothing to say. */
export function endNote(pod: string, container: string, end: Awaited<PodLogStream['done']>): string | undefined {
  const what = `pod/${pod}/${container}`;
  switch (end.reason) {
    case 'pod-deleted':
      return `${what}: the Pod was deleted`;
    case 'failed':
      return `${what}: the log stream failed: ${end.error?.message ?? 'unknown error'}`;
    default:
      return undefined;
  }
}

/** Prints or follows the logs (cli/commands/logs.ts defines the flags). */
export async function runLogs(flags: LogsFlags): Promise<void> {
  const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
  const context = contextOf(kubeconfig, flags.context);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const port = kubePodLogPort(kubeconfig, context, { ...(flags.requestTimeout !== undefined && { timeoutMs: flags.requestTimeout }) });
  try {
    const targets = flags.pod !== undefined ? await onePod(flags, kubeconfig, context) : await podsOfApp(flags, kubeconfig, context);
    if (targets === undefined) return;
    const opened = await printLogs(port, targets, { ...logOptionsOf(flags), prefix: flags.prefix === true || flags.pod === undefined, signal: stop.signal, single: flags.pod !== undefined });
    // Ctrl-C is how a follow ends: not an error. A container with no log to read among several is a note; with nothing read at all, exit 1.
    if (opened.failed > 0 && opened.read === 0 && !stop.signal.aborted) process.exitCode = 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await port.close();
  }
}

/** One log to print: a container of a Pod. */
interface LogTarget {
  readonly namespace: string;
  readonly pod: string;
  /** Absent: the Pod's default container. */
  readonly container?: string;
}

async function onePod(flags: LogsFlags, kubeconfig: LoadedKubeconfig, context: string): Promise<LogTarget[]> {
  let namespace = flags.namespace;
  if (namespace === undefined && (flags.app !== undefined || flags.path !== undefined)) {
    // The app's namespace (its destination), as its plan would use.
    const repo = await openRepositoryArg(flags.repo);
    try {
      const { app } = await resolveApp(repo, await repo.resolve(flags.rev), selectionOf(flags), { cacheDir: treesCacheDir() });
      namespace = withOverrides(app, {}, contextNamespace(kubeconfig, context)).destination.namespace;
    } finally {
      await repo.close();
    }
  }
  return [{ namespace: namespace ?? contextNamespace(kubeconfig, context), pod: flags.pod!, ...(flags.container !== undefined && { container: flags.container }) }];
}

async function podsOfApp(flags: LogsFlags, kubeconfig: LoadedKubeconfig, context: string): Promise<LogTarget[] | undefined> {
  const repo = await openRepositoryArg(flags.repo);
  try {
    const found = await appPods({
      repo,
      ...appReadOf(flags),
      kubeconfig,
      context,
    });
    for (const d of found.diagnostics) process.stderr.write(`slipway: ${formatDiagnostic(d)}\n`);
    for (const w of found.workloads.filter((w) => w.status !== 'found')) {
      process.stderr.write(`slipway: ${formatKey(w.key)}: ${w.status === 'missing' ? 'not in the cluster (not applied yet?)' : 'its Pods cannot be told by a selector'}\n`);
    }
    for (const k of found.skipped) process.stderr.write(`slipway: ${formatKey(k)}: the Pods of its Jobs are not read (name a Pod with --pod)\n`);
    if (found.pods.length === 0) {
      process.stderr.write(`slipway: app ${found.app} has no Pods in the cluster of context ${context} (namespace ${found.namespace}; ${found.workloads.length} workload${found.workloads.length === 1 ? '' : 's'} rendered)\n`);
      return undefined;
    }
    const targets: LogTarget[] = [];
    for (const pod of found.pods) {
      const containers = flags.container !== undefined ? [flags.container].filter((c) => pod.containers.includes(c) || pod.initContainers.includes(c)) : pod.containers;
      for (const container of containers) targets.push({ namespace: pod.namespace, pod: pod.name, container });
    }
    if (targets.length === 0) throw new SlipwayError('unknown-container', `no Pod of app ${found.app} has a container "${flags.container}" (its Pods: ${found.pods.map((p) => `${p.name}: ${p.containers.join(', ')}`).join('; ')})`);
    return targets;
  } finally {
    await repo.close();
  }
}

/**
 * Prints the logs: one after another when reading, all at once when following (until each ends
 * or `signal`). With `single`, the one log's failure to open is the command's error.
 */
async function printLogs(port: PodLogPort, targets: readonly LogTarget[], opts: Omit<PodLogRequest, 'namespace' | 'pod' | 'container'> & { prefix: boolean; signal: AbortSignal; single: boolean }): Promise<{ read: number; failed: number }> {
  const { prefix, signal, single, ...read } = opts;
  const tally = { read: 0, failed: 0 };
  const one = async (t: LogTarget): Promise<void> => {
    if (signal.aborted) return;
    let stream: PodLogStream;
    try {
      stream = await openPodLogs(port, { ...read, namespace: t.namespace, pod: t.pod, ...(t.container !== undefined && { container: t.container }) }, { buffer: { overflow: 'wait' }, signal });
    } catch (err) {
      tally.failed++;
      if (single || !(err instanceof SlipwayError)) throw err;
      process.stderr.write(`slipway: pod/${t.pod}/${t.container ?? ''}: ${err.message}\n`);
      return;
    }
    tally.read++;
    if (single && stream.defaulted) process.stderr.write(`Defaulted container "${stream.container}" out of: ${stream.containers.join(', ')}\n`);
    const head = prefix ? linePrefix(stream.pod, stream.container) : '';
    for await (const chunk of stream.batches()) {
      if (chunk.lines.length === 0) continue;
      const text = chunk.lines.map((l) => head + l).join('\n') + '\n';
      if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once('drain', r));
    }
    const note = endNote(stream.pod, stream.container, await stream.done);
    if (note && !signal.aborted) process.stderr.write(`slipway: ${note}\n`);
  };
  if (opts.follow) await Promise.all(targets.map(one));
  else for (const t of targets) await one(t);
  return tally;
}
