import { describe, expect, it } from 'vitest';
import { directoryFileFilter, directoryFileRole, leftOutFilesDiagnostics, skippedFilesDiagnostic, type DirectoryFileOptions, type DirectoryFileRole, type LeftOutReason } from './directory-files.js';

describe('directoryFileRole', () => {
  it.each<[string, DirectoryFileRole]>([
    ['deploy.yaml', 'manifest'],
    ['sub/svc.YML', 'manifest'],
    ['values.json', 'manifest'],
    ['guestbook-ui.jsonnet', 'jsonnet'],
    ['params.libsonnet', 'library'],
    ['README.md', 'skipped'],
    ['notes.txt', 'skipped'],
    ['.github/ci.yml', 'ignored'],
    ['sub/.hidden.yaml', 'ignored'],
    ['slipway.yaml', 'ignored'],
  ])('%s → %s', (path, role) => {
    expect(directoryFileRole(path)).toBe(role);
  });
});

describe('skippedFilesDiagnostic', () => {
  it.each<[string, Parameters<typeof skippedFilesDiagnostic>[1], string | undefined]>([
    ['nothing skipped', { skipped: [], libraries: ['p.libsonnet'], jsonnet: 1 }, undefined],
    ['one file', { skipped: ['README.md'], libraries: [], jsonnet: 0 }, '1 file is not rendered: README.md (Slipway reads .yaml, .yml and .json files as manifests and evaluates .jsonnet files)'],
    [
      'libraries no .jsonnet file imports',
      { skipped: [], libraries: ['params.libsonnet'], jsonnet: 0 },
      '1 file is not rendered: params.libsonnet (.libsonnet files are Jsonnet libraries, read only when a .jsonnet file imports them)',
    ],
    [
      'many files, collapsed',
      { skipped: Array.from({ length: 10 }, (_, i) => `f${i}.txt`), libraries: [], jsonnet: 0 },
      '10 files are not rendered: f0.txt, f1.txt, f2.txt, f3.txt, f4.txt, f5.txt, f6.txt, f7.txt and 2 more (Slipway reads .yaml, .yml and .json files as manifests and evaluates .jsonnet files)',
    ],
  ])('%s', (_what, files, message) => {
    const d = skippedFilesDiagnostic('apps/gb', files);
    expect(d?.message).toBe(message);
    if (d) expect(d).toMatchObject({ severity: 'info', code: 'files-skipped', location: { file: 'apps/gb' } });
  });
});

describe('directoryFileFilter (Argo CD spec.source.directory)', () => {
  it.each<[string, DirectoryFileOptions, string, LeftOutReason | undefined]>([
    ['a Slipway folder app reads subfolders', {}, 'sub/a.yaml', undefined],
    ['recurse: false leaves subfolders out', { recurse: false }, 'sub/a.yaml', 'subfolder'],
    ['recurse: false, a file in the folder', { recurse: false }, 'a.yaml', undefined],
    ['recurse: false, even a README in a subfolder', { recurse: false }, 'sub/README.md', 'subfolder'],
    ['exclude: * crosses "/" (gobwas/glob without separators)', { exclude: '*.json' }, 'sub/x.json', 'excluded'],
    ['exclude: another extension stays', { exclude: '*.json' }, 'sub/x.yaml', undefined],
    ['include: a folder', { include: 'some-directory/*' }, 'some-directory/deep/a.yaml', undefined],
    ['include: not matched', { include: 'some-directory/*' }, 'other/a.yaml', 'not-included'],
    ['include: {a,b} alternates', { include: '{config.json,env-usw2/*}' }, 'config.json', undefined],
    ['exclude wins over include', { include: '*.yaml', exclude: 'test/*' }, 'test/a.yaml', 'excluded'],
    ['the globs see only manifests and .jsonnet files', { include: '*.yaml' }, 'README.md', undefined],
    ['a .jsonnet file is matched too', { include: '*.yaml' }, 'app.jsonnet', 'not-included'],
    ['dot files match * (no special case, as gobwas)', { exclude: '*' }, 'sub/.x.yaml', 'excluded'],
  ])('%s', (_what, options, path, reason) => {
    expect(directoryFileFilter(options)(path, directoryFileRole(path) === 'ignored' ? 'manifest' : directoryFileRole(path))).toBe(reason);
  });
});

describe('leftOutFilesDiagnostics', () => {
  it('names subfolders once each, and the files each glob left out, with the glob', () => {
    const leftOut = new Map<LeftOutReason, string[]>([
      ['subfolder', ['base/a.yaml', 'base/b.yaml', 'overlays/x/k.yaml']],
      ['excluded', ['x.json']],
      ['not-included', ['a.yaml', 'b.yaml']],
    ]);
    expect(leftOutFilesDiagnostics('apps/gb', leftOut, { recurse: false, include: 'c*', exclude: '*.json' }).map((d) => d.message)).toEqual([
      "2 subfolders are not rendered: base, overlays (directory.recurse is false, Argo CD's default)",
      '1 file is left out by directory.exclude "*.json": x.json',
      '2 files are not matched by directory.include "c*": a.yaml, b.yaml',
    ]);
  });
  it('says nothing when nothing was left out', () => {
    expect(leftOutFilesDiagnostics('', new Map(), {})).toEqual([]);
  });
});
