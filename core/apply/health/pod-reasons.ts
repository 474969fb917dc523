/**
 * Why a workload's Pods are not ready, in the words `kubectl describe pod` shows: the Pod's
 * conditions, its containers' waiting and terminated states, and its recent Warning events. A
 * workload's own health (deployment.ts: "0 of 4 replicas available", ProgressDeadlineExceeded)
 * says that it is stuck; this says why, naming a Pod and how many Pods share the reason:
 *
 *   "3 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. shop/web-75f764998c-abcde"
 *
 * POD_RULES is the one table (DESIGN.md rule 3): each rule matches a Pod or not; a Pod takes the
 * rule of lowest priority number that matches it, and the workload is explained by the Pods of the
 * most severe rule found. Pure: the apply's waits (pod-reasons-reader.ts) read the Pods, events and
 * logs and pass them in. Only status, events and the log a rule asks for are read: never env values.
 */
import type { KubeObject } from '../../kube/types.js';
import { at, condition, int, isTrue, list, str } from './fields.js';

/** A core/v1 Event, as far as a reason needs it. */
export interface PodEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly involved: { readonly kind: string; readonly name: string; readonly uid?: string };
  /** The last time it happened (ISO), for "newest first". */
  readonly time: string;
}

/** The log lines a rule wants shown: the container's last run when it crashed and restarted (`kubectl logs --previous`). */
export interface LogRequest {
  readonly container: string;
  readonly previous: boolean;
}

/** What one rule says of one Pod. */
export interface PodMatch {
  /** Kubernetes' own word for it, shown in parentheses: FailedScheduling, CrashLoopBackOff, OOMKilled… */
  readonly reason: string;
  /** The sentence after the Pod's state: "0/1 nodes are available: 1 Insufficient cpu". */
  readonly detail: string;
  readonly log?: LogRequest;
}

/** A Pod as the rules read it: its containers (init first), conditions and its own Warning events, newest first. */
export interface PodView {
  readonly pod: KubeObject;
  readonly phase: string | undefined;
  readonly containers: readonly ContainerView[];
  readonly warnings: readonly PodEvent[];
}

export interface ContainerView {
  readonly name: string;
  readonly ready: boolean;
  readonly waiting?: { readonly reason: string; readonly message: string };
  readonly terminated?: Exit;
  readonly lastTerminated?: Exit;
}

interface Exit {
  readonly exitCode: number;
  readonly reason: string;
  readonly message: string;
}

export interface PodRule {
  /** Lower first: the most severe reason found among a workload's Pods is the one told. */
  readonly priority: number;
  readonly id: string;
  /** What the Pods are, after "3 Pods": "Pending", "crash-looping". */
  readonly state: string;
  readonly match: (pod: PodView) => PodMatch | undefined;
}

/** Container waiting reasons of an image that cannot be pulled (kubelet's images.go). */
const IMAGE_REASONS: ReadonlySet<string> = new Set(['ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName']);
/** Container waiting reasons of a container that cannot be created or started (kubelet's kuberuntime). */
const START_REASONS: ReadonlySet<string> = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreStartHookError', 'PostStartHookError']);

/** Termination reasons that say no more than the exit code does. */
const PLAIN_EXITS: ReadonlySet<string> = new Set(['', 'Error', 'Completed']);

/** "container web exited with code 1", its termination reason when it says more (ContainerCannotRun), and the termination message it wrote. */
const exitText = (name: string, e: Exit, verb = 'exited'): string =>
  `container ${name} ${verb} with code ${e.exitCode}${PLAIN_EXITS.has(e.reason) ? '' : ` (${e.reason})`}${e.message.trim() ? `: ${e.message.trim()}` : ''}`;

/**
 * The scheduler's sentence without its preemption part ("… 1 Insufficient cpu. no new claims to
 * deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."):
 * what preemption could not do is no reason of its own.
 */
export function schedulerSentence(message: string): string {
  const cut = message.search(/\.\s[^.]*preemption:/);
  return (cut >= 0 ? message.slice(0, cut) : message).trim().replace(/\.$/, '');
}

const newestEvent = (pod: PodView, reason: string): PodEvent | undefined => pod.warnings.find((e) => e.reason === reason);

export const POD_RULES: readonly PodRule[] = [
  {
    priority: 10,
    id: 'OOMKilled',
    state: 'out of memory',
    match: (p) => {
      const c = p.containers.find((x) => x.terminated?.reason === 'OOMKilled' || x.lastTerminated?.reason === 'OOMKilled');
      const exit = c?.terminated?.reason === 'OOMKilled' ? c.terminated : c?.lastTerminated;
      if (!c || !exit) return undefined;
      return { reason: 'OOMKilled', detail: `container ${c.name} was killed at its memory limit (exit code ${exit.exitCode})`, log: { container: c.name, previous: c.terminated === undefined } };
    },
  },
  {
    priority: 20,
    id: 'CrashLoopBackOff',
    state: 'crash-looping',
    match: (p) => {
      const c = p.containers.find((x) => x.waiting?.reason === 'CrashLoopBackOff');
      if (!c) return undefined;
      return { reason: 'CrashLoopBackOff', detail: c.lastTerminated ? exitText(c.name, c.lastTerminated, 'keeps exiting') : `container ${c.name} keeps exiting`, log: { container: c.name, previous: true } };
    },
  },
  {
    priority: 30,
    id: 'ImagePull',
    state: 'cannot pull an image',
    match: (p) => {
      const c = p.containers.find((x) => x.waiting !== undefined && IMAGE_REASONS.has(x.waiting.reason));
      return c?.waiting && { reason: c.waiting.reason, detail: `container ${c.name}${c.waiting.message ? `: ${c.waiting.message}` : ''}` };
    },
  },
  {
    priority: 40,
    id: 'CannotStart',
    state: 'cannot start',
    match: (p) => {
      const c = p.containers.find((x) => x.waiting !== undefined && START_REASONS.has(x.waiting.reason));
      return c?.waiting && { reason: c.waiting.reason, detail: `container ${c.name}${c.waiting.message ? `: ${c.waiting.message}` : ''}` };
    },
  },
  {
    priority: 50,
    id: 'Failed',
    state: 'failed',
    match: (p) => {
      // The Pod's own reason first (Evicted, DeadlineExceeded): its containers' exits follow from it.
      const podReason = p.phase === 'Failed' ? str(p.pod, 'status', 'reason') : undefined;
      if (podReason) return { reason: podReason, detail: str(p.pod, 'status', 'message')?.trim() || 'the Pod failed' };
      const c = p.containers.find((x) => x.terminated !== undefined && x.terminated.exitCode !== 0);
      if (c?.terminated) return { reason: c.terminated.reason || 'Error', detail: exitText(c.name, { ...c.terminated, reason: '' }), log: { container: c.name, previous: false } };
      return p.phase === 'Failed' ? { reason: 'Failed', detail: str(p.pod, 'status', 'message')?.trim() || 'the Pod failed' } : undefined;
    },
  },
  {
    priority: 60,
    id: 'FailedScheduling',
    state: 'Pending',
    match: (p) => {
      const unscheduled = condition(p.pod, 'PodScheduled')?.status === 'False' ? condition(p.pod, 'PodScheduled') : undefined;
      // The event alone counts only while the Pod has no node: once bound, an old FailedScheduling is history.
      const event = p.phase === 'Pending' && str(p.pod, 'spec', 'nodeName') === undefined ? newestEvent(p, 'FailedScheduling') : undefined;
      const message = unscheduled?.message || event?.message;
      if (!unscheduled && !event) return undefined;
      return { reason: 'FailedScheduling', detail: message ? schedulerSentence(message) : 'no node was found for it yet' };
    },
  },
  {
    priority: 70,
    id: 'Unhealthy',
    state: 'not Ready',
    match: (p) => {
      const event = newestEvent(p, 'Unhealthy');
      return event && { reason: 'Unhealthy', detail: event.message.trim() };
    },
  },
  {
    priority: 80,
    id: 'Pending',
    state: 'Pending',
    match: (p) => {
      if (p.phase !== 'Pending') return undefined;
      const event = p.warnings[0];
      if (event) return { reason: event.reason, detail: event.message.trim() };
      const c = p.containers.find((x) => x.waiting !== undefined);
      return c?.waiting ? { reason: c.waiting.reason, detail: `container ${c.name}${c.waiting.message ? `: ${c.waiting.message}` : ''}` } : { reason: 'Pending', detail: 'its containers have not started yet' };
    },
  },
  {
    priority: 90,
    id: 'NotReady',
    state: 'not Ready',
    match: (p) => {
      const ready = condition(p.pod, 'Ready');
      return { reason: ready?.reason || 'NotReady', detail: ready?.message || `${p.containers.filter((c) => !c.ready).length} container(s) not ready` };
    },
  },
];

function exitOf(v: unknown): Exit | undefined {
  const exitCode = int(v, 'exitCode');
  return exitCode === undefined ? undefined : { exitCode, reason: str(v, 'reason') ?? '', message: str(v, 'message') ?? '' };
}

function containersOf(pod: KubeObject): ContainerView[] {
  return [...list(pod, 'status', 'initContainerStatuses'), ...list(pod, 'status', 'containerStatuses')].map((c) => {
    const waiting = str(c, 'state', 'waiting', 'reason');
    const terminated = exitOf(at(c, 'state', 'terminated'));
    const last = exitOf(at(c, 'lastState', 'terminated'));
    return {
      name: str(c, 'name') ?? '?',
      ready: at(c, 'ready') === true,
      ...(waiting !== undefined && { waiting: { reason: waiting, message: str(c, 'state', 'waiting', 'message') ?? '' } }),
      ...(terminated && { terminated }),
      ...(last && { lastTerminated: last }),
    };
  });
}

/** core/v1 Events as PodEvents; anything malformed is left out. */
export function podEvents(objects: readonly KubeObject[]): PodEvent[] {
  return objects.flatMap((e) => {
    const kind = str(e, 'involvedObject', 'kind');
    const name = str(e, 'involvedObject', 'name');
    const reason = str(e, 'reason');
    if (kind === undefined || name === undefined || reason === undefined) return [];
    const uid = str(e, 'involvedObject', 'uid');
    const time = str(e, 'series', 'lastObservedTime') ?? str(e, 'lastTimestamp') ?? str(e, 'eventTime') ?? str(e, 'firstTimestamp') ?? str(e, 'metadata', 'creationTimestamp') ?? '';
    return [{ type: str(e, 'type') ?? 'Normal', reason, message: str(e, 'message') ?? '', involved: { kind, name, ...(uid !== undefined && { uid }) }, time }];
  });
}

const newestFirst = (a: PodEvent, b: PodEvent): number => b.time.localeCompare(a.time);

/** The events of this object: its kind and name, and its uid when both say one (a StatefulSet's Pod of the same name before it is another Pod). */
const about = (e: PodEvent, obj: KubeObject): boolean =>
  e.involved.kind === obj.kind && e.involved.name === obj.metadata.name && (e.involved.uid === undefined || obj.metadata.uid === undefined || e.involved.uid === obj.metadata.uid);

export function podView(pod: KubeObject, events: readonly PodEvent[]): PodView {
  return { pod, phase: str(pod, 'status', 'phase'), containers: containersOf(pod), warnings: events.filter((e) => e.type === 'Warning' && about(e, pod)).sort(newestFirst) };
}

const BY_PRIORITY = [...POD_RULES].sort((a, b) => a.priority - b.priority);

/** A Pod that needs no explaining: finished well, or running and Ready. */
function fine(p: PodView): boolean {
  if (p.phase === 'Succeeded') return true;
  return p.phase === 'Running' && isTrue(condition(p.pod, 'Ready'));
}

/** The rule a Pod falls under and what it says, or undefined for a Pod that is fine. */
export function podProblem(p: PodView): { readonly rule: PodRule; readonly match: PodMatch } | undefined {
  if (fine(p) || p.pod.metadata.deletionTimestamp !== undefined) return undefined;
  for (const rule of BY_PRIORITY) {
    const match = rule.match(p);
    if (match) return { rule, match };
  }
  return undefined;
}

/** The reason told for a workload: its text, and the Pod and log it names (the log is read by the caller and added with withLog). */
export interface WorkloadReason {
  readonly text: string;
  readonly pod: { readonly namespace: string; readonly name: string };
  readonly count: number;
  readonly log?: LogRequest;
}

const podName = (pod: KubeObject): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
/** Newest first, then by name: the example is the Pod most likely still in that state. */
const newestPod = (a: KubeObject, b: KubeObject): number => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')) || a.metadata.name.localeCompare(b.metadata.name);

/**
 * Why a workload's Pods are not ready: the most severe rule any of them falls under, the Pods that
 * share its reason and detail, and one of them by name. Without a Pod to explain, the newest
 * Warning event of the workload itself (a ReplicaSet, StatefulSet or Job that cannot create its
 * Pods: FailedCreate, a quota or an admission webhook) says it. Undefined when nothing is wrong.
 */
export function workloadReason(workload: KubeObject | undefined, pods: readonly KubeObject[], events: readonly PodEvent[]): WorkloadReason | undefined {
  const problems = [...pods]
    .sort(newestPod)
    .flatMap((pod) => {
      const found = podProblem(podView(pod, events));
      return found ? [{ pod, ...found }] : [];
    });
  if (problems.length > 0) {
    const top = Math.min(...problems.map((p) => p.rule.priority));
    const first = problems.find((p) => p.rule.priority === top)!;
    const same = problems.filter((p) => p.rule.id === first.rule.id && p.match.reason === first.match.reason && p.match.detail === first.match.detail);
    const { rule, match, pod } = first;
    const text =
      same.length === 1
        ? `Pod ${podName(pod)} ${rule.state}: ${match.detail} (${match.reason})`
        : `${same.length} Pods ${rule.state}: ${match.detail} (${match.reason}), e.g. ${podName(pod)}`;
    return { text, pod: { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name }, count: same.length, ...(match.log && { log: match.log }) };
  }
  if (!workload) return undefined;
  const own = events.filter((e) => e.type === 'Warning' && about(e, workload)).sort(newestFirst)[0];
  if (!own) return undefined;
  return { text: `${workload.kind} ${podName(workload)}: ${own.message.trim()} (${own.reason})`, pod: { namespace: workload.metadata.namespace ?? '', name: workload.metadata.name }, count: 0 };
}

/** Lines of a crashed container's log told with its reason. */
export const LOG_LINES = 5;

/** The reason with the end of the log it asked for: "…; its log (container web, previous run) ends: a / b", or why the log could not be read. */
export function withLog(reason: WorkloadReason, log: { readonly text: string } | { readonly error: string }): string {
  if (!reason.log) return reason.text;
  const where = `container ${reason.log.container}${reason.log.previous ? ', previous run' : ''}`;
  if ('error' in log) return `${reason.text}; its log (${where}) could not be read: ${log.error}`;
  const lines = log.text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-LOG_LINES);
  return lines.length === 0 ? `${reason.text}; its log (${where}) is empty` : `${reason.text}; its log (${where}) ends: ${lines.join(' / ')}`;
}
