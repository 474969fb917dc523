/**
 * Namespace health on objects as the API server returns them (testdata/health/namespace/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/namespace/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['active', 'healthy', 'Active'],
  ['terminating', 'progressing', 'being deleted; Some resources are remaining: persistentvolumeclaims. has 1 resource instances; Some content in the namespace has finalizers remaining: kubernetes.io/pvc-protection in 1 resource instances'],
];

describe('Namespace health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it('reports Terminating from the phase alone when no deletionTimestamp was read yet', () => {
    const ns = fixture('terminating');
    const { deletionTimestamp: _, ...metadata } = ns.metadata;
    expect(assessHealth({ ...ns, metadata })).toEqual({
      status: 'progressing',
      message:
        'Terminating: Some resources are remaining: persistentvolumeclaims. has 1 resource instances; Some content in the namespace has finalizers remaining: kubernetes.io/pvc-protection in 1 resource instances',
    });
  });
});
