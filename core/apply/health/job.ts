/**
 * Job (batch/v1). gitops-engine `health_job.go` and kstatus `jobConditions`:
 * - Failed=True, or FailureTarget=True (1.31+: failure decided, Pods still terminating): degraded;
 * - Complete=True: healthy; SuccessCriteriaMet=True alone (1.31+) is progressing: the controller
 *   adds Complete once the remaining Pods have terminated;
 * - suspended (spec.suspend or Suspended=True): healthy with a note, as kstatus does;
 * - otherwise progressing: the executor waits for the Job to finish, so a migration Job in an
 *   early wave gates what comes after it.
 */
import type { KubeObject } from '../../kube/types.js';
import { bool, condition, count, describe, int, isTrue, str } from './fields.js';
import type { HealthResult } from './types.js';
import { degraded, healthy, progressing } from './types.js';

export function jobHealth(obj: KubeObject): HealthResult {
  const succeeded = int(obj, 'status', 'succeeded') ?? 0;
  const failed = int(obj, 'status', 'failed') ?? 0;
  const active = int(obj, 'status', 'active') ?? 0;
  const completions = int(obj, 'spec', 'completions');
  const done = completions === undefined ? count(succeeded, 'pod') : `${succeeded} of ${completions}`;
  const failure = [condition(obj, 'Failed'), condition(obj, 'FailureTarget')].find(isTrue);
  if (failure) return degraded(`${describe(failure)}${failed > 0 ? ` (${count(failed, 'pod')} failed)` : ''}`);
  if (isTrue(condition(obj, 'Complete'))) return healthy(`Complete: ${done} succeeded`);
  if (isTrue(condition(obj, 'SuccessCriteriaMet'))) return progressing(`succeeded (${done}); waiting for ${count(int(obj, 'status', 'terminating') ?? 0, 'pod')} to terminate before Complete`);
  if (bool(obj, 'spec', 'suspend') || isTrue(condition(obj, 'Suspended'))) return healthy('suspended (spec.suspend): no Pods run until it is resumed');
  if (str(obj, 'status', 'startTime') === undefined) return progressing('waiting for the job controller to start it');
  return progressing(`running: ${active} active, ${done} succeeded${failed > 0 ? `, ${count(failed, 'pod')} failed` : ''}`);
}
