/**
 * PersistentVolumeClaim health on objects as the API server returns them (testdata/health/pvc/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';
import type { HealthContext, OutsideCause } from './assess.js';

const dir = new URL('../testdata/health/pvc/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

/** waitsOn: a Pending claim waits for something outside the app (assess.ts OUTSIDE_WAITS). */
const cases: [fixture: string, status: HealthStatus, message: string, waitsOn?: OutsideCause][] = [
  ['bound', 'healthy', 'Bound to PersistentVolume pvc-c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f (10Gi)'],
  ['pending-first-consumer', 'healthy', 'Pending until a Pod uses it: StorageClass local-path binds on first consumer'],
  ['pending-provisioning', 'progressing', 'Pending: waiting for ebs.csi.aws.com to provision a volume', 'volume-provisioner'],
  ['pending-node-selected', 'progressing', 'Pending: provisioning a volume for node ip-10-0-1-23.eu-central-1.compute.internal (StorageClass gp3)', 'volume-provisioner'],
  ['pending-static', 'progressing', 'Pending: waiting for a matching PersistentVolume (no StorageClass)', 'persistent-volume'],
  ['lost', 'degraded', 'Lost: its PersistentVolume pvc-c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f no longer exists'],
];

describe('PersistentVolumeClaim health', () => {
  it.each(cases)('%s → %s', (name, status, message, waitsOn) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message, ...(waitsOn && { waitsOn }) });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  // The StorageClass binding mode, when the executor knows it, decides over the annotations.
  it.each<[fixture: string, ctx: HealthContext, status: HealthStatus, message: string]>([
    ['pending-first-consumer', { storageClassBindingModes: { 'local-path': 'WaitForFirstConsumer' } }, 'healthy', 'Pending until a Pod uses it: StorageClass local-path binds on first consumer'],
    ['pending-first-consumer', { storageClassBindingModes: { 'local-path': 'Immediate' } }, 'progressing', 'Pending: waiting for StorageClass local-path to provision a volume'],
    ['pending-provisioning', { storageClassBindingModes: { 'gp3-immediate': 'Immediate' } }, 'progressing', 'Pending: waiting for ebs.csi.aws.com to provision a volume'],
    ['pending-node-selected', { storageClassBindingModes: { gp3: 'WaitForFirstConsumer' } }, 'progressing', 'Pending: provisioning a volume for node ip-10-0-1-23.eu-central-1.compute.internal (StorageClass gp3)'],
  ])('%s with binding modes %j → %s', (name, ctx, status, message) => {
    expect(assessHealth(fixture(name), ctx)).toEqual({ status, message, ...(status === 'progressing' && { waitsOn: 'volume-provisioner' }) });
  });
});
