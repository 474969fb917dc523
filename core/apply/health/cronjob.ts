/**
 * CronJob (batch/v1): healthy once it exists (kstatus `alwaysReady`); its Jobs are not part of
 * the apply. The message gives the schedule, whether it is suspended and when it last ran.
 */
import type { KubeObject } from '../../kube/types.js';
import { bool, list, str } from './fields.js';
import type { HealthResult } from './types.js';
import { healthy } from './types.js';

export function cronJobHealth(obj: KubeObject): HealthResult {
  const schedule = `schedule ${JSON.stringify(str(obj, 'spec', 'schedule') ?? '')}${str(obj, 'spec', 'timeZone') ? ` (${str(obj, 'spec', 'timeZone')})` : ''}`;
  if (bool(obj, 'spec', 'suspend')) return healthy(`suspended (spec.suspend): no Jobs are created; ${schedule}`);
  const last = str(obj, 'status', 'lastScheduleTime');
  const active = list(obj, 'status', 'active').length;
  return healthy(`${schedule}; ${last ? `last scheduled ${last}` : 'not run yet'}${active > 0 ? `, ${active} active` : ''}`);
}
