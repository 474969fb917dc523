/** What the workspace derives from a plan's inputs without the engine: the request, staleness, and a failed folder's sentence. */
import { describe, expect, it } from 'vitest';
import { folderFailure, planOptionsRequest, sameInputs, type PlanInputs } from './planInputs.js';

const inputs: PlanInputs = { repoId: 'repo-1', rev: 'refs/heads/main', app: { app: 'web' }, context: 'staging', namespace: '', prune: true, createNamespace: false, adopt: false, revLabel: 'main' };

describe('planOptionsRequest', () => {
  it.each<[string, Partial<PlanInputs>, ReturnType<typeof planOptionsRequest>]>([
    ['no namespace typed: the engine picks it', {}, { prune: true, createNamespace: false }],
    ['a typed namespace', { namespace: 'shop' }, { namespace: 'shop', prune: true, createNamespace: false }],
    ['adopting', { adopt: true }, { prune: true, createNamespace: false, adopt: true }],
  ])('%s', (_name, change, request) => expect(planOptionsRequest({ ...inputs, ...change })).toEqual(request));
});

describe('sameInputs', () => {
  it.each<[string, Partial<PlanInputs>, boolean]>([
    ['the same choice', {}, true],
    ['planned adopting: still the same choice', { adopt: true }, true],
    ['another label for the same revision', { revLabel: 'refs/heads/main' }, true],
    ['another repository', { repoId: 'repo-2' }, false],
    ['another revision', { rev: 'refs/tags/v1' }, false],
    ['the same app, another object', { app: { app: 'web' } }, true],
    ['another app', { app: { app: 'api' } }, false],
    ['a folder instead of the app', { app: { path: 'apps/web' } }, false],
    ['another context', { context: 'prod' }, false],
    ['a namespace typed', { namespace: 'shop' }, false],
    ['prune turned off', { prune: false }, false],
    ['create-namespace turned on', { createNamespace: true }, false],
  ])('%s', (_name, change, same) => expect(sameInputs(inputs, { ...inputs, ...change })).toBe(same));

  it('no plan yet is never the same', () => expect(sameInputs(inputs, null)).toBe(false));
});

describe('folderFailure', () => {
  const folder = (path: string): PlanInputs => ({ ...inputs, app: { path } });
  it.each<[string, string | null, PlanInputs | null, string | null]>([
    ['a missing folder', 'path-not-found', folder('apps/nope'), 'There is no folder apps/nope at main'],
    ['a folder that cannot be used', 'invalid-app-path', folder('apps/web'), 'The folder apps/web cannot be used'],
    ['the repository root', 'invalid-app-path', folder(''), 'The folder (the repository root) cannot be used'],
    ['a folder error for a named app', 'path-not-found', inputs, null],
    ['another error', 'cluster-unreachable', folder('apps/web'), null],
    ['an error code named like an object property', 'toString', folder('apps/web'), null],
    ['no error', null, folder('apps/web'), null],
    ['no plan asked', 'path-not-found', null, null],
  ])('%s', (_name, code, planned, sentence) => {
    expect(folderFailure(code === null ? null : { code, message: 'from the engine' }, planned)).toBe(sentence);
  });
});
