/**
 * StatefulSet health on objects as the API server returns them (testdata/health/statefulset/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/statefulset/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['ready', 'healthy', '3 of 3 replicas ready at revision db-5d8b9c7f6d'],
  ['rolling-update', 'progressing', 'rolling update: 1 of 3 replicas at revision db-6f4c8d9b7'],
  ['not-ready', 'progressing', '2 of 3 replicas ready'],
  ['scaling-up', 'progressing', '1 of 3 replicas created'],
  ['generation-not-observed', 'progressing', 'waiting for the statefulset controller to observe generation 3 (observed 2)'],
  ['partition-complete', 'healthy', 'partitioned rollout complete: 1 of 3 replicas updated (partition 2)'],
  ['partition-in-progress', 'progressing', 'partitioned rollout: 1 of 2 replicas above partition 1 updated'],
  ['on-delete', 'healthy', '3 of 3 replicas ready (OnDelete update strategy: Pods take a new template only when deleted)'],
  ['extra-replicas', 'progressing', '1 extra replica pending termination'],
];

describe('StatefulSet health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
