import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type GitRepository } from '../git/repository.js';
import type { Revision } from '../git/types.js';
import type { DesiredObject } from '../model/desired.js';
import type { HelmValuesLayer, SecretValuesRef } from '../source/apps.js';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';
import { mergeValuesLayers, type SecretValuesContext } from './secret-values.js';

const SECRETS = `apiVersion: v1
kind: Secret
metadata:
  name: plain
  namespace: podinfo
stringData:
  values.yaml: |
    database:
      password: canary-secret-values
      port: 5432
  broken: "a: [unclosed canary-broken"
  list: "- a"
---
apiVersion: v1
kind: Secret
metadata:
  name: encoded
  namespace: podinfo
data:
  values.yaml: ${Buffer.from('database:\n  user: app\n').toString('base64')}
  token: ${Buffer.from('t0ken').toString('base64')}
`;

/** An overlay's rendering (a secretGenerator's Secret), as the renderer hands it over. */
const generated: DesiredObject = {
  key: { group: '', version: 'v1', kind: 'Secret', namespace: 'podinfo', name: 'generated' },
  manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'generated', namespace: 'podinfo' }, data: { 'values.yaml': Buffer.from('replicaCount: 5\n').toString('base64') } },
  source: { file: 'apps/staging/kustomization.yaml', documentIndex: 0 },
};

const secret = (name: string, more: Partial<SecretValuesRef> = {}): HelmValuesLayer => ({
  secret: { field: 'spec.valuesFrom[0]', name, namespace: 'podinfo', key: 'values.yaml', optional: false, from: { file: 'apps/secrets.yaml' }, ...more },
});

describe('mergeValuesLayers', () => {
  let t: TestRepo;
  let repo: GitRepository;
  let ctx: SecretValuesContext;
  const rendered: string[] = [];

  beforeAll(async () => {
    t = createTestRepo({ prefix: 'slipway-secret-values-' });
    t.write({ 'apps/secrets.yaml': SECRETS });
    t.commit('Secrets of values');
    repo = await openRepository(t.dir);
    const revision: Revision = await repo.resolve('HEAD');
    ctx = {
      repo,
      revision,
      app: 'podinfo',
      renderFolder: (path) => {
        rendered.push(path);
        return Promise.resolve(path === 'apps/staging' ? [generated] : []);
      },
      sops: {},
    };
  });

  afterAll(async () => {
    await repo.close();
    t.cleanup();
  });

  it.each<[string, HelmValuesLayer[], Record<string, unknown>]>([
    ['stringData, merged under the values after it (Flux: later wins, maps merged)', [secret('plain'), { values: { database: { port: 6543 }, replicaCount: 1 } }], { database: { password: 'canary-secret-values', port: 6543 }, replicaCount: 1 }],
    ['data (base64), over the values before it', [{ values: { database: { user: 'x', host: 'db' } } }, secret('encoded')], { database: { user: 'app', host: 'db' } }],
    ['a key to a targetPath, as a string', [secret('encoded', { key: 'token', targetPath: 'auth.token' })], { auth: { token: 't0ken' } }],
    ['an optional Secret that is not there', [secret('nowhere', { optional: true }), { values: { a: 1 } }], { a: 1 }],
    ['an optional key that is not there', [secret('plain', { key: 'nope', optional: true })], {}],
    ["a Secret of an overlay's rendering (a secretGenerator)", [secret('generated', { from: { render: 'apps/staging' } })], { replicaCount: 5 }],
  ])('%s', async (_what, layers, expected) => {
    expect(await mergeValuesLayers(layers, ctx)).toEqual(expected);
  });

  it('renders the overlay that defines a Secret to find it', async () => {
    rendered.length = 0;
    await mergeValuesLayers([secret('generated', { from: { render: 'apps/staging' } })], ctx);
    expect(rendered).toEqual(['apps/staging']);
  });

  it('renders an overlay once for all the Secrets of it that the layers name', async () => {
    rendered.length = 0;
    expect(await mergeValuesLayers([secret('generated', { from: { render: 'apps/staging' } }), { values: { a: 1 } }, secret('generated', { from: { render: 'apps/staging' } })], ctx)).toEqual({ replicaCount: 5, a: 1 });
    expect(rendered).toEqual(['apps/staging']);
  });

  it.each<[string, HelmValuesLayer, RegExp]>([
    ['a Secret that is not there', secret('nowhere'), /^app podinfo: spec\.valuesFrom\[0\]: Secret podinfo\/nowhere \(apps\/secrets\.yaml\) is not there at this revision$/],
    ['a key that is not there', secret('plain', { key: 'nope' }), /^app podinfo: spec\.valuesFrom\[0\]: Secret podinfo\/plain \(apps\/secrets\.yaml\) has no key nope$/],
    ['a key that is not YAML: the line only, never the text', secret('plain', { key: 'broken' }), /^app podinfo: spec\.valuesFrom\[0\]: Secret podinfo\/plain \(apps\/secrets\.yaml\): key broken is not YAML \(line 1 of the value\)$/],
    ['a key that is no map of values', secret('plain', { key: 'list' }), /key list is not a map of values$/],
  ])('%s is an error naming it', async (_what, layer, message) => {
    const error = await mergeValuesLayers([layer], ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('canary');
  });
});
