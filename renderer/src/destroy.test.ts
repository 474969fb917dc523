/** What a plan destroys, where the user decides: the Apply button and the confirmation. */
import { describe, expect, it } from 'vitest';
import { applyButton, confirmWhat, deletesSentence } from './destroy.js';
import { change, plan, SHOP_PLAN } from './testing/fixtures.js';

const key = (kind: string, name: string, group = '') => ({ group, version: 'v1', kind, namespace: 'shop', name });
const NONE = plan([change('create', key('ConfigMap', 'a')), change('update', key('ConfigMap', 'b'))]);
const THREE = plan([change('delete', key('Secret', 'db')), change('delete', key('ConfigMap', 'config')), change('delete', key('Job', 'migrate', 'batch')), change('noop', key('Service', 'web'))]);
const REPLACE = plan([change('replace', key('StatefulSet', 'pg', 'apps'))]);
const MANY = plan(Array.from({ length: 10 }, (_, i) => change('delete', key('ConfigMap', `c${i}`))));

describe('what a plan destroys', () => {
  it.each<[string, ReturnType<typeof plan> | undefined, { label: string; danger: boolean }, string | null, string]>([
    ['no plan', undefined, { label: 'Apply…', danger: false }, null, ''],
    ['nothing deleted', NONE, { label: 'Apply…', danger: false }, null, 'to apply'],
    ['one delete among other changes', SHOP_PLAN, { label: 'Apply (destroys 1)', danger: true }, 'This plan deletes 1 object: Secret shop/old-token.', 'to delete 1 object'],
    ['three deletes', THREE, { label: 'Apply (destroys 3)', danger: true }, 'This plan deletes 3 objects: Secret shop/db, ConfigMap shop/config and Job shop/migrate.', 'to delete 3 objects'],
    ['a replace destroys one', REPLACE, { label: 'Apply (destroys 1)', danger: true }, 'This plan deletes 1 object: StatefulSet shop/pg (replaced).', 'to delete 1 object'],
    ['many: the first named, then how many more', MANY, { label: 'Apply (destroys 10)', danger: true }, 'This plan deletes 10 objects: ConfigMap shop/c0, ConfigMap shop/c1, ConfigMap shop/c2, ConfigMap shop/c3, ConfigMap shop/c4, ConfigMap shop/c5, ConfigMap shop/c6, ConfigMap shop/c7 and 2 more.', 'to delete 10 objects'],
  ])('%s', (_what, p, button, sentence, confirm) => {
    expect(applyButton(p)).toEqual(button);
    if (!p) return;
    expect(deletesSentence(p)).toBe(sentence);
    expect(confirmWhat(p)).toBe(confirm);
  });
});
