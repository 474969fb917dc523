import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { effectiveSyncOptions, hasSyncOption, parseSyncOptions, SYNC_OPTION_TABLE, type ParseSyncOptionsContext } from './sync-options.js';

const onObject: ParseSyncOptionsContext = { where: 'object', field: 'annotation argocd.argoproj.io/sync-options', location: { file: 'apps/web/cm.yaml', line: 4 }, resource: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' } };
const onApp: ParseSyncOptionsContext = { where: 'app', field: 'spec.syncPolicy.syncOptions', location: { file: 'apps/web.yaml', line: 1 } };
const compare: ParseSyncOptionsContext = { ...onObject, annotation: 'compare-options', field: 'annotation argocd.argoproj.io/compare-options' };

/** [list, where, options, diagnostics (file:line: severity: message)] */
const cases: [string, string | readonly string[], ParseSyncOptionsContext, Record<string, string>, string[]][] = [
  ['empty annotation', '', onObject, {}, []],
  ['one option', 'Prune=false', onObject, { Prune: 'false' }, []],
  ['a comma list, spaces trimmed, empty items skipped', ' Prune=false , ServerSideApply=true,,Validate=false ', onObject, { Prune: 'false', ServerSideApply: 'true', Validate: 'false' }, []],
  ['confirm', 'Prune=confirm,Delete=confirm', onObject, { Prune: 'confirm', Delete: 'confirm' }, []],
  ['replace and force', 'Force=true,Replace=true', onObject, { Force: 'true', Replace: 'true' }, []],
  [
    'a misspelled option',
    'Prnue=false',
    onObject,
    {},
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: unknown option "Prnue=false" (did you mean "Prune=false"?): Argo CD compares options exactly, so it does nothing (ConfigMap shop/web)'],
  ],
  [
    'another casing',
    'prune=False',
    onObject,
    {},
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: unknown option "prune=False" (did you mean "Prune=false"?): Argo CD compares options exactly, so it does nothing (ConfigMap shop/web)'],
  ],
  [
    'a misspelled value',
    'Prune=flase',
    onObject,
    {},
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: unknown option "Prune=flase" (did you mean "Prune=false"?): Argo CD compares options exactly, so it does nothing (ConfigMap shop/web)'],
  ],
  [
    'a value Argo CD does not know',
    'Prune=true',
    onObject,
    {},
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: "Prune=true" is not a value Argo CD knows for Prune (expected "Prune=false" or "Prune=confirm"), so it does nothing (ConfigMap shop/web)'],
  ],
  [
    'an unknown option',
    'Turbo=true',
    onObject,
    {},
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: unknown option "Turbo=true", which Argo CD does not know, so it does nothing (ConfigMap shop/web)'],
  ],
  [
    'a compare option in the sync options',
    'IgnoreExtraneous',
    onObject,
    {},
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: unknown option "IgnoreExtraneous", which Argo CD does not know; it belongs in the annotation argocd.argoproj.io/compare-options, so it does nothing (ConfigMap shop/web)'],
  ],
  [
    'recognised, not honoured',
    'ServerSideApply=false',
    onObject,
    { ServerSideApply: 'false' },
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: ServerSideApply=false is not honoured by Slipway: Slipway always applies server-side: its plans are server-side dry-runs, and apply sends exactly what was dry-run (ConfigMap shop/web)'],
  ],
  [
    'an Application option on an object',
    'CreateNamespace=true,PrunePropagationPolicy=orphan',
    onObject,
    {},
    [
      'apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: CreateNamespace=true is an Application option (spec.syncPolicy.syncOptions); on an object Argo CD ignores it, and so does Slipway (ConfigMap shop/web)',
      'apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: PrunePropagationPolicy=orphan is an Application option (spec.syncPolicy.syncOptions); on an object Argo CD ignores it, and so does Slipway (ConfigMap shop/web)',
    ],
  ],
  ['Application options', ['CreateNamespace=true', 'PrunePropagationPolicy=foreground', 'PruneLast=true', 'ApplyOutOfSyncOnly=true'], onApp, { CreateNamespace: 'true', PrunePropagationPolicy: 'foreground', PruneLast: 'true', ApplyOutOfSyncOnly: 'true' }, []],
  [
    'an object option in an Application',
    ['Force=true'],
    onApp,
    {},
    ['apps/web.yaml:1: warning: spec.syncPolicy.syncOptions: Force=true is set per object (the annotation argocd.argoproj.io/sync-options); in an Application\'s syncOptions Argo CD ignores it, and so does Slipway'],
  ],
  [
    'several options in one list item',
    ['Prune=false,Validate=false', 'Validate=false'],
    onApp,
    { Validate: 'false' },
    ['apps/web.yaml:1: warning: spec.syncPolicy.syncOptions: "Prune=false,Validate=false" holds several options in one item; Argo CD reads one option per item, so it does nothing (give each its own item)'],
  ],
  [
    'not honoured in an Application',
    ['FailOnSharedResource=true', 'RespectIgnoreDifferences=true'],
    onApp,
    { FailOnSharedResource: 'true', RespectIgnoreDifferences: 'true' },
    [
      "apps/web.yaml:1: warning: spec.syncPolicy.syncOptions: FailOnSharedResource=true is not honoured by Slipway: Slipway does not fail on objects another app owns: the plan flags them (owned by another ApplySet) and apply moves them into this app's",
      'apps/web.yaml:1: warning: spec.syncPolicy.syncOptions: RespectIgnoreDifferences=true is not honoured by Slipway: apply sends the fields ignoreDifferences leaves out of the diff as Git has them (the diff hides them, server-side apply still sets them); to leave a field to the cluster, remove it from the manifest',
    ],
  ],
  [
    'the same option twice',
    'Prune=false,Prune=confirm',
    onObject,
    { Prune: 'confirm' },
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/sync-options: Prune=false and Prune=confirm are both given; the last one, Prune=confirm, counts (ConfigMap shop/web)'],
  ],
  ['compare options', 'IgnoreExtraneous, ServerSideDiff=true', compare, { IgnoreExtraneous: '', ServerSideDiff: 'true' }, []],
  [
    'a misspelled compare option',
    'IgnoreExtranous',
    compare,
    {},
    ['apps/web/cm.yaml:4: warning: annotation argocd.argoproj.io/compare-options: unknown option "IgnoreExtranous" (did you mean "IgnoreExtraneous"?): Argo CD compares options exactly, so it does nothing (ConfigMap shop/web)'],
  ],
];

describe('parseSyncOptions', () => {
  it.each(cases)('%s', (_name, input, ctx, options, diagnostics) => {
    const parsed = parseSyncOptions(input, ctx);
    expect(parsed.options).toEqual(options);
    expect(parsed.diagnostics.map(formatDiagnostic)).toEqual(diagnostics);
  });

  it('warns, naming the place, for every option of the table that Slipway does not honour, and for none it honours', () => {
    for (const row of SYNC_OPTION_TABLE) {
      const option = row.value === '' ? row.name : `${row.name}=${row.value}`;
      const ctx = row.annotation === 'compare-options' ? compare : row.scope === 'app' ? onApp : onObject;
      const parsed = parseSyncOptions(ctx === onApp ? [option] : option, ctx);
      expect(parsed.options, option).toEqual({ [row.name]: row.value });
      expect(parsed.diagnostics.map((d) => d.code), option).toEqual(row.support === 'not-honoured' ? ['sync-option-not-honoured'] : []);
      expect(parsed.diagnostics.every((d) => d.location !== undefined), option).toBe(true);
    }
  });

  it('has one row per option value', () => {
    const ids = SYNC_OPTION_TABLE.map((r) => `${r.annotation}|${r.name}=${r.value}`);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('effectiveSyncOptions', () => {
  it.each([
    [{ Prune: 'false' }, { Prune: 'confirm' }, 'Prune=confirm', true],
    [{ Prune: 'false' }, {}, 'Prune=false', true],
    [{ Prune: 'false' }, { Validate: 'false' }, 'Validate=false', true],
    [undefined, undefined, 'Prune=false', false],
    [{}, { IgnoreExtraneous: '' }, 'IgnoreExtraneous', true],
  ])('app %j, object %j: %s is %s', (app, object, option, expected) => {
    expect(hasSyncOption(effectiveSyncOptions(app, object), option)).toBe(expected);
  });
});
