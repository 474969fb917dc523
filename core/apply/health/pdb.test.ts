/**
 * PodDisruptionBudget health on objects as the API server returns them (testdata/health/pdb/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/pdb/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['sufficient-pods', 'healthy', '3 of 3 pods healthy (2 required), 1 disruption allowed'],
  ['no-pods-yet', 'healthy', '0 of 0 pods healthy (2 required), 0 disruptions allowed'],
  ['not-observed', 'progressing', 'waiting for the disruption controller to observe it'],
  ['sync-failed', 'healthy', 'the disruption controller cannot compute the budget: SyncFailed: found no controllers for pod "debug-shell"'],
];

describe('PodDisruptionBudget health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
