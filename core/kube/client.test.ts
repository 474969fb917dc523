import { describe, expect, it } from 'vitest';
import { parseWarnings, resourcePath } from './client.js';
import type { ApiResource } from './types.js';

const deployments: ApiResource = { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, verbs: [], preferred: true };
const namespaces: ApiResource = { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, verbs: [], preferred: true };

describe('resourcePath', () => {
  it.each([
    [deployments, {}, '/apis/apps/v1/deployments'],
    [deployments, { namespace: 'shop' }, '/apis/apps/v1/namespaces/shop/deployments'],
    [deployments, { namespace: 'shop', name: 'web' }, '/apis/apps/v1/namespaces/shop/deployments/web'],
    [namespaces, { name: 'shop' }, '/api/v1/namespaces/shop'],
    [namespaces, { namespace: 'ignored', name: 'shop' }, '/api/v1/namespaces/shop'],
    [deployments, { namespace: 'a b', name: 'x/y' }, '/apis/apps/v1/namespaces/a%20b/deployments/x%2Fy'],
  ])('%o %o → %s', (resource, opts, path) => {
    expect(resourcePath(resource, opts)).toBe(path);
  });
});

describe('parseWarnings', () => {
  it.each([
    ['299 - "apps/v1beta1 Deployment is deprecated"', ['apps/v1beta1 Deployment is deprecated']],
    ['299 - "unknown field \\"spec.bogus\\"", 299 - "duplicate field \\"a, b\\""', ['unknown field "spec.bogus"', 'duplicate field "a, b"']],
    ['not in the usual form', ['not in the usual form']],
  ])('%s', (header, expected) => {
    expect(parseWarnings(header)).toEqual(expected);
  });
});
