/**
 * Pod logs a test writes, served by the local cluster's kwok through the API server (`kubectl
 * logs`, client-node's Log API): kwok's `Logs` resource (kwok.x-k8s.io/v1alpha1, its CRD installed
 * by test/cluster/cluster.ts) maps one Pod's containers to files in CRI log format, current and
 * previous. Appending to a file while the log is followed is a real stream: kwok's kubelet server
 * tails it (fsnotify) and sends the new lines on.
 *
 * A Pod without a Logs object gets the cluster-wide logs of test/support/kwok-outcomes.ts.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Kubectl } from './kubectl.js';

/** Lines as a CRI container log (what the kubelet API reads): `<RFC 3339 time> stdout F <line>` each. */
export function criLines(lines: readonly string[], at: Date = new Date()): string {
  const time = at.toISOString();
  return lines.map((l) => `${time} stdout F ${l}\n`).join('');
}

export interface ContainerLog {
  /** The current run's lines, written at once (time: `at`, default now). */
  readonly lines?: readonly string[];
  readonly at?: Date;
  /** The previous run's lines: the log `--previous` reads (the Pod's status must show a restart: markRestarted). */
  readonly previous?: readonly string[];
}

export interface PodLogFiles {
  /** The current log file of a container. */
  file(container: string): string;
  /** Appends lines to a container's current log, stamped `at` (default now). */
  append(container: string, lines: readonly string[], at?: Date): void;
}

/**
 * Writes the containers' log files into `dir` and creates the Pod's Logs object, then waits until
 * kwok serves them (kwok watches Logs objects; the first read after creating one may still get
 * the cluster-wide log).
 */
export async function podLogFiles(kubectl: Kubectl, opts: { readonly dir: string; readonly namespace: string; readonly pod: string; readonly containers: Readonly<Record<string, ContainerLog>> }): Promise<PodLogFiles> {
  const dir = join(opts.dir, opts.namespace, opts.pod);
  mkdirSync(dir, { recursive: true });
  const file = (container: string): string => join(dir, `${container}.log`);
  const logs = Object.entries(opts.containers).map(([container, log]) => {
    writeFileSync(file(container), criLines(log.lines ?? [], log.at));
    const previous = join(dir, `${container}.previous.log`);
    if (log.previous) writeFileSync(previous, criLines(log.previous, log.at));
    return { containers: [container], logsFile: file(container), ...(log.previous && { previousLogsFile: previous }), follow: true };
  });
  kubectl(['apply', '-f', '-'], { input: stringify({ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: { name: opts.pod, namespace: opts.namespace }, spec: { logs } }) });
  for (const [container, log] of Object.entries(opts.containers)) {
    const want = (log.lines ?? []).map((l) => `${l}\n`).join('');
    await until(`kwok to serve ${opts.namespace}/${opts.pod}/${container} from ${file(container)}`, () => kubectl.result(['logs', '-n', opts.namespace, opts.pod, '-c', container]).stdout === want);
  }
  return { file, append: (container, lines, at) => appendFileSync(file(container), criLines(lines, at)) };
}

/**
 * Makes the Pod's status say its container restarted once (restartCount 1, lastState terminated
 * with exit code 1), as a kubelet would after a crash: what `--previous` needs. kwok leaves a
 * Running Pod's status alone, so it stays.
 */
export function markRestarted(kubectl: Kubectl, namespace: string, pod: string, container: string): void {
  const live = JSON.parse(kubectl(['get', 'pod', '-n', namespace, pod, '-o', 'json'])) as { status: { containerStatuses: Array<Record<string, unknown> & { name: string }> } };
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const containerStatuses = live.status.containerStatuses.map((s) =>
    s.name === container ? { ...s, restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: at, finishedAt: at } } } : s,
  );
  kubectl(['patch', 'pod', '-n', namespace, pod, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { containerStatuses } })]);
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
