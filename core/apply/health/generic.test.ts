/**
 * Generic (condition-based) health on objects as the API server returns them (testdata/health/generic/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';

const dir = new URL('../testdata/health/generic/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['configmap', 'healthy', 'exists (no readiness conditions to wait for)'],
  ['certificate-ready', 'healthy', 'Ready=True: Ready: Certificate is up to date and has not expired'],
  ['certificate-issuing', 'progressing', 'Ready=False: DoesNotExist: Issuing certificate as Secret does not exist'],
  ['certificate-generation-not-observed', 'progressing', 'waiting for the controller to observe generation 2 (its Ready condition is from generation 1)'],
  ['kustomization-build-failed', 'degraded', 'Ready=False: BuildFailed: kustomization path not found: stat /tmp/kustomization-1234567890/apps/production: no such file or directory'],
  ['kustomization-reconciling', 'progressing', 'Reconciling: Progressing: Fetching manifests for revision main@sha1:4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e with a timeout of 9m30s'],
  ['kustomization-stalled', 'degraded', 'Stalled: InvalidPath: spec.path must be a relative path inside the source'],
  ['apiservice-available', 'healthy', 'Available=True: Passed: all checks passed'],
  ['apiservice-missing-endpoints', 'progressing', 'Available=False: MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"'],
  ['apiservice-failed-discovery', 'degraded', 'Available=False: FailedDiscoveryCheck: failing or missing response from https://10.96.12.7:443/apis/metrics.k8s.io/v1beta1: Get "https://10.96.12.7:443/apis/metrics.k8s.io/v1beta1": dial tcp 10.96.12.7:443: connect: connection refused'],
];

describe('Generic (condition-based) health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  it('uses status.observedGeneration when the object reports one', () => {
    const ks = structuredClone(fixture('kustomization-build-failed'));
    ks.metadata.generation = 2;
    expect(assessHealth(ks)).toEqual({ status: 'progressing', message: 'waiting for the controller to observe generation 2 (observed 1)' });
  });
});
