/**
 * Deployment health on objects as the API server returns them (testdata/health/deployment/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/deployment/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['available', 'healthy', '3 of 3 replicas available'],
  ['rollout-updating', 'progressing', '1 of 3 replicas updated'],
  ['old-replica-terminating', 'progressing', '1 old replica pending termination'],
  ['new-replicas-not-available', 'progressing', '2 of 3 replicas available'],
  ['generation-not-observed', 'progressing', 'waiting for the deployment controller to observe generation 5 (observed 4)'],
  ['progress-deadline-exceeded', 'degraded', 'ProgressDeadlineExceeded: ReplicaSet "web-6d8f7b9c4" has timed out progressing.'],
  ['paused', 'healthy', 'paused (spec.paused): the rollout does not progress until it is resumed; 3 of 3 replicas available'],
  ['replica-failure-quota', 'progressing', '2 of 3 replicas updated; FailedCreate: pods "web-7c5b9d4f8-z8m2d" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m'],
  ['scaled-to-zero', 'healthy', '0 of 0 replicas available'],
  // More replicas than spec.replicas: never "3 of 1 replica available".
  ['surge-one-replica', 'progressing', '2 old replicas pending termination'],
  ['scale-down-settling', 'healthy', '3 replicas available, 1 wanted (2 extra being removed)'],
  ['scale-down-not-available', 'progressing', '2 of 3 updated replicas available (1 wanted: 2 extra being removed)'],
  ['paused-mid-rollout', 'healthy', 'paused (spec.paused): the rollout does not progress until it is resumed; 1 of 1 replica updated, 2 available (2 in total: old and new side by side during the rollout)'],
];

describe('Deployment health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
