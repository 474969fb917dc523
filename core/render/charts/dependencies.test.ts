import { describe, expect, it } from 'vitest';
import { dependenciesOf, isVendored } from './dependencies.js';

describe('dependenciesOf', () => {
  it('reads name, version and repository', () => {
    expect(dependenciesOf('apiVersion: v2\nname: app\ndependencies:\n  - name: lib\n    version: ^1.0\n    repository: https://charts.example.com\n  - name: local\n    repository: file://../local\n  - version: 1\n')).toEqual([
      { name: 'lib', version: '^1.0', repository: 'https://charts.example.com' },
      { name: 'local', version: '', repository: 'file://../local' },
    ]);
  });
  it('is empty without dependencies', () => expect(dependenciesOf('apiVersion: v2\nname: app\n')).toEqual([]));
});

describe('isVendored', () => {
  const dep = { name: 'lib', version: '1.0.0', repository: 'https://x' };
  it.each([
    [['lib-1.0.0.tgz'], true],
    [['lib'], true],
    [['lib-extra-1.0.0.tgz'], false],
    [['library'], false],
    [[], false],
  ])('%j → %s', (entries, want) => expect(isVendored(dep, entries)).toBe(want));
});
