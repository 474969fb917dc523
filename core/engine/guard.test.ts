import { describe, expect, it } from 'vitest';
import type { Change, Plan } from '../plan/types.js';
import { checkDeleteConfirmation, deletesToConfirm } from './guard.js';

const change = (name: string, action: Change['action'], flags: Change['flags'] = []): Change => ({ key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name }, action, flags, changedPaths: [] });
const planOf = (changes: Change[]): Plan => ({ changes }) as unknown as Plan;

describe('checkDeleteConfirmation', () => {
  const asking = planOf([change('a', 'delete', ['confirm']), change('b', 'delete'), change('c', 'noop', ['kept']), change('d', 'delete', ['dangerous', 'confirm'])]);

  it('lists the deletes that ask for a confirmation', () => {
    expect(deletesToConfirm(asking).map((c) => c.key.name)).toEqual(['a', 'd']);
  });

  it('refuses them, naming them and how to confirm, unless confirmed', () => {
    expect(() => checkDeleteConfirmation(asking, undefined, { how: '--confirm-prune' })).toThrow(
      '2 objects ask for a confirmation before they are deleted (Argo CD sync option Prune=confirm or Delete=confirm): ConfigMap shop/a, ConfigMap shop/d; nothing was applied',
    );
    expect(() => checkDeleteConfirmation(asking, false, { how: '--confirm-prune' })).toThrow(/nothing was applied/);
    expect(() => checkDeleteConfirmation(asking, true, { how: '--confirm-prune' })).not.toThrow();
  });

  it('lets a plan without such deletes through', () => {
    expect(() => checkDeleteConfirmation(planOf([change('b', 'delete'), change('c', 'noop', ['kept'])]), undefined, { how: '--confirm-prune' })).not.toThrow();
  });
});
