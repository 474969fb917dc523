import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../model/diagnostics.js';
import type { SourceType } from './apps.js';
import { defaultApp, detectSourceType, isValidAppName, toAppName, DEFAULT_APP_OPTIONS, withOverrides, type App, type AppOverrides } from './apps.js';
import { normalizeRepoPath, resolveRepoPath } from './paths.js';

describe('defaultApp', () => {
  it.each([
    ['apps/web', {}, 'web', 'apps/web'],
    ['./apps/web/', {}, 'web', 'apps/web'],
    ['services/My_API.v2', {}, 'my-api-v2', 'services/My_API.v2'],
    ['', { repoName: 'Shop_Infra' }, 'shop-infra', ''],
    ['.', { repoName: 'infra' }, 'infra', ''],
    ['', {}, 'root', ''],
    ['', { repoName: '___' }, 'root', ''],
    ['apps/___', {}, 'app', 'apps/___'],
  ])('%j %j → name %s, path %j', (path, opts, name, normalized) => {
    expect(defaultApp(path, opts)).toEqual({
      name,
      path: normalized,
      source: { type: 'auto' },
      destination: {},
      options: { prune: false, createNamespace: false, ignoreDifferences: [], protected: false },
      origin: { kind: 'folder' },
    });
  });

  it.each([
    ['../other', 'app path "../other": leaves the repository (too many "..")'],
    ['/etc/kubernetes', 'app path "/etc/kubernetes": must be relative to the repository root, not absolute'],
  ])('refuses %j', (path, message) => {
    expect(() => defaultApp(path)).toThrow(new SlipwayError('invalid-app-path', message));
    expect(() => defaultApp(path)).toThrow(expect.objectContaining({ code: 'invalid-app-path' }));
  });
});

describe('detectSourceType', () => {
  it.each<[string, string[], string, SourceType]>([
    ['kustomization.yaml', ['apps/web/kustomization.yaml', 'apps/web/deploy.yaml'], 'apps/web', 'kustomize'],
    ['kustomization.yml', ['apps/web/kustomization.yml'], 'apps/web', 'kustomize'],
    ['Kustomization', ['apps/web/Kustomization'], 'apps/web', 'kustomize'],
    ['Chart.yaml', ['apps/web/Chart.yaml', 'apps/web/templates/deploy.yaml'], 'apps/web', 'helm'],
    ['both: kustomize wins, as in Argo CD', ['apps/web/Chart.yaml', 'apps/web/kustomization.yaml'], 'apps/web', 'kustomize'],
    ['plain manifests', ['apps/web/deploy.yaml', 'apps/web/svc.yaml'], 'apps/web', 'directory'],
    ['a kustomization in a subfolder only', ['apps/web/base/kustomization.yaml', 'apps/web/deploy.yaml'], 'apps/web', 'directory'],
    ['a chart of a sibling folder with a common prefix', ['apps/web-chart/Chart.yaml', 'apps/web/deploy.yaml'], 'apps/web', 'directory'],
    ['a chart in a parent folder', ['apps/Chart.yaml', 'apps/web/deploy.yaml'], 'apps/web', 'directory'],
    ['the repository root', ['kustomization.yaml', 'apps/web/Chart.yaml'], '', 'kustomize'],
    ['the root written "./"', ['Chart.yaml'], './', 'helm'],
    ['an app path with "./" and "/"', ['apps/web/Chart.yaml'], './apps/web/', 'helm'],
    ['lookalike names', ['apps/web/my-kustomization.yaml', 'apps/web/chart.yaml', 'apps/web/Chart.yml'], 'apps/web', 'directory'],
    ['no files', [], 'apps/web', 'directory'],
  ])('%s', (_what, files, appPath, expected) => {
    expect(detectSourceType(files, appPath)).toBe(expected);
  });
});

describe('app names', () => {
  it.each([
    ['web', 'web'],
    ['Web', 'web'],
    ['my_app.v2', 'my-app-v2'],
    ['--edge--', 'edge'],
    ['a  b', 'a-b'],
    ['x'.repeat(70), 'x'.repeat(63)],
    [`${'a'.repeat(62)}-b`, 'a'.repeat(62)],
    ['___', ''],
  ])('toAppName(%j) = %j', (label, name) => {
    expect(toAppName(label)).toBe(name);
  });

  it.each([
    ['web', true],
    ['0-ops', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['Web', false],
    ['-web', false],
    ['web-', false],
    ['web.app', false],
    ['', false],
  ])('isValidAppName(%j) = %s', (name, valid) => {
    expect(isValidAppName(name)).toBe(valid);
  });
});

describe('repository paths', () => {
  it.each([
    ['apps/web', { ok: true, path: 'apps/web' }],
    ['./apps/web/', { ok: true, path: 'apps/web' }],
    ['apps//web', { ok: true, path: 'apps/web' }],
    ['apps/./web/../api', { ok: true, path: 'apps/api' }],
    ['.', { ok: true, path: '' }],
    ['./', { ok: true, path: '' }],
    ['', { ok: true, path: '' }],
    ['apps/..', { ok: true, path: '' }],
    ['..', { ok: false, reason: 'leaves the repository (too many "..")' }],
    ['apps/../../x', { ok: false, reason: 'leaves the repository (too many "..")' }],
    ['/apps/web', { ok: false, reason: 'must be relative to the repository root, not absolute' }],
    ['C:/apps/web', { ok: false, reason: 'must be relative to the repository root, not absolute' }],
    ['apps\\web', { ok: false, reason: 'contains "\\": use "/" as the path separator' }],
  ])('normalizeRepoPath(%j)', (path, expected) => {
    expect(normalizeRepoPath(path)).toEqual(expected);
  });

  it.each([
    ['apps/web', 'values.yaml', { ok: true, path: 'apps/web/values.yaml' }],
    ['apps/web', './env/prod.yaml', { ok: true, path: 'apps/web/env/prod.yaml' }],
    ['apps/web', '../../shared/values.yaml', { ok: true, path: 'shared/values.yaml' }],
    ['', 'values.yaml', { ok: true, path: 'values.yaml' }],
    ['apps/web', '../../../values.yaml', { ok: false, reason: 'leaves the repository (too many "..")' }],
    ['apps/web', '/values.yaml', { ok: false, reason: 'must be relative to the repository root, not absolute' }],
  ])('resolveRepoPath(%j, %j)', (base, path, expected) => {
    expect(resolveRepoPath(base, path)).toEqual(expected);
  });
});

describe('withOverrides', () => {
  const app = { ...defaultApp('apps/web'), destination: { namespace: 'shop' }, options: { ...DEFAULT_APP_OPTIONS, prune: true } };
  it.each<[string, App, AppOverrides, string, Pick<App['destination'], 'namespace'> & Pick<App['options'], 'prune' | 'createNamespace'>]>([
    ["keeps the app's own namespace and options", app, {}, 'default', { namespace: 'shop', prune: true, createNamespace: false }],
    ["falls back to the context's namespace", defaultApp('apps/web'), {}, 'team-a', { namespace: 'team-a', prune: false, createNamespace: false }],
    ['takes -n over the destination', app, { namespace: 'canary' }, 'default', { namespace: 'canary', prune: true, createNamespace: false }],
    ['turns prune off and createNamespace on', app, { prune: false, createNamespace: true }, 'default', { namespace: 'shop', prune: false, createNamespace: true }],
  ])('%s', (_what, input, overrides, fallback, expected) => {
    const out = withOverrides(input, overrides, fallback);
    expect({ namespace: out.destination.namespace, prune: out.options.prune, createNamespace: out.options.createNamespace }).toEqual(expected);
  });
});
