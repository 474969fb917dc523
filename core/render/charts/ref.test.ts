import { describe, expect, it } from 'vitest';
import { chartArchiveUrl, exactVersion, ociLocation, pickVersion, redactRepoUrl, repoKind, tagToVersion, versionToTag } from './ref.js';

describe('pickVersion', () => {
  const versions = ['0.9.0', '1.0.0', '1.2.0', '1.10.1', '2.0.0-rc.1', 'not-semver'];
  it.each([
    ['1.2.0', '1.2.0'],
    ['v1.2.0', '1.2.0'],
    ['^1.0', '1.10.1'],
    ['~1.2', '1.2.0'],
    ['1.x', '1.10.1'],
    ['', '1.10.1'],
    ['*', '1.10.1'],
    ['>=2.0.0-rc.0', '2.0.0-rc.1'],
    ['3.0.0', undefined],
    ['^3', undefined],
    ['not a range', undefined],
  ])('%j → %j', (wanted, picked) => {
    expect(pickVersion(versions, wanted)).toBe(picked);
  });
});

describe('exactVersion', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['^1.2.3', undefined],
    ['', undefined],
    ['1.2.3+build.1', '1.2.3+build.1'],
  ])('%j → %j', (t, v) => expect(exactVersion(t)).toBe(v));
});

describe('ociLocation', () => {
  it.each([
    ['oci://127.0.0.1:5000/charts', 'web', { registry: '127.0.0.1:5000', name: 'charts/web', scheme: 'http' }],
    ['oci://ghcr.io/org/charts/', 'web', { registry: 'ghcr.io', name: 'org/charts/web', scheme: 'https' }],
    ['registry.example.com', 'web', { registry: 'registry.example.com', name: 'web', scheme: 'https' }],
    ['oci://localhost:5000', 'web', { registry: 'localhost:5000', name: 'web', scheme: 'http' }],
  ])('%s + %s', (url, chart, want) => expect(ociLocation(url, chart)).toEqual(want));
});

describe('small rules', () => {
  it.each([
    ['https://charts.example.com', 'helm'],
    ['http://127.0.0.1:8080/charts', 'helm'],
    ['oci://ghcr.io/x', 'oci'],
    ['ghcr.io/x', 'oci'],
  ])('repoKind(%s) = %s', (url, kind) => expect(repoKind(url)).toBe(kind));
  it.each([
    ['https://h/charts', 'web-1.0.0.tgz', 'https://h/charts/web-1.0.0.tgz'],
    ['https://h/charts/', 'https://cdn/web.tgz', 'https://cdn/web.tgz'],
    ['https://h/charts', '/abs/web.tgz', 'https://h/abs/web.tgz'],
  ])('chartArchiveUrl(%s, %s)', (repo, url, want) => expect(chartArchiveUrl(repo, url)).toBe(want));
  it.each([
    ['https://user:pw@h/charts?token=x', 'https://h/charts'],
    ['oci://u@reg/x', 'oci://reg/x'],
    ['https://h/c', 'https://h/c'],
  ])('redactRepoUrl(%s)', (url, want) => expect(redactRepoUrl(url)).toBe(want));
  it('maps + to _ in OCI tags and back', () => {
    expect(versionToTag('1.0.0+b.1')).toBe('1.0.0_b.1');
    expect(tagToVersion('1.0.0_b.1')).toBe('1.0.0+b.1');
  });
});
