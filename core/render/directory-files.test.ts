import { describe, expect, it } from 'vitest';
import { directoryFileRole, skippedFilesDiagnostic, type DirectoryFileRole } from './directory-files.js';

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
