import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/types.js';
import { KubeError } from '../kube/errors.js';
import { decidePrunes, desiredSyncOptions, revertDelete, sendLeniently, validationOf, withoutPath, withSentOptions } from './sync-options.js';
import type { Settled } from './settle.js';
import type { Change } from './types.js';
import { DEFAULT_APP_OPTIONS } from '../source/apps.js';
import { formatDiagnostic, type Diagnostic } from '../model/diagnostics.js';

const live = (name: string, annotations: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', resourceVersion: '7', uid: `uid-${name}`, annotations }, data: { a: '1' } }) as KubeObject;

const prune = (objects: KubeObject[], opts: { prune: boolean; app?: Record<string, string> }) =>
  decidePrunes(
    objects.map((o) => ({ live: o, reason: 'no longer in the revision' })),
    { prune: opts.prune, app: opts.app, ignore: [] },
  );
const brief = (c: Change): string => `${c.action} ${c.key.name} [${c.flags.join(',')}] ${(c.syncOptions ?? []).join(',')} | ${c.message ?? ''}`;

describe('decidePrunes', () => {
  it.each<[string, KubeObject[], { prune: boolean; app?: Record<string, string> }, string[], string[]]>([
    ['prune on: deleted', [live('a')], { prune: true }, ['delete a []  | no longer in the revision'], []],
    ['prune off: stays, for the caller to warn', [live('a')], { prune: false }, [], ['a']],
    [
      'Prune=false: kept, prune on or off',
      [live('a', { 'argocd.argoproj.io/sync-options': 'Prune=false' })],
      { prune: true },
      ['noop a [kept]  | not pruned: it asks to be kept (argocd.argoproj.io/sync-options: Prune=false); remove the option, or delete it yourself, to have it gone'],
      [],
    ],
    [
      "the app's Prune=false",
      [live('a')],
      { prune: true, app: { Prune: 'false' } },
      ["noop a [kept]  | not pruned: it asks to be kept (the app's syncOptions: Prune=false); remove the option, or delete it yourself, to have it gone"],
      [],
    ],
    ["the object's option wins over the app's", [live('a', { 'argocd.argoproj.io/sync-options': 'Prune=confirm' })], { prune: true, app: { Prune: 'false' } }, [
      'delete a [confirm] Prune=confirm | no longer in the revision; asks for a confirmation before it is deleted (argocd.argoproj.io/sync-options: Prune=confirm): apply with --confirm-prune',
    ], []],
    [
      'PruneLast and the propagation policy are written for apply',
      [live('a', { 'argocd.argoproj.io/sync-options': 'PruneLast=true' })],
      { prune: true, app: { PrunePropagationPolicy: 'orphan' } },
      ['delete a [] PruneLast=true,PrunePropagationPolicy=orphan | no longer in the revision'],
      [],
    ],
    [
      'IgnoreExtraneous with prune on: pruned, with a note',
      [live('a', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' })],
      { prune: true },
      ['delete a []  | no longer in the revision; it carries compare-options IgnoreExtraneous, which in Argo CD only keeps the app Synced and does not stop a prune (add Prune=false to keep it)'],
      [],
    ],
    ['IgnoreExtraneous with prune off: not left behind', [live('a', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }), live('b')], { prune: false }, [], ['b']],
    ['a misspelled option does nothing', [live('a', { 'argocd.argoproj.io/sync-options': 'Prune=flase' })], { prune: true }, ['delete a []  | no longer in the revision'], []],
    [
      "Helm's resource policy keep: kept, prune on or off",
      [live('a', { 'helm.sh/resource-policy': 'keep' })],
      { prune: false },
      ['noop a [kept]  | not pruned: it asks to be kept (helm.sh/resource-policy: keep, as Helm keeps it when a release goes); delete it yourself to have it gone'],
      [],
    ],
  ])('%s', (_name, objects, opts, changes, stay) => {
    const out = prune(objects, opts);
    expect(out.changes.map(brief)).toEqual(changes);
    expect(out.stay.map((o) => o.metadata.name)).toEqual(stay);
  });

  it('says which objects stay without counting as left behind', () => {
    const out = prune([live('a', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' })], { prune: false });
    expect(out.diagnostics.map(formatDiagnostic)).toEqual(['info: 1 object is no longer in the revision and stays (prune is off) without counting as left behind: it carries compare-options IgnoreExtraneous: ConfigMap shop/a']);
  });
});

describe('revertDelete', () => {
  it.each<[Record<string, string>, Record<string, string> | undefined, string]>([
    [{}, undefined, 'delete a []  | created by run r1'],
    [{ 'argocd.argoproj.io/sync-options': 'Delete=false' }, undefined, 'noop a [kept]  | created by run r1, but not deleted: it asks to be kept (argocd.argoproj.io/sync-options: Delete=false)'],
    [{}, { Delete: 'confirm' }, "delete a [confirm] Delete=confirm | created by run r1; asks for a confirmation before it is deleted (the app's syncOptions: Delete=confirm): apply with --confirm-prune"],
    [{ 'argocd.argoproj.io/sync-options': 'Prune=false' }, undefined, 'delete a []  | created by run r1'],
    [{ 'helm.sh/resource-policy': 'keep' }, undefined, 'noop a [kept]  | created by run r1, but not deleted: it asks to be kept (helm.sh/resource-policy: keep)'],
  ])('annotations %j, app %j', (annotations, app, expected) => {
    expect(brief(revertDelete(live('a', annotations), { message: 'created by run r1', app, ignore: [] }))).toBe(expected);
  });
});

describe('withSentOptions', () => {
  const change = (action: Change['action']): Change => ({ key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' }, action, flags: [], changedPaths: [] });
  it.each<[Change['action'], Record<string, string>, string[] | undefined]>([
    ['update', { Validate: 'false', Replace: 'true', Prune: 'false' }, ['Validate=false', 'Replace=true']],
    ['create', { ServerSideApply: 'true' }, undefined],
    ['replace', { Replace: 'true', Force: 'true' }, ['Replace=true', 'Force=true']],
    ['update', { Force: 'true' }, undefined],
    ['noop', { Validate: 'false' }, undefined],
    ['error', { Validate: 'false' }, undefined],
  ])('%s with %j', (action, options, expected) => {
    expect(withSentOptions(change(action), options).syncOptions).toEqual(expected);
  });

  it('turns field validation off with Validate=false only', () => {
    expect(validationOf({ Validate: 'false' })).toEqual({ fieldValidation: 'Ignore' });
    expect(validationOf({ Validate: 'true' })).toEqual({});
  });
});

describe('desiredSyncOptions', () => {
  it("reads each object's annotations over the app's options, warning at the object's file:line", () => {
    const settled = (name: string, annotations: Record<string, string>, line: number): Settled => {
      const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', annotations } };
      const key = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name };
      return { source: { key, manifest, source: { file: 'apps/shop/cms.yaml', line } }, key, manifest, afterCrd: false };
    };
    const diagnostics: Diagnostic[] = [];
    const options = desiredSyncOptions(
      [settled('a', { 'argocd.argoproj.io/sync-options': 'Replace=true, Validate=flase' }, 3), settled('b', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }, 12)],
      { options: { ...DEFAULT_APP_OPTIONS, syncOptions: { Validate: 'false' } } },
      diagnostics,
    );
    expect([...options.values()]).toEqual([{ Validate: 'false', Replace: 'true' }, { Validate: 'false', IgnoreExtraneous: '' }]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'apps/shop/cms.yaml:3: warning: annotation argocd.argoproj.io/sync-options: unknown option "Validate=flase" (did you mean "Validate=false"?): Argo CD compares options exactly, so it does nothing (ConfigMap shop/a)',
    ]);
  });
});

describe('withoutPath', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', bogus: 1, spec: { containers: [{ name: 'web', image: 'x', extra: true }, { name: 'side', image: 'y' }], ports: [{ containerPort: 80, protocol: 'TCP', odd: 1 }] } };
  it.each<[string, unknown]>([
    ['.bogus', { apiVersion: 'v1', kind: 'Pod', spec: pod.spec }],
    ['.spec.containers[name="web"].extra', { ...pod, spec: { ...pod.spec, containers: [{ name: 'web', image: 'x' }, { name: 'side', image: 'y' }] } }],
    ['.spec.ports[containerPort=80,protocol="TCP"].odd', { ...pod, spec: { ...pod.spec, ports: [{ containerPort: 80, protocol: 'TCP' }] } }],
    ['.spec.missing', undefined],
    ['.spec.containers[name="db"].extra', undefined],
    ['.spec.containers[0].extra', undefined],
  ])('%s', (path, expected) => {
    expect(withoutPath(pod, path)).toEqual(expected);
  });
});

describe('sendLeniently', () => {
  const refuse = (field: string): KubeError => new KubeError('invalid', `ConfigMap shop/a is invalid: ${field}: field not declared in schema`, { context: 'test', server: 'https://test' });
  it('with Validate=false, leaves out the fields the server does not know and says which', async () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, bogus: 1, data: { a: '1', b: '2' } };
    const sent: unknown[] = [];
    const result = await sendLeniently(
      async (m) => {
        sent.push(m);
        if ('bogus' in m) throw refuse('.bogus');
        return m;
      },
      manifest,
      { Validate: 'false' },
    );
    expect(result).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { a: '1', b: '2' } });
    expect(sent).toHaveLength(2);
    const change = withSentOptions({ key: { group: '', version: 'v1', kind: 'ConfigMap', name: 'a' }, action: 'create', flags: [], changedPaths: [] }, { Validate: 'false' }, manifest);
    expect(change.message).toBe("Validate=false: .bogus is not in the kind's schema, so it is left out (as the server drops unknown fields without validation)");
  });

  it('without Validate=false, or for another refusal, the error stands', async () => {
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, bogus: 1 };
    await expect(sendLeniently(() => Promise.reject(refuse('.bogus')), manifest, { context: 'test', server: 'https://test' })).rejects.toThrow('field not declared');
    await expect(sendLeniently(() => Promise.reject(new KubeError('invalid', 'data: Invalid value', { context: 'test', server: 'https://test' })), manifest, { Validate: 'false' })).rejects.toThrow('Invalid value');
    await expect(sendLeniently(() => Promise.reject(refuse('.spec.nothing')), manifest, { Validate: 'false' })).rejects.toThrow('.spec.nothing');
  });
});
