/**
 * The health table and the functions around it: which rule a group/kind gets, missing and
 * terminating objects, deletions (assessGone), malformed objects, and the wait-timeout table.
 * Per-kind rules are tested one file per kind beside this one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import type { HealthResult, HealthRule, HealthStatus } from './assess.js';
import { assessGone, assessHealth, DEFAULT_WAIT, HEALTH_RULES, healthRuleFor, timeoutFor, WAIT_RULES, waitTimeoutSeconds } from './assess.js';
import { crdHealth } from './crd.js';
import { deploymentHealth } from './deployment.js';
import { genericHealth } from './generic.js';
import { hpaHealth } from './hpa.js';
import { ingressHealth } from './ingress.js';
import { pdbHealth } from './pdb.js';
import { podHealth } from './pod.js';
import { replicaSetHealth } from './replicaset.js';
import type { WaitFor } from '../order.js';

const fixture = (path: string): KubeObject => parse(readFileSync(new URL(`../testdata/health/${path}.yaml`, import.meta.url), 'utf8')) as KubeObject;

const STATUSES: readonly HealthStatus[] = ['healthy', 'progressing', 'degraded', 'missing', 'unknown'];

describe('healthRuleFor: the table is keyed by group and kind', () => {
  it.each<[group: string, kind: string, rule: HealthRule]>([
    ['apps', 'Deployment', deploymentHealth],
    ['extensions', 'Deployment', deploymentHealth],
    ['', 'ReplicationController', replicaSetHealth],
    ['', 'Pod', podHealth],
    ['networking.k8s.io', 'Ingress', ingressHealth],
    ['autoscaling', 'HorizontalPodAutoscaler', hpaHealth],
    ['policy', 'PodDisruptionBudget', pdbHealth],
    ['apiextensions.k8s.io', 'CustomResourceDefinition', crdHealth],
    // Same kind name in another group: not the built-in rule.
    ['example.com', 'Deployment', genericHealth],
    ['apps', 'Pod', genericHealth],
    ['', 'ConfigMap', genericHealth],
    ['apiregistration.k8s.io', 'APIService', genericHealth],
    // Not fooled by Object.prototype.
    ['', 'constructor', genericHealth],
  ])('%s %s', (group, kind, rule) => {
    expect(healthRuleFor({ group, kind })).toBe(rule);
  });

  it('routes a custom resource named like a built-in kind to the generic rule', () => {
    const widget = { apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'w', generation: 1 }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Done' }] } };
    expect(assessHealth(widget)).toEqual({ status: 'healthy', message: 'Ready=True: Done' });
  });
});

describe('assessHealth', () => {
  it('reports an object that is not there as missing', () => {
    expect(assessHealth(undefined)).toEqual({ status: 'missing', message: 'not found' });
  });

  it('reports an object being deleted as progressing, whatever its own rule says, naming the finalizers', () => {
    const pod = structuredClone(fixture('pod/running-ready'));
    pod.metadata.deletionTimestamp = '2026-03-14T10:00:00Z';
    pod.metadata.finalizers = ['example.com/drain', 'example.com/audit'];
    expect(assessHealth(pod)).toEqual({ status: 'progressing', message: 'being deleted; waiting for finalizers: example.com/drain, example.com/audit' });
  });

  // Rules read every field defensively: a malformed object gets a status, never an exception.
  const junk: [label: string, patch: Record<string, unknown>][] = [
    ['no status, no spec', {}],
    ['status is a string', { status: 'Running', spec: 'x' }],
    ['conditions are not objects', { status: { conditions: ['Ready', 7, null, { type: 9 }, { type: 'Ready', status: true }] } }],
    ['counts are strings', { spec: { replicas: '3', updateStrategy: 'OnDelete' }, status: { replicas: '3', phase: 7, observedGeneration: 'latest' } }],
    ['lists are maps', { status: { containerStatuses: { web: {} }, loadBalancer: { ingress: { ip: '1.2.3.4' } }, active: 3 } }],
  ];
  const rules = Object.keys(HEALTH_RULES).map((gk) => {
    const dot = gk.indexOf('.');
    return dot < 0 ? { group: '', kind: gk } : { group: gk.slice(dot + 1), kind: gk.slice(0, dot) };
  });
  it.each(rules.flatMap((gk) => junk.map(([label, patch]) => [`${gk.kind}.${gk.group}`, label, gk, patch] as const)))('%s with %s', (_name, _label, gk, patch) => {
    const obj: KubeObject = { apiVersion: gk.group ? `${gk.group}/v1` : 'v1', kind: gk.kind, metadata: { name: 'x', generation: 2, annotations: { 'autoscaling.alpha.kubernetes.io/conditions': '{not json' } }, ...patch };
    const result: HealthResult = assessHealth(obj);
    expect(STATUSES).toContain(result.status);
    expect(result.message).not.toBe('');
  });
});

describe('assessGone: after a deletion', () => {
  const pod = fixture('pod/running-ready');
  it.each<[label: string, obj: KubeObject | undefined, opts: { uid?: string }, expected: HealthResult]>([
    ['not found', undefined, {}, { status: 'healthy', message: 'deleted' }],
    ['still there, deletion not started', pod, { uid: pod.metadata.uid ?? '' }, { status: 'progressing', message: 'still exists: the API server has not started deleting it' }],
    [
      'being deleted, waiting for finalizers',
      { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-03-14T10:00:00Z', finalizers: ['kubernetes.io/pvc-protection'] } },
      {},
      { status: 'progressing', message: 'being deleted; waiting for finalizers: kubernetes.io/pvc-protection' },
    ],
    ['recreated under the same name (new uid)', pod, { uid: '00000000-0000-4000-8000-000000000000' }, { status: 'healthy', message: 'deleted (an object with the same name but a new uid exists now)' }],
    [
      'a terminating namespace says what remains',
      fixture('namespace/terminating'),
      {},
      {
        status: 'progressing',
        message:
          'being deleted; Some resources are remaining: persistentvolumeclaims. has 1 resource instances; Some content in the namespace has finalizers remaining: kubernetes.io/pvc-protection in 1 resource instances',
      },
    ],
  ])('%s', (_label, obj, opts, expected) => {
    expect(assessGone(obj, opts)).toEqual(expected);
  });
});

describe('wait timeouts: a table per kind, one global override', () => {
  it.each<[group: string, kind: string, waitFor: WaitFor, seconds: number]>([
    ['apps', 'Deployment', 'healthy', 300],
    ['apps', 'StatefulSet', 'healthy', 600],
    ['batch', 'Job', 'healthy', 600],
    ['apiextensions.k8s.io', 'CustomResourceDefinition', 'healthy', 60],
    ['', 'Namespace', 'gone', 600],
    ['', 'Service', 'healthy', 300],
    ['', 'ConfigMap', 'healthy', DEFAULT_WAIT.healthySeconds],
    ['example.com', 'Widget', 'gone', DEFAULT_WAIT.goneSeconds],
  ])('%s %s until %s: %i s', (group, kind, waitFor, seconds) => {
    expect(waitTimeoutSeconds({ group, kind }, waitFor)).toBe(seconds);
    expect(timeoutFor({ group, kind }, waitFor)).toBe(seconds * 1000);
  });

  it('the override replaces every per-kind value', () => {
    expect(waitTimeoutSeconds({ group: 'apps', kind: 'StatefulSet' }, 'healthy', { overrideSeconds: 30 })).toBe(30);
    expect(timeoutFor({ group: '', kind: 'Namespace' }, 'gone', { overrideSeconds: 45 })).toBe(45_000);
  });

  it('timeoutFor waits for health unless told otherwise', () => {
    expect(timeoutFor({ group: '', kind: 'Namespace' })).toBe(60_000);
  });

  it('lists each kind once, with positive timeouts', () => {
    const ids = WAIT_RULES.map((r) => `${r.group}/${r.kind}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of WAIT_RULES) expect(Math.min(r.healthySeconds, r.goneSeconds)).toBeGreaterThan(0);
  });
});
