/** The small readers the rules stand on: image references, quantities, selectors, RBAC grants, config references. */
import { describe, expect, it } from 'vitest';
import { isFloating, majorOf, parseImage } from './images.js';
import { parseQuantity } from './quantity.js';
import { covered, grantsOf } from './rbac.js';
import { configUses } from './references.js';
import { selectorMatches } from './selectors.js';

describe('parseImage', () => {
  it.each<[string, string, string | undefined, boolean, number | undefined]>([
    ['nginx', 'nginx', undefined, true, undefined],
    ['nginx:latest', 'nginx', 'latest', true, undefined],
    ['nginx:1.27.3', 'nginx', '1.27.3', false, 1],
    ['localhost:5000/web', 'localhost:5000/web', undefined, true, undefined],
    ['localhost:5000/web:v2.1', 'localhost:5000/web', 'v2.1', false, 2],
    ['postgres:16.1-alpine', 'postgres', '16.1-alpine', false, 16],
    ['nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31', 'nginx', undefined, false, undefined],
    ['ghcr.io/acme/web:main', 'ghcr.io/acme/web', 'main', false, undefined],
  ])('%s', (image, repository, tag, floating, major) => {
    const ref = parseImage(image);
    expect([ref.repository, ref.tag, isFloating(ref), majorOf(ref)]).toEqual([repository, tag, floating, major]);
  });
});

describe('parseQuantity', () => {
  it.each<[string | number, number | undefined]>([
    ['10Gi', 10 * 2 ** 30],
    ['10240Mi', 10 * 2 ** 30],
    ['1G', 1e9],
    ['500m', 0.5],
    ['1.5e3', 1500],
    [3, 3],
    ['ten', undefined],
  ])('%s', (q, n) => expect(parseQuantity(q)).toBe(n));
});

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each<[unknown, boolean]>([
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{}, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, false],
  ])('%j', (selector, matches) => expect(selectorMatches(selector, labels)).toBe(matches));
});

describe('RBAC grants', () => {
  const role = (rules: unknown[]) => ({ rules });
  it.each<[string, unknown[], unknown[], boolean]>([
    ['the same verb', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }], true],
    ['a wildcard verb covers delete', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }], [{ apiGroups: [''], resources: ['pods'], verbs: ['delete'] }], true],
    ['named objects do not cover all', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], false],
    ['all covers named objects', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['get'] }], true],
    ['a URL prefix wildcard', [{ nonResourceURLs: ['/metrics*'], verbs: ['get'] }], [{ nonResourceURLs: ['/metrics/cadvisor'], verbs: ['get'] }], true],
    ['another group', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }], [{ apiGroups: ['extensions'], resources: ['deployments'], verbs: ['get'] }], false],
  ])('%s', (_name, had, wants, isCovered) => {
    const have = grantsOf(role(had));
    expect(grantsOf(role(wants)).every((g) => covered(g, have))).toBe(isCovered);
  });
});

describe('configUses', () => {
  it('finds env, envFrom, whole volumes, subPath mounts, projected sources and pull secrets, with the container that reads each', () => {
    const spec = {
      initContainers: [{ name: 'init', image: 'busybox', envFrom: [{ secretRef: { name: 'db', optional: true }, prefix: 'DB_' }] }],
      containers: [
        {
          name: 'web',
          image: 'nginx',
          env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }, { name: 'PLAIN', value: 'x' }],
          volumeMounts: [
            { name: 'files', mountPath: '/srv' },
            { name: 'files', mountPath: '/etc/app.conf', subPath: 'app.conf' },
            { name: 'all', mountPath: '/etc/all' },
          ],
        },
      ],
      volumes: [
        { name: 'files', configMap: { name: 'web-files' } },
        { name: 'all', projected: { sources: [{ secret: { name: 'tls' } }, { configMap: { name: 'ca' } }, { serviceAccountToken: { path: 'token' } }] } },
        { name: 'unmounted', configMap: { name: 'nobody' } },
      ],
      imagePullSecrets: [{ name: 'registry' }],
    };
    expect(configUses(spec).map((u) => `${u.kind} ${u.name} ${u.how} ${u.container ?? '-'} ${u.detail}${u.optional ? ' (optional)' : ''}`)).toEqual([
      'Secret db envFrom init envFrom (prefix DB_) (optional)',
      'ConfigMap settings env web env MODE',
      'ConfigMap web-files volume web volume files at /srv',
      'ConfigMap web-files subPath web subPath app.conf at /etc/app.conf',
      'Secret tls volume web volume all at /etc/all',
      'ConfigMap ca volume web volume all at /etc/all',
      'Secret registry imagePullSecret - imagePullSecrets',
    ]);
  });
});
