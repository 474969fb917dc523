/** A plan's errors, first in the plan view: diagnostics, then refused changes; counted as the CLI counts them. */
import { describe, expect, it } from 'vitest';
import { errorCount, errorsText, planErrors } from './planErrors.js';
import { change, plan, SHOP_PLAN } from './testing/fixtures.js';

const cm = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' };
const YAML = { severity: 'error' as const, code: 'yaml-syntax', message: 'invalid YAML', location: { file: 'apps/web/bad.yaml', line: 7, column: 3 } };
const WARNING = { severity: 'warning' as const, code: 'applyset-owned-elsewhere', message: 'recorded by another app' };
const REFUSED = change('error', { ...cm, name: 'broken' }, { message: 'ConfigMap "broken" is invalid: data[a b]: Invalid value' });

describe('planErrors', () => {
  it.each<[string, ReturnType<typeof plan>, string[], number]>([
    ['a plan without errors', SHOP_PLAN, [], 0],
    ['a warning is no error', plan([change('update', cm)], { diagnostics: [WARNING] }), [], 0],
    ['a file that does not parse (no changes at all)', plan([], { diagnostics: [YAML] }), ['yaml-syntax: invalid YAML @ apps/web/bad.yaml:7'], 1],
    ['a change the server refused, at its source', plan([change('update', cm), REFUSED]), ['ConfigMap shop/broken: ConfigMap "broken" is invalid: data[a b]: Invalid value @ apps/web/configmap-broken.yaml:1'], 1],
    ['diagnostics first, then changes', plan([REFUSED], { diagnostics: [WARNING, YAML] }), ['yaml-syntax: invalid YAML @ apps/web/bad.yaml:7', 'ConfigMap shop/broken: ConfigMap "broken" is invalid: data[a b]: Invalid value @ apps/web/configmap-broken.yaml:1'], 2],
  ])('%s', (_what, p, expected, count) => {
    expect(planErrors(p).map((e) => `${e.what}: ${e.message}${e.location ? ` @ ${e.location.file}:${e.location.line}` : ''}`)).toEqual(expected);
    expect(errorCount(p)).toBe(count);
  });

  it.each([
    [1, '1 error'],
    [2, '2 errors'],
  ])('%i: %s', (n, text) => expect(errorsText(n)).toBe(text));
});
