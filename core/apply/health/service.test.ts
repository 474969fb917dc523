/**
 * Service health on objects as the API server returns them (testdata/health/service/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus, OutsideCause } from './assess.js';

const dir = new URL('../testdata/health/service/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

/** waitsOn: what a progressing Service waits for outside the app (assess.ts OUTSIDE_WAITS). */
const cases: [fixture: string, status: HealthStatus, message: string, waitsOn?: OutsideCause][] = [
  ['cluster-ip', 'healthy', 'ClusterIP 10.96.41.207'],
  ['node-port', 'healthy', 'NodePort 10.96.41.207'],
  ['external-name', 'healthy', 'ExternalName db.prod.example.com'],
  ['load-balancer-pending', 'progressing', 'waiting for the load balancer to get an address', 'load-balancer'],
  ['load-balancer-ready', 'healthy', 'load balancer at 203.0.113.10'],
];

describe('Service health', () => {
  it.each(cases)('%s → %s', (name, status, message, waitsOn) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message, ...(waitsOn && { waitsOn }) });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });
});
