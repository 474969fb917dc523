import { describe, expect, it } from 'vitest';
import { MASK, maskSecretValues } from './secrets.js';

describe('maskSecretValues', () => {
  it('hides every data and stringData value of a Secret, keeps the keys, and does not touch the input', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}', keep: 'me' } },
      data: { password: 'aHVudGVyMg==' },
      stringData: { token: 'hunter2' },
    };
    const masked = maskSecretValues(secret);
    expect(masked).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': MASK, keep: 'me' } },
      data: { password: MASK },
      stringData: { token: MASK },
    });
    expect(JSON.stringify(masked)).not.toMatch(/hunter2|aHVudGVyMg/);
    expect(secret.data.password).toBe('aHVudGVyMg==');
  });

  it.each([
    ['a mistyped version', { apiVersion: 'V1' }],
    ['a version the cluster does not serve', { apiVersion: 'v2' }],
    ['no apiVersion', {}],
    ['a non-string apiVersion', { apiVersion: 1 }],
  ])('hides the values of a core Secret with %s (the cluster refuses it, but the values were written)', (_what, version) => {
    const secret = { ...version, kind: 'Secret', metadata: { name: 's' }, data: { password: 'aHVudGVyMg==' }, stringData: { token: 'hunter2' } };
    expect(maskSecretValues(secret)).toEqual({ ...version, kind: 'Secret', metadata: { name: 's' }, data: { password: MASK }, stringData: { token: MASK } });
  });

  it.each([
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }],
    [{ apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'not-core' }, data: { a: 'b' } }],
    ['not an object'],
  ])('leaves %j alone', (obj) => {
    expect(maskSecretValues(obj)).toBe(obj);
  });
});
