import { readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../model/diagnostics.js';
import { kubeConfigFor, listContexts, loadKubeconfig } from './kubeconfig.js';

const dir = fileURLToPath(new URL('./testdata/kubeconfig/', import.meta.url));
const f = (name: string): string => join(dir, name);
const list = (...names: string[]): string => names.map((n) => (n === '' ? '' : f(n))).join(delimiter);
const noHome = { HOME: f('no-such-home') };

function caught(fn: () => unknown): SlipwayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SlipwayError) return err;
    throw err;
  }
  throw new Error('expected a SlipwayError');
}

describe('loadKubeconfig: which files, merged how', () => {
  it.each([
    {
      name: 'KUBECONFIG a:b — the first file to define a name wins, and its current-context',
      opts: { env: { ...noHome, KUBECONFIG: list('a.yaml', 'b.yaml') } },
      source: 'env',
      files: ['a.yaml', 'b.yaml'],
      missing: [],
      current: 'a-ctx',
      contexts: ['a-ctx', 'b-ctx', 'oidc', 'shared'],
      shared: { namespace: 'a-ns', server: 'https://a.example:6443' },
    },
    {
      name: 'KUBECONFIG b:a — order decides',
      opts: { env: { ...noHome, KUBECONFIG: list('b.yaml', 'a.yaml') } },
      source: 'env',
      files: ['b.yaml', 'a.yaml'],
      missing: [],
      current: 'b-ctx',
      contexts: ['a-ctx', 'b-ctx', 'oidc', 'shared'],
      shared: { namespace: 'b-ns', server: 'https://b.example:6443' },
    },
    {
      name: 'current-context comes from the first file that sets one',
      opts: { env: { ...noHome, KUBECONFIG: list('c-no-current.yaml', 'b.yaml', 'a.yaml') } },
      source: 'env',
      files: ['c-no-current.yaml', 'b.yaml', 'a.yaml'],
      missing: [],
      current: 'b-ctx',
      contexts: ['a-ctx', 'b-ctx', 'c-ctx', 'oidc', 'shared'],
      shared: { namespace: 'b-ns', server: 'https://b.example:6443' },
    },
    {
      name: 'a missing file in KUBECONFIG is skipped, as kubectl does',
      opts: { env: { ...noHome, KUBECONFIG: list('missing.yaml', 'a.yaml') } },
      source: 'env',
      files: ['a.yaml'],
      missing: ['missing.yaml'],
      current: 'a-ctx',
      contexts: ['a-ctx', 'shared'],
      shared: { namespace: 'a-ns', server: 'https://a.example:6443' },
    },
    {
      name: 'empty entries and repeated files in KUBECONFIG are ignored',
      opts: { env: { ...noHome, KUBECONFIG: list('', 'b.yaml', '', 'b.yaml', 'empty.yaml') } },
      source: 'env',
      files: ['b.yaml', 'empty.yaml'],
      missing: [],
      current: 'b-ctx',
      contexts: ['b-ctx', 'oidc', 'shared'],
      shared: { namespace: 'b-ns', server: 'https://b.example:6443' },
    },
    {
      name: 'an explicit path wins over KUBECONFIG and is not merged',
      opts: { path: f('b.yaml'), env: { ...noHome, KUBECONFIG: list('a.yaml') } },
      source: 'explicit',
      files: ['b.yaml'],
      missing: [],
      current: 'b-ctx',
      contexts: ['b-ctx', 'oidc', 'shared'],
      shared: { namespace: 'b-ns', server: 'https://b.example:6443' },
    },
    {
      name: 'without KUBECONFIG, ~/.kube/config',
      opts: { env: { HOME: f('home') } },
      source: 'default',
      files: ['home/.kube/config'],
      missing: [],
      current: 'home-ctx',
      contexts: ['home-ctx'],
      shared: undefined,
    },
    {
      name: 'no ~/.kube/config: an empty configuration, not an error',
      opts: { env: noHome },
      source: 'default',
      files: [],
      missing: ['no-such-home/.kube/config'],
      current: undefined,
      contexts: [],
      shared: undefined,
    },
    {
      name: 'every KUBECONFIG file missing: empty',
      opts: { env: { ...noHome, KUBECONFIG: list('gone-1.yaml', 'gone-2.yaml') } },
      source: 'env',
      files: [],
      missing: ['gone-1.yaml', 'gone-2.yaml'],
      current: undefined,
      contexts: [],
      shared: undefined,
    },
  ])('$name', ({ opts, source, files, missing, current, contexts, shared }) => {
    const cfg = loadKubeconfig(opts);
    expect(cfg.source).toBe(source);
    expect(cfg.files).toEqual(files.map(f));
    expect(cfg.missing).toEqual(missing.map(f));
    expect(cfg.currentContext).toBe(current);
    expect(listContexts(cfg).map((c) => c.name)).toEqual(contexts);
    const sharedCtx = listContexts(cfg).find((c) => c.name === 'shared');
    expect(sharedCtx && { namespace: sharedCtx.namespace, server: sharedCtx.server }).toEqual(shared);
  });

  it('lists contexts with cluster, server, user, namespace (default "default") and the current one', () => {
    const cfg = loadKubeconfig({ env: { ...noHome, KUBECONFIG: list('a.yaml', 'b.yaml') } });
    expect(listContexts(cfg)).toEqual([
      { name: 'a-ctx', cluster: 'a-only', server: 'https://a-only.example:6443', user: 'a-user', namespace: 'default', current: true },
      { name: 'b-ctx', cluster: 'b-only', server: 'https://b-only.example', user: 'exec-user', namespace: 'b-team', current: false },
      { name: 'oidc', cluster: 'b-only', server: 'https://b-only.example', user: 'oidc-user', namespace: 'default', current: false },
      { name: 'shared', cluster: 'shared', server: 'https://a.example:6443', user: 'shared-user', namespace: 'a-ns', current: false },
    ]);
  });

  it('resolves relative file references against the file that holds them and reads token-file trimmed', () => {
    const cfg = loadKubeconfig({ env: { ...noHome, KUBECONFIG: list('a.yaml', 'b.yaml') } });
    expect(cfg.clusters.find((c) => c.name === 'shared')).toMatchObject({ caFile: f('certs/ca.crt'), skipTLSVerify: false });
    expect(cfg.clusters.find((c) => c.name === 'a-only')).toMatchObject({ skipTLSVerify: true });
    expect(cfg.users.find((u) => u.name === 'a-user')).toMatchObject({ token: 'token-from-file' });
    expect(cfg.users.find((u) => u.name === 'exec-user')?.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      command: f('bin/cred-plugin'),
      args: ['get-token', '--cluster', '0123'],
      env: [{ name: 'PLUGIN_MODE', value: '1' }],
      interactiveMode: 'Never',
      provideClusterInfo: true,
    });
  });

  it('reads names, tokens and namespaces that look like numbers as strings (kubectl refuses such a file)', () => {
    const cfg = loadKubeconfig({ path: f('numeric-strings.yaml'), env: noHome });
    expect(listContexts(cfg)).toEqual([{ name: '1.20', cluster: 'c', server: 'https://c.example', user: '0123', namespace: '007', current: false }]);
    expect(cfg.users).toMatchObject([{ name: '0123', token: '0123e4' }]);
  });

  it.each([
    { file: 'missing.yaml', code: 'kubeconfig-not-found', message: `kubeconfig ${f('missing.yaml')} does not exist`, line: undefined },
    { file: 'invalid-syntax.yaml', code: 'kubeconfig-invalid', message: `invalid kubeconfig ${f('invalid-syntax.yaml')}:6:1: All mapping items must start at the same column`, line: 6 },
    { file: 'duplicate-context.yaml', code: 'kubeconfig-invalid', message: `invalid kubeconfig ${f('duplicate-context.yaml')}:10:5: context "twice" is defined twice in this file`, line: 10 },
    { file: 'not-a-mapping.yaml', code: 'kubeconfig-invalid', message: `invalid kubeconfig ${f('not-a-mapping.yaml')}:1:1: expected a mapping with clusters, users and contexts`, line: 1 },
  ])('explicit $file → $code naming the file and line', ({ file, code, message, line }) => {
    const err = caught(() => loadKubeconfig({ path: f(file), env: noHome }));
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
    expect(err.location).toEqual(line === undefined ? { file: f(file) } : expect.objectContaining({ file: f(file), line }));
  });

  it('an invalid or unreadable file in KUBECONFIG is left out with a warning naming file and line: the other files stay usable', () => {
    // A directory stands for a file that cannot be read (tests may run as root, where chmod 000 does not stop reads).
    const cfg = loadKubeconfig({ env: { ...noHome, KUBECONFIG: list('invalid-syntax.yaml', 'a.yaml', 'certs') } });
    expect(listContexts(cfg).map((c) => c.name)).toEqual(listContexts(loadKubeconfig({ path: f('a.yaml'), env: noHome })).map((c) => c.name));
    expect(cfg.files).toEqual([f('a.yaml')]);
    expect(cfg.diagnostics.filter((d) => d.code === 'kubeconfig-file-skipped')).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining(`invalid kubeconfig ${f('invalid-syntax.yaml')}:6:1:`), location: expect.objectContaining({ file: f('invalid-syntax.yaml'), line: 6 }) }),
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining(`cannot read kubeconfig ${f('certs')}: EISDIR`), location: { file: f('certs') } }),
    ]);
    // A context that only a skipped file could have defined: the error says which files were not read.
    expect(caught(() => kubeConfigFor(cfg, 'nowhere')).message).toMatch(/context nowhere is not defined in the kubeconfig .*; not read: invalid kubeconfig .*invalid-syntax\.yaml:6:1/);
  });

  it('when no file of KUBECONFIG can be used, the first problem is the error', () => {
    const err = caught(() => loadKubeconfig({ env: { ...noHome, KUBECONFIG: list('missing.yaml', 'invalid-syntax.yaml') } }));
    expect(err.code).toBe('kubeconfig-invalid');
    expect(err.location?.file).toBe(f('invalid-syntax.yaml'));
  });

  it('never writes the files it reads', () => {
    const names = ['a.yaml', 'b.yaml', 'numeric-strings.yaml'];
    const before = names.map((n) => [readFileSync(f(n), 'utf8'), statSync(f(n)).mtimeMs]);
    const cfg = loadKubeconfig({ env: { ...noHome, KUBECONFIG: list(...names) } });
    for (const c of listContexts(cfg)) kubeConfigFor(cfg, c.name);
    expect(names.map((n) => [readFileSync(f(n), 'utf8'), statSync(f(n)).mtimeMs])).toEqual(before);
  });
});

describe('kubeConfigFor: selecting a context', () => {
  const cfg = loadKubeconfig({ env: { ...noHome, KUBECONFIG: list('a.yaml', 'b.yaml') } });

  it('returns a client-node KubeConfig with that context current, leaving the loaded configuration alone', () => {
    const kc = kubeConfigFor(cfg, 'shared');
    expect(kc.getCurrentContext()).toBe('shared');
    expect(kc.getCurrentCluster()).toMatchObject({ name: 'shared', server: 'https://a.example:6443', caFile: f('certs/ca.crt') });
    expect(kc.getCurrentUser()).toMatchObject({ name: 'shared-user', token: 'token-a' });
    expect(kc.getContexts().map((c) => c.name)).toEqual(['shared']);
    expect(cfg.currentContext).toBe('a-ctx');
  });

  it.each([
    ['b-ctx', 'exec', { apiVersion: 'client.authentication.k8s.io/v1', command: f('bin/cred-plugin') }],
    ['oidc', 'authProvider', { name: 'oidc', config: { 'client-id': 'slipway', 'idp-issuer-url': 'https://issuer.example', 'id-token': 'header.payload.signature' } }],
  ] as const)('keeps %s credentials (%s) for client-node to use', (context, field, expected) => {
    expect(kubeConfigFor(cfg, context).getCurrentUser()?.[field]).toMatchObject(expected);
  });

  it('gives a context without a user an anonymous user so the cluster TLS settings still apply', () => {
    const broken = loadKubeconfig({ path: f('broken-entries.yaml'), env: noHome });
    const kc = kubeConfigFor(broken, 'anonymous');
    expect(kc.getCurrentUser()).toEqual({ name: '' });
    expect(kc.getCurrentCluster()?.server).toBe('https://ok.example');
  });

  const broken = loadKubeconfig({ path: f('broken-entries.yaml'), env: noHome });
  const at = (line: number): string => `${f('broken-entries.yaml')}:${line}:5`;

  it('loads a file with unusable entries, reporting each with its line', () => {
    expect(listContexts(broken).map((c) => [c.name, c.server])).toEqual([
      ['anonymous', 'https://ok.example'],
      ['uses-lost-token', 'https://ok.example'],
      ['uses-no-server', ''],
      ['uses-undefined-cluster', ''],
    ]);
    expect(broken.diagnostics.map((d) => [d.code, d.message, d.location?.line])).toEqual([
      ['kubeconfig-entry-skipped', 'clusters[2] has no name and was skipped', 10],
      ['kubeconfig-entry-unusable', 'cluster "no-server": has no server URL', 4],
      ['kubeconfig-entry-unusable', `user "lost-token": has a token-file that cannot be read: ENOENT: no such file or directory, open '${f('tokens/does-not-exist')}'`, 13],
      ['kubeconfig-entry-unusable', 'context "no-cluster": names no cluster', 20],
    ]);
  });

  it.each([
    ['nope', 'unknown-context', `context nope is not defined in the kubeconfig (${f('broken-entries.yaml')})`],
    ['no-cluster', 'kubeconfig-invalid', `context no-cluster names no cluster (${at(20)})`],
    ['uses-no-server', 'kubeconfig-invalid', `context uses-no-server uses cluster no-server, which has no server URL (${at(4)})`],
    ['uses-undefined-cluster', 'kubeconfig-invalid', `context uses-undefined-cluster uses cluster nowhere, which is not defined in the kubeconfig (${at(23)})`],
    [
      'uses-lost-token',
      'kubeconfig-invalid',
      `context uses-lost-token uses user lost-token, which has a token-file that cannot be read: ENOENT: no such file or directory, open '${f('tokens/does-not-exist')}' (${at(13)})`,
    ],
  ])('selecting %s fails with %s', (context, code, message) => {
    const err = caught(() => kubeConfigFor(broken, context));
    expect([err.code, err.message]).toEqual([code, message]);
  });
});
