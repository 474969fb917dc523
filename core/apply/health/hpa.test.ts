/**
 * HorizontalPodAutoscaler health on objects as the API server returns them (testdata/health/hpa/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';
import { HPA_DEGRADED_CONDITIONS } from './hpa.js';

const dir = new URL('../testdata/health/hpa/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['scaling', 'healthy', '2 current, 2 desired replicas (min 2, max 10)'],
  ['v1-annotation', 'healthy', '2 current, 2 desired replicas (min 2, max 10)'],
  ['no-metrics-server', 'healthy', 'in place and able to scale its target; metrics not available yet (FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io))'],
  ['target-missing', 'degraded', 'FailedGetScale: the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "web" not found'],
  ['not-evaluated', 'progressing', 'waiting for the autoscaler\'s first evaluation; 0 current, 0 desired replicas (min 2, max 10)'],
  ['scaling-disabled', 'healthy', 'ScalingDisabled: scaling is disabled since the replica count of the target is zero'],
];

describe('HorizontalPodAutoscaler health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  // Each (type, reason) pair of the table is a failure when its condition is False.
  it.each(HPA_DEGRADED_CONDITIONS)('$type=False with reason $reason is degraded', ({ type, reason }) => {
    const hpa = structuredClone(fixture('scaling'));
    const conditions = (hpa.status as { conditions: { type: string; status: string; reason: string; message: string }[] }).conditions;
    conditions[conditions.findIndex((c) => c.type === type)] = { type, status: 'False', reason, message: 'broken' };
    expect(assessHealth(hpa)).toEqual({ status: 'degraded', message: `${reason}: broken` });
  });

  it('is progressing while ScalingActive is False for a reason outside the table', () => {
    const hpa = structuredClone(fixture('scaling-disabled'));
    const conditions = (hpa.status as { conditions: { type: string; reason: string }[] }).conditions;
    conditions[1]!.reason = 'SomethingNew';
    expect(assessHealth(hpa)).toEqual({
      status: 'progressing',
      message: 'SomethingNew: scaling is disabled since the replica count of the target is zero; 0 current, 0 desired replicas (min 2, max 10)',
    });
  });
});
