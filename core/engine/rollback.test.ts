import { describe, expect, it } from 'vitest';
import type { Plan } from '../plan/types.js';
import { rollbackRequest } from './rollback.js';

const run = { commit: 'a'.repeat(40), app: { name: 'guestbook', path: 'guestbook' } };
const planWith = (app: Partial<Plan['inputs']['app']>): Plan => ({ inputs: { app: { name: 'guestbook', path: 'guestbook', sourceType: 'directory', ...app } } }) as Plan;

describe('rollbackRequest', () => {
  it.each<[string, Plan | undefined, ReturnType<typeof rollbackRequest>]>([
    ['a folder app: by path, in the namespace of the run', planWith({ selectedBy: 'path', namespace: 'guestbook' }), { rev: run.commit, selection: { path: 'guestbook' }, overrides: { namespace: 'guestbook' } }],
    ['a named app with prune and createNamespace', planWith({ selectedBy: 'name', namespace: 'shop', prune: true, createNamespace: true }), { rev: run.commit, selection: { app: 'guestbook' }, overrides: { namespace: 'shop', prune: true, createNamespace: true } }],
    ['a plan of Slipway 0.1 (no namespace recorded)', planWith({ selectedBy: 'name' }), { rev: run.commit, selection: { app: 'guestbook' }, overrides: {} }],
    ['a run whose plan history lost', undefined, { rev: run.commit, selection: { app: 'guestbook' }, overrides: {} }],
  ])('%s', (_what, earlier, expected) => {
    expect(rollbackRequest(run, earlier)).toEqual(expected);
  });
});
