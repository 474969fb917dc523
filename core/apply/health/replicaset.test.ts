/**
 * ReplicaSet health on objects as the API server returns them (testdata/health/replicaset/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/replicaset/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['available', 'healthy', '2 of 2 replicas available'],
  ['not-available', 'progressing', '1 of 2 replicas available'],
  ['replica-failure', 'progressing', '1 of 2 replicas available; FailedCreate: pods "web-7c5b9d4f8-q4w7e" is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=250m, limited: requests.cpu=250m'],
];

describe('ReplicaSet health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it('applies to a ReplicationController, which has the same status shape', () => {
    const rc = { ...fixture('not-available'), apiVersion: 'v1', kind: 'ReplicationController' };
    expect(assessHealth(rc)).toEqual({ status: 'progressing', message: '1 of 2 replicas available' });
  });
});
