/**
 * Job health on objects as the API server returns them (testdata/health/job/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/job/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['complete', 'healthy', 'Complete: 1 of 1 succeeded'],
  ['work-queue', 'healthy', 'Complete: 3 pods succeeded'],
  ['success-criteria-met', 'progressing', 'succeeded (1 of 1); waiting for 1 pod to terminate before Complete'],
  ['running', 'progressing', 'running: 1 active, 0 of 1 succeeded'],
  ['running-after-failures', 'progressing', 'running: 1 active, 0 of 1 succeeded, 2 pods failed'],
  ['backoff-limit-exceeded', 'degraded', 'BackoffLimitExceeded: Job has reached the specified backoff limit (7 pods failed)'],
  ['failure-target', 'degraded', 'DeadlineExceeded: Job was active longer than specified deadline'],
  ['suspended', 'healthy', 'suspended (spec.suspend): no Pods run until it is resumed'],
  ['not-started', 'progressing', 'waiting for the job controller to start it'],
];

describe('Job health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
