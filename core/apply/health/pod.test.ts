/**
 * Pod health on objects as the API server returns them (testdata/health/pod/*.yaml),
 * table-driven like gitops-engine's pkg/health tests: fixture in, status and message out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { assessHealth } from './assess.js';
import type { HealthStatus } from './assess.js';
import { DEGRADED_WAITING_REASONS } from './pod.js';

const dir = new URL('../testdata/health/pod/', import.meta.url);
const fixture = (name: string): KubeObject => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as KubeObject;

const cases: [fixture: string, status: HealthStatus, message: string][] = [
  ['running-ready', 'healthy', 'Running and Ready: 1 of 1 container ready'],
  ['running-not-ready', 'progressing', 'Running, not Ready: 0 of 1 container ready (containers with unready status: [web])'],
  ['crash-loop', 'degraded', 'CrashLoopBackOff: container web (last exit code 1): back-off 2m40s restarting failed container=web pod=web-7c5b9d4f8-k2x9p_shop(d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a)'],
  ['init-crash-loop', 'degraded', 'CrashLoopBackOff: container wait-for-db (last exit code 2): back-off 40s restarting failed container=wait-for-db pod=web-7c5b9d4f8-k2x9p_shop(d4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f7a)'],
  ['image-pull-backoff', 'degraded', 'ImagePullBackOff: container web: Back-off pulling image "registry.example.com/shop/web:1.4.9": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/web:1.4.9": failed to resolve reference "registry.example.com/shop/web:1.4.9": registry.example.com/shop/web:1.4.9: not found'],
  ['create-container-config-error', 'degraded', 'CreateContainerConfigError: container web: secret "db-credentials" not found'],
  ['container-creating', 'progressing', 'Pending: ContainerCreating (web)'],
  ['unschedulable', 'progressing', 'Pending: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.'],
  ['succeeded', 'healthy', 'Succeeded: ran to completion'],
  ['running-to-completion', 'progressing', 'Running; runs to completion (restartPolicy Never): waiting for it to succeed'],
  ['failed', 'degraded', 'Failed: container migrate exited with code 1 (Error)'],
  ['evicted', 'degraded', 'Failed: Evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 92160Ki.'],
];

describe('Pod health', () => {
  it.each(cases)('%s → %s', (name, status, message) => {
    expect(assessHealth(fixture(name))).toEqual({ status, message });
  });

  it('has a case for every fixture', () => {
    expect(readdirSync(dir).map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(cases.map(([name]) => name).sort());
  });

  // Every reason in the table is a failure; a reason outside it (ContainerCreating) is progress.
  it.each(DEGRADED_WAITING_REASONS)('a container waiting with reason %s is degraded', (reason) => {
    const pod = structuredClone(fixture('container-creating'));
    const statuses = (pod.status as { containerStatuses: { state: { waiting: { reason: string } } }[] }).containerStatuses;
    statuses[0]!.state.waiting.reason = reason;
    expect(assessHealth(pod)).toEqual({ status: 'degraded', message: `${reason}: container web` });
  });
});
