/** The app picker's option values, read and written in one place: each row both ways. */
import { describe, expect, it } from 'vitest';
import { ANOTHER_FOLDER_VALUE, sameSelection, selectedAppName, selectedFolder, selectionFromValue, selectionName, selectionValue, type AppChoiceSelection } from './selection.js';

describe('selectionValue / selectionFromValue', () => {
  it.each<[string, AppChoiceSelection, string]>([
    ['a named app', { app: 'web' }, 'app:web'],
    ['a folder', { path: 'apps/web' }, 'path:apps/web'],
    ['the repository root', { path: '' }, 'path:'],
    ['an app name with ":"', { app: 'team:web' }, 'app:team:web'],
    ['an app name that looks like a value', { app: 'path:apps/web' }, 'app:path:apps/web'],
    ['a folder with ":"', { path: 'apps/web:v2' }, 'path:apps/web:v2'],
    ['a folder that looks like a value', { path: 'app:web' }, 'path:app:web'],
    ['a folder named like "Another folder…"', { path: 'folder:' }, 'path:folder:'],
  ])('%s: %j ↔ %j', (_name, selection, value) => {
    expect(selectionValue(selection)).toBe(value);
    expect(selectionFromValue(value)).toEqual(selection);
  });

  it.each([
    ['"Another folder…"', ANOTHER_FOLDER_VALUE],
    ['the empty placeholder', ''],
    ['no prefix', 'web'],
    ['a prefix in another case', 'App:web'],
  ])('%s is no selection', (_name, value) => expect(selectionFromValue(value)).toBeNull());
});

describe('sameSelection', () => {
  it.each<[string, AppChoiceSelection | null, AppChoiceSelection | null, boolean]>([
    ['the same app', { app: 'web' }, { app: 'web' }, true],
    ['another app', { app: 'web' }, { app: 'api' }, false],
    ['the same folder', { path: 'apps/web' }, { path: 'apps/web' }, true],
    ['the root and a folder', { path: '' }, { path: 'apps/web' }, false],
    ['an app and a folder of the same name', { app: 'web' }, { path: 'web' }, false],
    ['a folder and an app of the same name', { path: 'web' }, { app: 'web' }, false],
    ['nothing chosen twice', null, null, true],
    ['nothing chosen and an app', null, { app: 'web' }, false],
    ['a folder and nothing chosen', { path: '' }, null, false],
  ])('%s', (_name, a, b, same) => expect(sameSelection(a, b)).toBe(same));
});

describe('selectedAppName / selectedFolder / selectionName', () => {
  it.each<[AppChoiceSelection | null, string | null, string | null]>([
    [{ app: 'web' }, 'web', null],
    [{ path: 'apps/web' }, null, 'apps/web'],
    [{ path: '' }, null, ''],
    [null, null, null],
  ])('%j → app %j, folder %j', (selection, name, folder) => {
    expect(selectedAppName(selection)).toBe(name);
    expect(selectedFolder(selection)).toBe(folder);
    if (selection) expect(selectionName(selection)).toBe(name ?? folder);
  });
});
