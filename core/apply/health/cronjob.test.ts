/**
 * CronJob health on objects as the API server returns them (testdata/health/cronjob/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/cronjob/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['scheduled', 'healthy', 'schedule "*/15 * * * *" (Europe/Berlin); last scheduled 2026-03-14T09:45:00Z'],
  ['never-run', 'healthy', 'schedule "0 3 * * *"; not run yet'],
  ['suspended', 'healthy', 'suspended (spec.suspend): no Jobs are created; schedule "0 3 * * *"'],
];

describe('CronJob health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
