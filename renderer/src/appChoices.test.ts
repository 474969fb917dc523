import { describe, expect, it } from 'vitest';
import type { AppList, AppSummary } from '../../core/api/contract.js';
import { appChoices, defaultChoice, type AppChoice } from './appChoices.js';
import type { AppChoiceSelection } from './selection.js';

const app = (name: string, path: string, more: Partial<AppSummary> = {}): AppSummary => ({ name, path, sourceType: 'auto', origin: { kind: 'argocd' }, prune: false, protected: false, ...more });
const list = (apps: AppSummary[], folders?: AppList['folders']): AppList => ({ apps, configured: false, diagnostics: [], ...(folders && { folders }) });
const NBSP = '\u00a0';

describe('appChoices', () => {
  it.each<[string, AppList, [string, string][]]>([
    ['apps without children, as before', list([app('web', 'apps/web'), app('root', '')]), [['app:web', 'web — apps/web'], ['app:root', 'root']]],
    [
      'an app of apps: children (and theirs) indented under their parent',
      list([app('apps', 'apps'), app('guestbook', 'guestbook', { parent: 'apps' }), app('nested', 'nested', { parent: 'apps' }), app('leaf', 'leaf', { parent: 'nested' }), app('other', 'other')]),
      [
        ['app:apps', 'apps — apps'],
        ['app:guestbook', '└ guestbook — guestbook'],
        ['app:nested', '└ nested — nested'],
        ['app:leaf', `${NBSP.repeat(3)}└ leaf — leaf`],
        ['app:other', 'other — other'],
      ],
    ],
    [
      'a repository without apps: the children of a folder under it',
      list([app('guestbook', 'guestbook', { parent: 'apps', parentFolder: 'apps' })], [
        { path: 'apps', sourceType: 'helm' },
        { path: 'guestbook', sourceType: 'directory' },
      ]),
      [
        ['path:apps', 'apps (helm folder)'],
        ['app:guestbook', '└ guestbook — guestbook'],
        ['path:guestbook', 'guestbook (directory folder)'],
      ],
    ],
  ])('%s', (_what, apps, expected) => {
    expect(appChoices(apps).map((c) => [c.selection.app !== undefined ? `app:${c.selection.app}` : `path:${c.selection.path}`, c.label])).toEqual(expected);
  });
});

describe('defaultChoice', () => {
  const choice = (selection: AppChoiceSelection): AppChoice => ({ selection, label: selection.app ?? selection.path });
  const many = [choice({ app: 'api' }), choice({ app: 'web' }), choice({ path: 'fixtures/a' })];
  it.each<[string, AppChoice[], AppChoiceSelection | null, AppChoiceSelection | null]>([
    ['the only app', [choice({ app: 'web' })], null, { app: 'web' }],
    ['the only folder, whatever was used before', [choice({ path: '' })], { app: 'gone' }, { path: '' }],
    ['several, none used before: ask', many, null, null],
    ['several: the one used last in this repository', many, { app: 'web' }, { app: 'web' }],
    ['several: a folder used last', many, { path: 'fixtures/a' }, { path: 'fixtures/a' }],
    ['the one used last is gone at this revision: ask', many, { app: 'old' }, null],
    ['nothing to choose', [], null, null],
  ])('%s', (_name, choices, lastUsed, picked) => {
    expect(defaultChoice(choices, lastUsed)).toEqual(picked);
  });
});
