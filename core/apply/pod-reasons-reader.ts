/**
 * Reads why a waited-for workload is not ready yet (health/pod-reasons.ts says it from what is
 * read here): its Pods by its selector (one LIST in its namespace), the namespace's Events (one
 * LIST per namespace per read, shared by the workloads read together) and, for a crashing
 * container, the last lines of its log. A task is read every `everyMs` (a first read soon after
 * its wait starts), never on every poll, and once more when its wait ends badly, so its result
 * names the Pods. A read that fails keeps what was known: the reason is help, never a new failure.
 */
import type { KubeObject } from '../kube/types.js';
import type { ResourceKey } from '../model/resource.js';
import type { ClusterPort } from './cluster-port.js';
import { LOG_LINES, podEvents, withLog, workloadReason, type PodEvent } from './health/pod-reasons.js';
import { podsBy, selectorOf } from './health/workload-pods.js';
import type { ApplyTask } from './task.js';

/** How often a waited-for workload's Pods are read by default. */
export const REASON_EVERY_MS = 5000;
/** The first read after this long (or `everyMs` if shorter): a rollout's Pods are there by then. */
const FIRST_READ_MS = 2000;

const POD = { group: '', version: 'v1', kind: 'Pod' } as const;
const EVENT = { group: '', version: 'v1', kind: 'Event' } as const;

interface Known {
  /** Date.now() of the last read. */
  readonly at: number;
  readonly text?: string;
}

export class PodReasonReader {
  private readonly known = new Map<ApplyTask, Known>();

  constructor(
    private readonly cluster: ClusterPort,
    private readonly everyMs: number = REASON_EVERY_MS,
  ) {}

  /** Whether the task's object runs Pods that can say why (a waited-for upsert of a workload kind). */
  static explains(task: ApplyTask): boolean {
    return task.wait?.waitFor === 'healthy' && task.key.namespace !== undefined && podsBy(task.key) !== undefined;
  }

  /** The reason last read for the task ("3 Pods Pending: …"), if any. */
  of(task: ApplyTask): string | undefined {
    return this.known.get(task)?.text;
  }

  /** Whether the task is due a read at `now`: `everyMs` after the last one, the first one sooner. */
  due(task: ApplyTask, now = Date.now()): boolean {
    const last = this.known.get(task)?.at;
    if (last !== undefined) return now - last >= this.everyMs;
    const since = task.wait ? task.wait.deadline - task.wait.timeoutMs : now;
    return now - since >= Math.min(this.everyMs, FIRST_READ_MS);
  }

  /** Whether the last read is older than `ms` (or there was none). */
  olderThan(task: ApplyTask, ms: number, now = Date.now()): boolean {
    const last = this.known.get(task)?.at;
    return last === undefined || now - last >= ms;
  }

  /**
   * Reads the reasons of these tasks now, each with the workload as last read (null: absent);
   * tasks of other kinds are only marked read. The namespace's Events are listed once for all.
   */
  async read(items: readonly { readonly task: ApplyTask; readonly obj: KubeObject | null }[]): Promise<void> {
    const events = new Map<string, Promise<PodEvent[]>>();
    const eventsIn = (namespace: string): Promise<PodEvent[]> => {
      let found = events.get(namespace);
      if (!found) {
        // Without permission to read Events the Pods' own status still says most.
        found = this.cluster.list(EVENT, { namespace }).then(podEvents, () => []);
        events.set(namespace, found);
      }
      return found;
    };
    await Promise.all(
      items.map(async ({ task, obj }) => {
        const at = Date.now();
        const before = this.known.get(task)?.text;
        if (!PodReasonReader.explains(task) || !obj) return void this.known.set(task, { at, ...(before !== undefined && { text: before }) });
        try {
          const text = await this.reasonOf(task.key, obj, eventsIn);
          this.known.set(task, { at, ...(text !== undefined && { text }) });
        } catch {
          this.known.set(task, { at, ...(before !== undefined && { text: before }) });
        }
      }),
    );
  }

  private async reasonOf(key: ResourceKey, workload: KubeObject, eventsIn: (namespace: string) => Promise<PodEvent[]>): Promise<string | undefined> {
    const namespace = key.namespace!;
    let pods: KubeObject[] = [workload];
    if (podsBy(key) === 'selector') {
      const labelSelector = selectorOf(workload);
      if (labelSelector === undefined) return undefined;
      pods = (await this.cluster.listLabelled(POD, { labelSelector, namespaces: new Set([namespace]), scope: 'namespaces' })).filter((p) => p.metadata.namespace === namespace);
    }
    const reason = workloadReason(workload, pods, await eventsIn(namespace));
    if (!reason?.log) return reason?.text;
    const { container, previous } = reason.log;
    try {
      const text = await this.cluster.podLog(reason.pod.namespace, reason.pod.name, { container, tailLines: LOG_LINES, previous });
      return withLog(reason, { text });
    } catch (e) {
      return withLog(reason, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}
