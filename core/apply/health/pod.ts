/**
 * Pod (v1). gitops-engine `health_pod.go` and kstatus `podConditions`:
 * - Succeeded: healthy (run to completion);
 * - Failed: degraded, with the Pod's message or the first failed container's exit;
 * - a container (or init container) waiting for a reason in DEGRADED_WAITING_REASONS
 *   (CrashLoopBackOff, ImagePullBackOff, …): degraded. gitops-engine limits this to
 *   restartPolicy Always because of its hook Pods; Slipway has no hooks, so it applies to all;
 * - Running with Ready=True: healthy, for restartPolicy Always; a run-to-completion Pod
 *   (restartPolicy Never or OnFailure) is progressing until it has Succeeded (gitops-engine);
 * - Pending, or Running and not Ready: progressing, saying why (Unschedulable, ContainerCreating,
 *   containers not ready). An unschedulable Pod stays progressing (cluster autoscaling may add a
 *   node); the wait timeout turns it into a failure.
 */
import type { KubeObject } from '../../kube/types.js';
import { bool, condition, count, describe, int, isTrue, list, str } from './fields.js';
import type { HealthResult } from './types.js';
import { degraded, healthy, progressing, unknown } from './types.js';

/**
 * Container waiting reasons that will not resolve by waiting (kubelet's image and runtime errors,
 * back-offs); gitops-engine matches the same family by prefix "Err" and suffixes "Error"/"BackOff".
 */
export const DEGRADED_WAITING_REASONS: readonly string[] = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
];

interface ContainerState {
  readonly name: string;
  readonly ready: boolean;
  readonly waiting?: { readonly reason: string; readonly message: string };
  readonly terminated?: { readonly exitCode: number; readonly reason: string; readonly message: string };
  readonly lastExit?: number;
}

function containers(obj: KubeObject, field: 'initContainerStatuses' | 'containerStatuses'): ContainerState[] {
  return list(obj, 'status', field).map((c) => {
    const waitingReason = str(c, 'state', 'waiting', 'reason');
    const exitCode = int(c, 'state', 'terminated', 'exitCode');
    const lastExit = int(c, 'lastState', 'terminated', 'exitCode');
    return {
      name: str(c, 'name') ?? '?',
      ready: bool(c, 'ready'),
      ...(waitingReason !== undefined && { waiting: { reason: waitingReason, message: str(c, 'state', 'waiting', 'message') ?? '' } }),
      ...(exitCode !== undefined && { terminated: { exitCode, reason: str(c, 'state', 'terminated', 'reason') ?? '', message: str(c, 'state', 'terminated', 'message') ?? '' } }),
      ...(lastExit !== undefined && { lastExit }),
    };
  });
}

function failedContainer(all: readonly ContainerState[]): string | undefined {
  const c = all.find((x) => x.terminated && x.terminated.exitCode !== 0);
  if (!c?.terminated) return undefined;
  const { exitCode, reason, message } = c.terminated;
  return `container ${c.name} exited with code ${exitCode}${reason ? ` (${reason})` : ''}${message ? `: ${message}` : ''}`;
}

export function podHealth(obj: KubeObject): HealthResult {
  const phase = str(obj, 'status', 'phase');
  const init = containers(obj, 'initContainerStatuses');
  const main = containers(obj, 'containerStatuses');
  if (phase === 'Succeeded') return healthy('Succeeded: ran to completion');
  if (phase === 'Failed') {
    const why = [str(obj, 'status', 'reason'), str(obj, 'status', 'message')?.trim()].filter(Boolean).join(': ') || failedContainer([...init, ...main]);
    return degraded(`Failed${why ? `: ${why}` : ''}`);
  }
  const stuck = [...init, ...main].find((c) => c.waiting && DEGRADED_WAITING_REASONS.includes(c.waiting.reason));
  if (stuck?.waiting) {
    const last = stuck.lastExit === undefined ? '' : ` (last exit code ${stuck.lastExit})`;
    return degraded(`${stuck.waiting.reason}: container ${stuck.name}${last}${stuck.waiting.message ? `: ${stuck.waiting.message}` : ''}`);
  }
  const readyCount = `${main.filter((c) => c.ready).length} of ${count(main.length, 'container')} ready`;
  if (phase === 'Running') {
    const restartPolicy = str(obj, 'spec', 'restartPolicy') ?? 'Always';
    if (restartPolicy !== 'Always') return progressing(`Running; runs to completion (restartPolicy ${restartPolicy}): waiting for it to succeed`);
    const ready = condition(obj, 'Ready');
    if (isTrue(ready)) return healthy(`Running and Ready: ${readyCount}`);
    return progressing(`Running, not Ready: ${readyCount}${ready?.message ? ` (${ready.message})` : ''}`);
  }
  if (phase === 'Pending') {
    const scheduled = condition(obj, 'PodScheduled');
    if (scheduled?.status === 'False') return progressing(`Pending: ${describe(scheduled)}`);
    const waiting = [...init, ...main].flatMap((c) => (c.waiting ? [`${c.waiting.reason} (${c.name})`] : []));
    return progressing(`Pending${waiting.length > 0 ? `: ${waiting.join(', ')}` : ''}`);
  }
  if (phase === undefined) return progressing('waiting for the scheduler');
  return unknown(`phase ${phase}${str(obj, 'status', 'message') ? `: ${str(obj, 'status', 'message')}` : ''}`);
}
