import { describe, expect, it } from 'vitest';
import type { IgnoreDifferencesRule } from '../source/apps.js';
import type { JsonObject } from './json.js';
import { checkIgnoreRules, globMatch, normalize, normalizePair, resolvePointer, ruleMatches } from './normalize.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const deployment = (): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '7',
    generation: 3,
    creationTimestamp: '2025-03-14T09:26:53Z',
    selfLink: '/apis/apps/v1/namespaces/shop/deployments/web',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    labels: {},
    managedFields: [
      { manager: 'slipway', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } } } } } },
      {
        manager: 'istio-sidecar-injector',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:annotations': { 'f:sidecar.istio.io/status': {} } },
          'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"istio-proxy"}': { '.': {}, 'f:image': {}, 'f:name': {} } }, 'f:volumes': { 'k:{"name":"istio-envoy"}': { '.': {} } } } } },
        },
      },
      { manager: 'finalizer-bot', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:finalizers': { 'v:"example.com/cleanup"': {} } } } },
    ],
    finalizers: ['kubernetes', 'example.com/cleanup'],
  },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1' },
          { name: 'istio-proxy', image: 'proxyv2:1.22' },
        ],
        volumes: [{ name: 'istio-envoy', emptyDir: {} }],
      },
    },
  },
  status: { replicas: 2 },
});

describe('normalize', () => {
  it('drops what the server writes by itself and the maps that leaves empty, without touching its input', () => {
    const input = deepFreeze(deployment());
    const out = normalize(input);
    expect(out.metadata).toEqual({ name: 'web', namespace: 'shop', finalizers: ['kubernetes', 'example.com/cleanup'] });
    expect(out.status).toBeUndefined();
    expect(out.spec).toEqual(input.spec);
    expect((input.metadata as JsonObject).uid).toBe('u-1');
  });

  it('keeps annotations and labels that are not empty', () => {
    const obj = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c', labels: { a: 'b' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'x' } } };
    expect(normalize(obj).metadata).toEqual({ name: 'c', labels: { a: 'b' }, annotations: { note: 'x' } });
  });

  it('managedFieldsManagers removes the fields those managers own: list items by key, set items by value', () => {
    const out = normalize(deployment(), { ignore: [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['istio-sidecar-injector', 'finalizer-bot'] }] });
    expect(out.spec).toEqual({ replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } });
    expect((out.metadata as JsonObject).finalizers).toEqual(['kubernetes']);
  });

  it('managedFieldsManagers uses the managedFields of `managedFieldsFrom` when given (the live object)', () => {
    const predicted = deployment();
    (predicted.metadata as JsonObject).managedFields = [];
    const rule: IgnoreDifferencesRule = { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['istio-sidecar-injector'] };
    expect(normalize(predicted, { ignore: [rule] }).spec).toEqual(normalize(predicted).spec);
    expect(normalize(predicted, { ignore: [rule], managedFieldsFrom: deployment() }).spec).toEqual({ replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } });
  });

  it('normalizePair takes managedFields from the live side for both', () => {
    const live = deployment();
    const predicted = deployment();
    (predicted.metadata as JsonObject).managedFields = [];
    const { before, after } = normalizePair({ live, predicted }, { ignore: [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['istio-sidecar-injector'] }] });
    expect(before).toEqual(after);
    expect(JSON.stringify(after)).not.toContain('istio');
  });

  it.each<[string, string[], unknown]>([
    ['a field', ['/spec/replicas'], { template: { spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'istio-proxy', image: 'proxyv2:1.22' }], volumes: [{ name: 'istio-envoy', emptyDir: {} }] } } }],
    ['a list item by index', ['/spec/template/spec/containers/1'], { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:1' }], volumes: [{ name: 'istio-envoy', emptyDir: {} }] } } }],
    ['pointers in turn, like a JSON patch', ['/spec/template/spec/containers/0', '/spec/template/spec/containers/0'], { replicas: 2, template: { spec: { volumes: [{ name: 'istio-envoy', emptyDir: {} }] } } }],
    ['nothing for a path that does not exist', ['/spec/paused', '/spec/template/spec/containers/7'], deployment().spec],
    ['the only item of a list, and the list with it', ['/spec/template/spec/volumes/0'], { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'istio-proxy', image: 'proxyv2:1.22' }] } } }],
  ])('jsonPointers removes %s', (_what, jsonPointers, spec) => {
    expect(normalize(deployment(), { ignore: [{ group: 'apps', kind: 'Deployment', jsonPointers }] }).spec).toEqual(spec);
  });

  it('decodes ~1 and ~0 in pointers and removes an annotation whose map is then left empty', () => {
    const obj = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', annotations: { 'example.com/hash~v1': 'abc' } } };
    expect(normalize(obj, { ignore: [{ kind: 'Service', jsonPointers: ['/metadata/annotations/example.com~1hash~0v1'] }] }).metadata).toEqual({ name: 's' });
  });

  it('applies only the rules that match the object', () => {
    const out = normalize(deployment(), { ignore: [{ group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }] });
    expect((out.spec as JsonObject).replicas).toBe(2);
  });
});

describe('ruleMatches (Argo CD semantics)', () => {
  const web = deployment();
  it.each<[IgnoreDifferencesRule, boolean]>([
    [{ group: 'apps', kind: 'Deployment' }, true],
    [{ kind: 'Deployment' }, false], // absent group = core group, as in Argo CD
    [{ group: '*', kind: 'Deployment' }, true],
    [{ group: 'apps', kind: '*' }, true],
    [{ group: 'app?', kind: 'Deploy*' }, true],
    [{ group: 'apps', kind: 'deployment' }, false],
    [{ group: 'apps', kind: 'Deployment', name: 'web', namespace: 'shop' }, true],
    [{ group: 'apps', kind: 'Deployment', name: 'api' }, false],
    [{ group: 'apps', kind: 'Deployment', namespace: 'other' }, false],
  ])('%j → %s', (rule, matches) => {
    expect(ruleMatches(rule, web)).toBe(matches);
  });

  it.each<[string, string, boolean]>([
    ['', '', true],
    ['', 'apps', false],
    ['*.k8s.io', 'apiextensions.k8s.io', true],
    ['*.k8s.io', 'apps', false],
    ['a.b', 'axb', false],
  ])('globMatch(%j, %j) → %s', (pattern, value, matches) => {
    expect(globMatch(pattern, value)).toBe(matches);
  });
});

describe('resolvePointer', () => {
  const obj = { a: { 'b/c': [{ d: 1 }, { d: 2 }], 'x~y': true } };
  it.each<[string, unknown]>([
    ['/a/b~1c/1/d', ['a', 'b/c', 1, 'd']],
    ['/a/x~0y', ['a', 'x~y']],
    ['/a/b~1c/2', undefined],
    ['/a/b~1c/01', undefined],
    ['/a/b~1c/-', undefined],
    ['a', undefined],
    ['', undefined],
  ])('%j → %j', (pointer, path) => {
    expect(resolvePointer(obj, pointer)).toEqual(path);
  });
});

describe('checkIgnoreRules', () => {
  it('reports jq expressions as not supported (their differences stay visible) and bad pointers as skipped', () => {
    expect(
      checkIgnoreRules([
        { group: 'apps', kind: 'Deployment', name: 'web', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "istio-proxy")'] },
        { kind: 'Service', jsonPointers: ['/spec/clusterIP', 'spec/x', '/a~2b', ''] },
        { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
      ]),
    ).toEqual([
      {
        severity: 'warning',
        code: 'ignore-rule-unsupported',
        message:
          'ignoreDifferences rule for Deployment.apps web: jqPathExpressions are not supported yet, ".spec.template.spec.containers[] | select(.name == "istio-proxy")" is not applied and its differences stay in the plan; use jsonPointers or managedFieldsManagers',
      },
      { severity: 'warning', code: 'ignore-rule-invalid', message: 'ignoreDifferences rule for Service: "spec/x" is not a JSON pointer (RFC 6901: "/spec/replicas", "~1" for "/", "~0" for "~"); it is skipped' },
      { severity: 'warning', code: 'ignore-rule-invalid', message: 'ignoreDifferences rule for Service: "/a~2b" is not a JSON pointer (RFC 6901: "/spec/replicas", "~1" for "/", "~0" for "~"); it is skipped' },
      { severity: 'warning', code: 'ignore-rule-invalid', message: 'ignoreDifferences rule for Service: "" points at the whole object; it is skipped' },
    ]);
  });
});
