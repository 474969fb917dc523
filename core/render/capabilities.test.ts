import { describe, expect, it } from 'vitest';
import type { ApiResource, Discovery, Target } from '../kube/types.js';
import { API_VERSIONS_ARG_MAX, helmCapabilities, helmCapabilityArgs, kubeVersionOf } from './capabilities.js';

const res = (group: string, version: string, kind: string, plural = `${kind.toLowerCase()}s`): ApiResource => ({ group, version, kind, plural, namespaced: true, verbs: ['get', 'list'], preferred: true });
const discovery = (resources: ApiResource[], unavailable: string[] = []): Discovery => ({ resources, unavailable, source: 'aggregated' });
const version = (gitVersion: string, major = '1', minor = '35'): Pick<Target, 'serverVersion'> => ({ serverVersion: { gitVersion, major, minor } });

describe('helm capability args from a target (discovery and server version)', () => {
  it.each<[string, Pick<Target, 'serverVersion'>, Discovery, string[]]>([
    [
      'core and named groups, each group version and each group/version/Kind, sorted, once',
      version('v1.35.4'),
      discovery([res('', 'v1', 'ConfigMap'), res('apps', 'v1', 'Deployment'), res('', 'v1', 'Pod'), res('apps', 'v1', 'StatefulSet'), res('apps', 'v1', 'Deployment', 'deployments')]),
      ['--kube-version', '1.35.4', '--api-versions', 'apps/v1,apps/v1/Deployment,apps/v1/StatefulSet,v1,v1/ConfigMap,v1/Pod'],
    ],
    [
      'every served version of a group, not only the preferred one',
      version('v1.35.4'),
      discovery([res('autoscaling', 'v2', 'HorizontalPodAutoscaler'), { ...res('autoscaling', 'v1', 'HorizontalPodAutoscaler'), preferred: false }]),
      ['--kube-version', '1.35.4', '--api-versions', 'autoscaling/v1,autoscaling/v1/HorizontalPodAutoscaler,autoscaling/v2,autoscaling/v2/HorizontalPodAutoscaler'],
    ],
    [
      'a CRD group',
      version('v1.30.0'),
      discovery([res('monitoring.coreos.com', 'v1', 'ServiceMonitor'), res('monitoring.coreos.com', 'v1', 'PrometheusRule')]),
      ['--kube-version', '1.30.0', '--api-versions', 'monitoring.coreos.com/v1,monitoring.coreos.com/v1/PrometheusRule,monitoring.coreos.com/v1/ServiceMonitor'],
    ],
    [
      'a group version the server could not describe counts, without kinds',
      version('v1.35.4'),
      discovery([res('', 'v1', 'Pod')], ['metrics.k8s.io/v1beta1']),
      ['--kube-version', '1.35.4', '--api-versions', 'metrics.k8s.io/v1beta1,v1,v1/Pod'],
    ],
    ['a vendor suffix is dropped, as Argo CD does (EKS)', version('v1.29.4-eks-036c24b', '1', '29+'), discovery([]), ['--kube-version', '1.29.4']],
    ['a build suffix is dropped (k3s)', version('v1.31.2+k3s1', '1', '31'), discovery([]), ['--kube-version', '1.31.2']],
    ['an unreadable gitVersion falls back on major and minor (GKE minor "31+")', version('unknown', '1', '31+'), discovery([]), ['--kube-version', '1.31']],
    ['no version at all: Helm keeps its default', version('', '', ''), discovery([res('', 'v1', 'Pod')]), ['--api-versions', 'v1,v1/Pod']],
  ])('%s', (_name, target, served, expected) => {
    expect(helmCapabilityArgs(helmCapabilities(target, served))).toEqual(expected);
  });

  it('without a target there are no arguments: Helm renders with its defaults', () => {
    expect(helmCapabilityArgs(undefined)).toEqual([]);
  });

  it.each([
    ['v1.35.4', '1.35.4'],
    ['1.35', '1.35'],
    ['v1.28.15-gke.1020000', '1.28.15'],
    ['v1', undefined], // one number is not a version (ParseGeneric); major and minor are empty here too
  ])('kubeVersionOf(%s) is %s', (gitVersion, expected) => {
    expect(kubeVersionOf({ gitVersion, major: '', minor: '' })).toBe(expected);
  });

  it('keeps each --api-versions value under the per-argument limit with a large cluster, in as few arguments as fit', () => {
    // ~100 group versions with 8 kinds each, as a cluster with many operators serves.
    const resources: ApiResource[] = [];
    for (let g = 0; g < 100; g++) for (let k = 0; k < 8; k++) resources.push(res(`group-${g}.operators.example.com`, 'v1beta1', `SomeRatherLongKindName${k}`));
    const capabilities = helmCapabilities(version('v1.35.4'), discovery(resources));
    expect(capabilities.apiVersions).toHaveLength(900);
    const one = helmCapabilityArgs(capabilities);
    expect(one.filter((a) => a === '--api-versions')).toHaveLength(1);
    expect(one.at(-1)!.length).toBeLessThan(API_VERSIONS_ARG_MAX);
    expect(one.at(-1)!.split(',')).toEqual(capabilities.apiVersions);
    const split = helmCapabilityArgs(capabilities, { maxArgLength: 10_000 });
    const values = split.filter((_, i) => split[i - 1] === '--api-versions');
    expect(values.length).toBeGreaterThan(1);
    for (const v of values) expect(v.length).toBeLessThanOrEqual(10_000);
    expect(values.join(',').split(',')).toEqual(capabilities.apiVersions);
  });
});
