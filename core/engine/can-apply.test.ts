import { describe, expect, it } from 'vitest';
import type { Change, Plan, PlannedHook } from '../plan/types.js';
import { accessNeeded, describeMissing } from './can-apply.js';

const cm = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' };
const deploy = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const ns = { group: '', version: 'v1', kind: 'Namespace', name: 'shop' };
const change = (action: Change['action'], key: Change['key'], extra: Partial<Change> = {}): Change => ({ key, action, flags: [], changedPaths: [], ...extra });
const planOf = (changes: Change[], hooks: PlannedHook[] = []): Plan => ({ changes, hooks, inputs: { applySet: { parent: 'Secret/shop/slipway-web', id: 'x' } } }) as unknown as Plan;

/** The apply's own writes: its Lease and the ApplySet parent, in the parent's namespace. */
const RUN = ['create Lease shop', 'update Lease shop', 'create Secret shop', 'patch Secret shop'];
const lines = (p: Plan): string[] => accessNeeded(p).map((n) => `${n.verb} ${n.kind} ${n.namespace ?? '-'}`.replace(/ -$/, ''));

describe('accessNeeded', () => {
  it.each<[string, Plan, string[]]>([
    ['nothing to apply: nothing needed', planOf([change('noop', cm), change('error', deploy)]), []],
    ['an update patches', planOf([change('update', deploy)]), [...RUN, 'patch Deployment shop']],
    ['a create is a patch that creates', planOf([change('create', cm)]), [...RUN, 'create ConfigMap shop', 'patch ConfigMap shop']],
    ['a delete deletes', planOf([change('delete', cm)]), [...RUN, 'delete ConfigMap shop']],
    ['a replace deletes and creates', planOf([change('replace', deploy)]), [...RUN, 'create Deployment shop', 'delete Deployment shop', 'patch Deployment shop']],
    ['a cluster-scoped object: no namespace', planOf([change('create', ns)]), [...RUN, 'create Namespace', 'patch Namespace']],
    ['Replace=true sends the whole object', planOf([change('update', deploy, { syncOptions: ['Replace=true'] })]), [...RUN, 'update Deployment shop']],
    ['each verb once for several objects of a kind', planOf([change('update', cm), change('update', { ...cm, name: 'other' })]), [...RUN, 'patch ConfigMap shop']],
    [
      'a hook that runs is created and deleted; one not run needs nothing',
      planOf([change('update', cm)], [
        { key: { group: 'batch', version: 'v1', kind: 'Job', namespace: 'shop', name: 'migrate' }, phases: ['PreSync'], wave: 0, deletePolicies: ['BeforeHookCreation'], from: 'argocd' },
        { key: { group: '', version: 'v1', kind: 'Pod', namespace: 'shop', name: 'test' }, phases: [], wave: 0, deletePolicies: [], from: 'helm', skipped: 'a Helm test' },
      ]),
      [...RUN, 'create Job shop', 'delete Job shop', 'patch Job shop', 'patch ConfigMap shop'],
    ],
  ])('%s', (_what, plan, expected) => {
    expect(lines(plan).sort()).toEqual(expected.sort());
  });
});

describe('describeMissing', () => {
  it.each([
    [{ verb: 'patch', resource: 'deployments.apps', namespace: 'shop' }, 'patch deployments.apps in namespace shop'],
    [{ verb: 'create', resource: 'namespaces' }, 'create namespaces at cluster scope'],
  ])('%o', (missing, expected) => {
    expect(describeMissing(missing)).toBe(expected);
  });
});
