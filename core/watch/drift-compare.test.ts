/**
 * Drift of one object, on objects as the API server returned them (testdata/drift/*.yaml, read
 * from the local cluster with --show-managed-fields): a Deployment and a Secret applied with the
 * field manager "slipway", then changed with `kubectl scale`, `kubectl patch`, `kubectl label` and
 * `kubectl annotate`. The applied side goes through maskSecretValues as the history stores it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { maskSecretValues } from '../model/secrets.js';
import type { IgnoreDifferencesRule } from '../source/apps.js';
import { compareDrift, type DriftComparison } from './drift-compare.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = new URL('./testdata/drift/', import.meta.url);
const fixture = (name: string): Obj => parse(readFileSync(new URL(`${name}.yaml`, dir), 'utf8')) as Obj;
/** The applied side as the history keeps it: Secret values masked. */
const applied = (name: string): Obj => maskSecretValues(fixture(name));

/** A copy of `obj` changed by `edit`, with a new resourceVersion (as any write gives it). */
function changed(obj: Obj, edit: (o: Obj) => void): Obj {
  const copy = structuredClone(obj);
  edit(copy);
  copy.metadata.resourceVersion = String(Number(copy.metadata.resourceVersion) + 1);
  return copy;
}

/** Moves a field of the live object to another manager's entry, as an Update by that manager does. */
function byManager(obj: Obj, manager: string, fieldsV1: Obj): Obj {
  obj.metadata.managedFields = [...obj.metadata.managedFields, { apiVersion: obj.apiVersion, fieldsType: 'FieldsV1', fieldsV1, manager, operation: 'Update' }];
  return obj;
}

const deployment = applied('deployment-applied');
const secret = applied('secret-applied');

describe('compareDrift', () => {
  it.each<[string, Obj, Obj | undefined, Partial<DriftComparison>, (readonly IgnoreDifferencesRule[])?]>([
    ['the live object as applied (same resourceVersion)', deployment, fixture('deployment-applied'), { status: 'in-sync', paths: [] }],
    ['written since, with nothing of Slipway\'s changed', deployment, changed(deployment, () => {}), { status: 'in-sync', paths: [] }],
    ['kubectl scale: a field Slipway owns changed (its ownership moved to kubectl)', deployment, fixture('deployment-scaled'), { status: 'drifted', paths: ['spec.replicas'] }],
    [
      'kubectl scale, patch of the image, label and annotate: only Slipway\'s fields count',
      deployment,
      fixture('deployment-patched'),
      { status: 'drifted', paths: ['spec.replicas', 'spec.template.spec.containers[name=web].image'] },
    ],
    [
      'a label another manager owns changed',
      deployment,
      changed(deployment, (o) => {
        byManager(o, 'kubectl-label', { 'f:metadata': { 'f:labels': { 'f:team': {} } } });
        o.metadata.labels.team = 'checkout';
      }),
      { status: 'in-sync' },
    ],
    [
      'the controller\'s revision annotation and defaults changed',
      deployment,
      changed(deployment, (o) => {
        o.metadata.annotations['deployment.kubernetes.io/revision'] = '7';
        o.spec.revisionHistoryLimit = 3;
      }),
      { status: 'in-sync' },
    ],
    [
      'status changed',
      deployment,
      changed(deployment, (o) => {
        o.status = { ...o.status, readyReplicas: 0, availableReplicas: 0, conditions: [] };
      }),
      { status: 'in-sync' },
    ],
    ['a label Slipway set removed', deployment, changed(deployment, (o) => delete o.metadata.labels['applyset.kubernetes.io/part-of']), { status: 'drifted', paths: ['metadata.labels["applyset.kubernetes.io/part-of"]'] }],
    [
      'a keyed list element (a port by containerPort and protocol) changed',
      deployment,
      changed(deployment, (o) => (o.spec.template.spec.containers[0].ports[0].name = 'web')),
      { status: 'drifted', paths: ['spec.template.spec.containers[name=web].ports[containerPort=8080,protocol=TCP].name'] },
    ],
    [
      'an env variable Slipway set removed',
      deployment,
      changed(deployment, (o) => (o.spec.template.spec.containers[0].env = [])),
      { status: 'drifted', paths: ['spec.template.spec.containers[name=web].env[name=LOG_LEVEL]'] },
    ],
    ['a finalizer Slipway set removed (a set element)', deployment, changed(deployment, (o) => delete o.metadata.finalizers), { status: 'drifted', paths: ['metadata.finalizers'] }],
    ['the selector (owned whole) changed', deployment, changed(deployment, (o) => (o.spec.selector.matchLabels.tier = 'x')), { status: 'drifted', paths: ['spec.selector'] }],
    ['the object deleted', deployment, undefined, { status: 'deleted', paths: [] }],
    ['the object being deleted', deployment, changed(deployment, (o) => (o.metadata.deletionTimestamp = '2026-12-05T13:10:00Z')), { status: 'deleted' }],
    [
      'ignoreDifferences by JSON pointer',
      deployment,
      fixture('deployment-scaled'),
      { status: 'in-sync' },
      [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    ],
    [
      'ignoreDifferences by the manager that owns the field now',
      deployment,
      fixture('deployment-patched'),
      { status: 'drifted', paths: ['spec.replicas'] },
      [{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kubectl-patch'] }],
    ],
    ['an ignore rule of another kind changes nothing', deployment, fixture('deployment-scaled'), { status: 'drifted', paths: ['spec.replicas'] }, [{ kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }]],
    [
      'no field of Slipway\'s recorded',
      changed(deployment, (o) => (o.metadata.managedFields = o.metadata.managedFields.filter((m: Obj) => m.manager !== 'slipway'))),
      fixture('deployment-scaled'),
      { status: 'unknown', paths: [] },
    ],
    ['Secret: a value changed with kubectl patch (path only)', secret, fixture('secret-patched'), { status: 'drifted', paths: ['data.password'] }],
    ['Secret: relabelled by someone else, values untouched', secret, withoutPatch(fixture('secret-labelled')), { status: 'in-sync' }],
    ['Secret: a value Slipway set removed', secret, changed(fixture('secret-applied'), (o) => delete o.data.user), { status: 'drifted', paths: ['data.user'] }],
    ['Secret: the type changed', secret, changed(fixture('secret-applied'), (o) => (o.type = 'kubernetes.io/basic-auth')), { status: 'drifted', paths: ['type'] }],
  ])('%s', (_what, appliedObj, live, expected, ignore) => {
    expect(compareDrift({ applied: appliedObj, live, ...(ignore && { ignore }) })).toMatchObject(expected);
  });

  it('compares Secret values as digests when both sides carry them, and says only the path', () => {
    const digest = (v: string): string => `hmac-sha256:${Buffer.from(v).toString('hex')}`;
    const withDigests = (o: Obj): Obj => ({ ...o, data: Object.fromEntries(Object.entries(o.data as Record<string, string>).map(([k, v]) => [k, digest(v)])) });
    const base = withDigests(fixture('secret-applied'));
    // Slipway still owns the value (an apply by someone with its field manager): only the digests tell.
    const live = changed(fixture('secret-applied'), (o) => (o.data.user = Buffer.from('root').toString('base64')));
    const result = compareDrift({ applied: base, live: withDigests(live) });
    expect(result).toEqual({ status: 'drifted', paths: ['data.user'] });
    expect(compareDrift({ applied: base, live: withDigests(changed(fixture('secret-applied'), () => {})) })).toEqual({ status: 'in-sync', paths: [] });
  });

  it('never carries a Secret value, old or new', () => {
    const text = JSON.stringify([compareDrift({ applied: secret, live: fixture('secret-patched') }), compareDrift({ applied: fixture('secret-applied'), live: fixture('secret-patched') })]);
    for (const value of ['c2VjcmV0LW9uZQ==', 'c2VjcmV0LXR3bw==', 'YWRtaW4=', 'secret-one', 'secret-two']) expect(text).not.toContain(value);
  });

  it('reads ownership of stringData as ownership of data', () => {
    const appliedWithStringData = changed(secret, (o) => {
      const slipway = o.metadata.managedFields.find((m: Obj) => m.manager === 'slipway');
      slipway.fieldsV1 = { 'f:stringData': { 'f:password': {} }, 'f:type': {} };
    });
    // As the API server keeps it after a data patch: Slipway still lists stringData.password, kubectl-patch has data.password.
    const live = changed(fixture('secret-patched'), (o) => {
      o.metadata.managedFields.find((m: Obj) => m.manager === 'slipway').fieldsV1 = { 'f:stringData': { 'f:password': {} }, 'f:type': {} };
    });
    expect(compareDrift({ applied: appliedWithStringData, live })).toEqual({ status: 'drifted', paths: ['data.password'] });
    const untouched = changed(fixture('secret-applied'), (o) => {
      o.metadata.managedFields.find((m: Obj) => m.manager === 'slipway').fieldsV1 = { 'f:stringData': { 'f:password': {} }, 'f:type': {} };
    });
    expect(compareDrift({ applied: appliedWithStringData, live: untouched })).toEqual({ status: 'in-sync', paths: [] });
  });
});

/** The labelled Secret fixture without the patch before it: the password as applied, Slipway still its owner. */
function withoutPatch(o: Obj): Obj {
  const original = fixture('secret-applied');
  o.data.password = original.data.password;
  o.metadata.managedFields = [...original.metadata.managedFields, ...o.metadata.managedFields.filter((m: Obj) => m.manager === 'kubectl-label')];
  return o;
}
