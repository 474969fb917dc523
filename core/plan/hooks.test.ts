import { describe, expect, it } from 'vitest';
import type { ApiResource, Discovery } from '../kube/types.js';
import type { DesiredObject } from '../model/desired.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import { APPLYSET_PART_OF_LABEL } from '../model/applyset.js';
import { compareHooks, hookId, splitHooks } from './hooks.js';
import type { PlannedHook } from './types.js';

const resource = (group: string, version: string, kind: string): ApiResource => ({ group, version, kind, plural: `${kind.toLowerCase()}s`, namespaced: true, verbs: [], preferred: true });
const discovery: Discovery = { resources: [resource('', 'v1', 'ConfigMap'), resource('batch', 'v1', 'Job'), resource('', 'v1', 'Pod')], unavailable: [], source: 'aggregated' };

let line = 0;
function object(kind: string, name: string, annotations: Record<string, string> = {}, o: { generateName?: boolean } = {}): DesiredObject {
  const [group, apiVersion] = kind === 'Job' ? ['batch', 'batch/v1'] : ['', 'v1'];
  return {
    key: { group, version: 'v1', kind, name },
    manifest: { apiVersion, kind, metadata: { ...(o.generateName ? { generateName: name } : { name }), annotations } } as DesiredObject['manifest'],
    source: { file: 'app/all.yaml', line: ++line },
    ...(o.generateName && { generateName: true as const }),
  };
}

const split = (objects: DesiredObject[]) => splitHooks({ objects }, { discovery, defaultNamespace: 'shop' });
const brief = (h: PlannedHook): string =>
  `${h.key.kind} ${h.key.namespace ?? ''}/${h.key.name}${h.generateName ? '…' : ''} ${h.skipped !== undefined ? `skipped: ${h.skipped}` : `${h.phases.join(',')} wave ${h.wave} ${h.deletePolicies.join(',')} (${h.from})`}`;

describe('splitHooks', () => {
  it.each<[string, DesiredObject, string]>([
    ['an Argo CD PreSync hook, BeforeHookCreation by default', object('Job', 'migrate', { 'argocd.argoproj.io/hook': 'PreSync' }), 'Job shop/migrate PreSync wave 0 BeforeHookCreation (argocd)'],
    ['several phases, in the order they run', object('Job', 'twice', { 'argocd.argoproj.io/hook': 'PostSync,PreSync' }), 'Job shop/twice PreSync,PostSync wave 0 BeforeHookCreation (argocd)'],
    ['generateName, a wave and delete policies', object('Job', 'seed-', { 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '2', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed' }, { generateName: true }), 'Job shop/seed-… Sync wave 2 HookSucceeded,HookFailed (argocd)'],
    ['Helm pre-install and pre-upgrade: PreSync; hook-weight: the wave; Helm policies mapped', object('Job', 'init', { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' }), 'Job shop/init PreSync wave -5 BeforeHookCreation,HookSucceeded (helm)'],
    ['Helm post-install: PostSync', object('Job', 'notify', { 'helm.sh/hook': 'post-install' }), 'Job shop/notify PostSync wave 0 BeforeHookCreation (helm)'],
    ["Argo CD's annotation wins over Helm's", object('Job', 'both', { 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' }), 'Job shop/both PostSync wave 0 BeforeHookCreation (argocd)'],
    ['Skip: listed, not run', object('ConfigMap', 'skipped', { 'argocd.argoproj.io/hook': 'Skip' }), 'ConfigMap shop/skipped skipped: argocd.argoproj.io/hook: Skip — not applied at all'],
    ['PreDelete: listed, not run', object('Job', 'cleanup', { 'argocd.argoproj.io/hook': 'PreDelete' }), 'Job shop/cleanup skipped: PreDelete: runs before Argo CD deletes the app; Slipway never deletes an app, so it is not run'],
    ['a Helm test: listed, not run', object('Pod', 'test', { 'helm.sh/hook': 'test' }), 'Pod shop/test skipped: test: a Helm test (helm test runs it, not an install): not applied'],
  ])('%s', (_case, o, expected) => {
    const out = split([object('ConfigMap', 'app'), o]);
    expect(out.objects.map((x) => x.key.name)).toEqual(['app']);
    expect(out.planned.map(brief)).toEqual([expected]);
    expect(out.diagnostics).toEqual([]);
  });

  it('settles hooks as apply sends them: namespaced, never labelled as ApplySet members, hashed', () => {
    const out = split([object('Job', 'migrate', { 'argocd.argoproj.io/hook': 'PreSync' })]);
    const manifest = out.hooks[0]!.settled.manifest as { metadata: { namespace?: string; labels?: Record<string, string> } };
    expect(manifest.metadata.namespace).toBe('shop');
    expect(manifest.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBeUndefined();
    expect(out.planned[0]!.desiredHash).toMatch(/^sha256:/);
    expect(out.planned[0]!.after).toContain('argocd.argoproj.io/hook: PreSync');
  });

  it('warns at file:line of an unknown phase, a misspelled delete policy, and sync options on a hook', () => {
    const out = split([
      object('Job', 'a', { 'argocd.argoproj.io/hook': 'PreSync,PreSynk' }),
      object('Job', 'b', { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceded' }),
      object('Job', 'c', { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/sync-options': 'Replace=true' }),
    ]);
    expect(out.diagnostics.map(formatDiagnostic).map((d) => d.replace(/:\d+:/, ':N:'))).toEqual([
      expect.stringMatching(/^app\/all.yaml:N:.*warning: Job.batch a: argocd.argoproj.io\/hook "PreSynk" is not a hook phase/),
      expect.stringMatching(/^app\/all.yaml:N:.*warning: Job.batch b: argocd.argoproj.io\/hook-delete-policy "HookSucceded" is not a delete policy/),
      expect.stringMatching(/^app\/all.yaml:N:.*warning: Job.batch c: argocd.argoproj.io\/sync-options is not read on a hook/),
    ]);
  });

  it('a hook and an object of the same name is an error', () => {
    const out = split([object('Job', 'same'), object('Job', 'same', { 'argocd.argoproj.io/hook': 'PreSync' })]);
    expect(out.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['error hook-is-object']);
  });

  it('orders hooks as they run (phase, wave, key), and tells a generateName prefix from a name', () => {
    const out = split([
      object('Job', 'post', { 'argocd.argoproj.io/hook': 'PostSync' }),
      object('Job', 'late', { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '1' }),
      object('Job', 'early', { 'argocd.argoproj.io/hook': 'PreSync' }),
    ]);
    expect(out.planned.map((h) => h.key.name)).toEqual(['early', 'late', 'post']);
    expect([...out.planned].sort(compareHooks)).toEqual(out.planned);
    const key = out.planned[0]!.key;
    expect(hookId({ key, generateName: true })).not.toBe(hookId({ key }));
  });
});
