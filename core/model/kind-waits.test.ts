/** The app's wait per kind: its keys, which entry a kind takes, and the order annotation → kind → built-in rule. */
import { describe, expect, it } from 'vitest';
import { checkWaits, KIND_KEY_PATTERN, kindWaitOf, parseKindKey, resolveWaitMode, type KindWaits, type ResolvedWait } from './kind-waits.js';
import type { ResourceKey } from './resource.js';
import { WAIT_ANNOTATION } from './wait.js';

const service: ResourceKey = { group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'frontend-external' };
const deployment: ResourceKey = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'frontend' };
const knative: ResourceKey = { group: 'serving.knative.dev', version: 'v1', kind: 'Service', namespace: 'shop', name: 'hello' };
const job: ResourceKey = { group: 'batch', version: 'v1', kind: 'Job', namespace: 'shop', name: 'migrate' };

describe('resolveWaitMode: the annotation, then the app\'s wait for the kind, then healthy', () => {
  const waits: KindWaits = { Service: 'applied', 'Service.serving.knative.dev': 'strict', 'Deployment.apps': 'applied', Deployment: 'strict' };
  it.each<[string, ResourceKey, Record<string, unknown> | undefined, KindWaits | undefined, Omit<ResolvedWait, 'diagnostic'>]>([
    ['no option, no annotation: the built-in rule', service, undefined, undefined, { mode: 'healthy', from: 'default' }],
    ['the kind\'s entry', service, undefined, waits, { mode: 'applied', from: 'kind', rule: 'Service' }],
    ['other annotations do not count', service, { 'slipway.dev/wave': '1' }, waits, { mode: 'applied', from: 'kind', rule: 'Service' }],
    ['the annotation wins over the kind\'s entry', service, { [WAIT_ANNOTATION]: 'strict' }, waits, { mode: 'strict', from: 'annotation' }],
    ['an annotation saying the default still wins', service, { [WAIT_ANNOTATION]: 'healthy' }, waits, { mode: 'healthy', from: 'annotation' }],
    ['Kind.group wins over Kind', deployment, undefined, waits, { mode: 'applied', from: 'kind', rule: 'Deployment.apps' }],
    ['a bare Kind is that kind in every group', deployment, undefined, { Deployment: 'strict' }, { mode: 'strict', from: 'kind', rule: 'Deployment' }],
    ['the same kind in another group takes its own entry', knative, undefined, waits, { mode: 'strict', from: 'kind', rule: 'Service.serving.knative.dev' }],
    ['another group\'s entry is not this one\'s', deployment, undefined, { 'Deployment.extensions': 'applied' }, { mode: 'healthy', from: 'default' }],
    ['a Kind.group entry is not for the core kind', service, undefined, { 'Service.serving.knative.dev': 'applied' }, { mode: 'healthy', from: 'default' }],
    ['a kind the option does not name: the built-in rule', job, undefined, waits, { mode: 'healthy', from: 'default' }],
  ])('%s', (_case, key, annotations, option, expected) => {
    const resolved = resolveWaitMode(annotations, key, option);
    expect(resolved).toEqual(expected);
  });

  it('a bad annotation value falls back to the kind\'s entry, and the warning says so', () => {
    expect(resolveWaitMode({ [WAIT_ANNOTATION]: 'sometimes' }, service, waits)).toEqual({
      mode: 'applied',
      from: 'kind',
      rule: 'Service',
      diagnostic: {
        severity: 'warning',
        code: 'wait-invalid',
        message: 'annotation slipway.dev/wait: "sometimes" is not one of healthy, strict, applied; Service shop/frontend-external is waited for as "applied"',
        resource: service,
      },
    });
  });

  it('kindWaitOf never reads what the object prototype holds', () => {
    expect(kindWaitOf({}, { group: '', kind: 'constructor' })).toBeUndefined();
  });
});

describe('parseKindKey', () => {
  it.each<[string, { kind: string; group?: string }]>([
    ['Service', { kind: 'Service' }],
    ['Deployment.apps', { kind: 'Deployment', group: 'apps' }],
    ['Certificate.cert-manager.io', { kind: 'Certificate', group: 'cert-manager.io' }],
    ['HTTPRoute.gateway.networking.k8s.io', { kind: 'HTTPRoute', group: 'gateway.networking.k8s.io' }],
    ['Service.serving.knative.dev', { kind: 'Service', group: 'serving.knative.dev' }],
  ])('%s', (text, expected) => {
    expect(parseKindKey(text)).toEqual(expected);
    expect(KIND_KEY_PATTERN.test(text)).toBe(true);
  });

  it.each<[string, string]>([
    ['apps/Deployment', 'a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps), not apiVersion/Kind; did you mean "Deployment.apps"?'],
    ['apps/v1/Deployment', 'a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps), not apiVersion/Kind; did you mean "Deployment.apps"?'],
    ['v1/Service', 'a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps), not apiVersion/Kind; did you mean "Service"?'],
    ['deployment', '"deployment" is not a kind: a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps), starting with a capital letter'],
    ['Service.v1', '"v1" is not an API group: the core group has no name; did you mean "Service"?'],
    ['Service.core', '"core" is not an API group: the core group has no name; did you mean "Service"?'],
    ['Deployment.Apps', 'API groups are lowercase; did you mean "Deployment.apps"?'],
    ['Deployment.apps_v1', '"apps_v1" is not an API group (a DNS name, as apps or cert-manager.io): a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps)'],
    ['', 'an empty kind: a kind is written Kind or Kind.group, as a manifest names it (Service, Deployment.apps)'],
  ])('%j is no kind', (text, problem) => {
    expect(parseKindKey(text)).toEqual({ problem });
    expect(KIND_KEY_PATTERN.test(text)).toBe(false);
  });
});

describe('checkWaits (the plan\'s warnings)', () => {
  const source = { file: 'apps/shop/frontend.yaml', documentIndex: 1, line: 12 };
  const svc = (name: string, annotations?: Record<string, string>) => ({
    key: { ...service, name },
    manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(annotations && { annotations }) } },
    source,
  });

  it('warns once per object with a bad annotation value, at its file and line', () => {
    expect(checkWaits([svc('frontend-external', { [WAIT_ANNOTATION]: 'ready' }), svc('frontend', { [WAIT_ANNOTATION]: 'applied' }), svc('plain')], {})).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'wait-invalid', resource: { ...service, name: 'frontend-external' }, location: source }),
    ]);
  });

  it('names the option\'s kinds that no object of the app has, at the app\'s definition', () => {
    const at = { file: 'slipway.yaml', line: 4 };
    expect(checkWaits([svc('plain')], { waits: { Service: 'applied', Deploymnet: 'applied', 'Deployment.apps': 'strict' }, location: at })).toEqual([
      {
        severity: 'warning',
        code: 'wait-kind-unused',
        message: 'options.wait: "Deployment.apps", "Deploymnet" are the kinds of no object of the app, so these entries do nothing (its kinds: Service; hooks always run to the end)',
        location: at,
      },
    ]);
    expect(checkWaits([svc('plain')], { waits: { Service: 'applied' }, location: at })).toEqual([]);
  });
});
