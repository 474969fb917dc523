/**
 * CustomResourceDefinition health on objects as the API server returns them (testdata/health/crd/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/crd/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['established', 'healthy', 'Established: the API server serves Widget.example.com'],
  ['installing', 'progressing', 'not established yet: Installing: the initial names have been accepted'],
  ['names-conflict', 'degraded', 'names not accepted: PluralConflict: "widgets" is already in use'],
  ['just-created', 'progressing', 'waiting for the API server to accept its names'],
];

describe('CustomResourceDefinition health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
