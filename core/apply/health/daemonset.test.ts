/**
 * DaemonSet health on objects as the API server returns them (testdata/health/daemonset/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/daemonset/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['available', 'healthy', '3 of 3 pods available'],
  ['rolling-update', 'progressing', '1 of 3 nodes updated'],
  ['not-available', 'progressing', '2 of 3 pods available'],
  ['not-observed', 'progressing', 'waiting for the daemon set controller to observe generation 1'],
  ['on-delete', 'healthy', '3 of 3 pods available (OnDelete update strategy: Pods take a new template only when deleted)'],
];

describe('DaemonSet health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
