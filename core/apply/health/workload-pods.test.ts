/**
 * Which kinds have Pods to ask, and the label selector their Pods are listed by (as `kubectl get
 * pods -l` takes it), table-driven.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/types.js';
import { podsBy, selectorOf } from './workload-pods.js';

const withSelector = (selector: unknown): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { selector } });

describe('kinds with Pods', () => {
  it.each([
    ['apps', 'Deployment', 'selector'],
    ['apps', 'StatefulSet', 'selector'],
    ['apps', 'DaemonSet', 'selector'],
    ['apps', 'ReplicaSet', 'selector'],
    ['batch', 'Job', 'selector'],
    ['', 'Pod', 'itself'],
    ['batch', 'CronJob', undefined],
    ['', 'Service', undefined],
    ['example.com', 'Deployment', undefined],
  ])('%s/%s → %s', (group, kind, by) => {
    expect(podsBy({ group, kind })).toBe(by);
  });
});

describe('the label selector of a workload', () => {
  it.each<[string, unknown, string | undefined]>([
    ['matchLabels, sorted', { matchLabels: { 'app.kubernetes.io/name': 'web', app: 'shop' } }, 'app=shop,app.kubernetes.io/name=web'],
    [
      'matchExpressions of every operator',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'env', operator: 'NotIn', values: ['dev'] }, { key: 'canary', operator: 'DoesNotExist' }, { key: 'track', operator: 'Exists' }] },
      'app=web,tier in (a,b),env notin (dev),!canary,track',
    ],
    ['a Job\'s generated selector', { matchLabels: { 'batch.kubernetes.io/controller-uid': '7f3c-uid' } }, 'batch.kubernetes.io/controller-uid=7f3c-uid'],
    ['empty: would match every Pod of the namespace', {}, undefined],
    ['an operator it does not know', { matchExpressions: [{ key: 'x', operator: 'Gt', values: ['1'] }] }, undefined],
    ['none', undefined, undefined],
  ])('%s', (_case, selector, expected) => {
    expect(selectorOf(withSelector(selector))).toBe(expected);
  });
});
