import { describe, expect, it } from 'vitest';
import { applySetId, describeOrigin, identityDigest, earlierParentForApp, groupKindString, judgeOwner, originAnnotations, parentAnnotations, parentForApp, parseGroupKinds, parseParentRef, parentRef, readOrigin, type AppIdentity, type RecordedOrigin } from './applyset.js';

describe('ApplySet', () => {
  it('computes the id exactly as kubectl does (base64url of sha256 of name.namespace.kind.group, no padding)', () => {
    // Reference value computed independently: printf 'parent.ns.Secret.' | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
    expect(applySetId({ group: '', kind: 'Secret', namespace: 'ns', name: 'parent' })).toBe('applyset-74IihH3O-en9x3u_KcfP6pot7HPn_ZOHwblGb9EMf5s-v1');
  });

  const ROOT = 'a'.repeat(40);
  const web: AppIdentity = { root: ROOT, selectedBy: 'name', app: 'web', path: 'apps/web' };

  it('names the parent after the app and a digest of its identity, in its namespace', () => {
    const parent = parentForApp({ name: 'web', namespace: 'shop', identity: web });
    expect(parent).toEqual({ group: '', kind: 'Secret', namespace: 'shop', name: expect.stringMatching(/^slipway-web-[0-9a-f]{10}$/) });
    // Stable: the same identity gives the same name in every clone and every run.
    expect(parentForApp({ name: 'web', namespace: 'shop', identity: { ...web } }).name).toBe(parent.name);
  });

  it.each<[string, AppIdentity]>([
    ['another repository', { ...web, root: 'b'.repeat(40) }],
    ['another app name', { ...web, app: 'web2' }],
    ['the folder app of the same path', { ...web, selectedBy: 'path' }],
  ])('gives %s another parent name', (_what, other) => {
    expect(parentForApp({ name: 'web', namespace: 'shop', identity: other }).name).not.toBe(parentForApp({ name: 'web', namespace: 'shop', identity: web }).name);
  });

  it('keeps a named app its parent when its folder moves, and a folder app when it is renamed', () => {
    expect(parentForApp({ name: 'web', namespace: 'shop', identity: { ...web, path: 'moved/web' } }).name).toBe(parentForApp({ name: 'web', namespace: 'shop', identity: web }).name);
    const folder: AppIdentity = { root: ROOT, selectedBy: 'path', app: 'web', path: 'apps/web' };
    expect(identityDigest({ ...folder, app: 'other' })).toBe(identityDigest(folder));
  });

  it('gives the same app in two namespaces two sets', () => {
    const a = parentForApp({ name: 'web', namespace: 'staging', identity: web });
    const b = parentForApp({ name: 'web', namespace: 'prod', identity: web });
    expect(applySetId(a)).not.toBe(applySetId(b));
  });

  it("names the parent Slipway 0.1 used: the app's name alone, in its namespace or default", () => {
    expect(earlierParentForApp({ name: 'web', namespace: 'shop' })).toEqual({ group: '', kind: 'Secret', namespace: 'shop', name: 'slipway-web' });
    expect(earlierParentForApp({ name: 'web' }).namespace).toBe('default');
  });

  it('writes and reads back a parent reference', () => {
    const parent = parentForApp({ name: 'web', namespace: 'shop', identity: web });
    expect(parseParentRef(parentRef(parent))).toEqual(parent);
    expect(() => parseParentRef('ConfigMap/x')).toThrow(/not an ApplySet parent/);
  });

  it('records the origin on the parent and reads it back', () => {
    const annotations = originAnnotations(web, { repository: '/src/shop', commit: ROOT, user: 'alice', at: '2026-12-04T10:00:00.000Z' });
    expect(readOrigin({ ...annotations, 'other/annotation': 'x' })).toEqual({ app: 'web', path: 'apps/web', selectedBy: 'name', root: ROOT, repository: '/src/shop', lastCommit: ROOT, lastUser: 'alice', lastAppliedAt: '2026-12-04T10:00:00.000Z' });
    expect(describeOrigin(readOrigin(annotations))).toBe(`app web (apps/web) of repository /src/shop last applied from ${ROOT.slice(0, 12)} by alice at 2026-12-04T10:00:00.000Z`);
  });

  const recorded = readOrigin(originAnnotations(web, { repository: '/src/shop', commit: 'c'.repeat(40), user: 'alice', at: 'now' }));
  it.each<[string, RecordedOrigin, boolean | undefined, 'this-app' | RegExp]>([
    ['the same app, commit known', recorded, true, 'this-app'],
    ['the same app, working-copy apply (no commit to look for)', recorded, undefined, 'this-app'],
    ['nothing recorded (a kubectl turn, an apply that stopped early)', {}, undefined, 'this-app'],
    ['another repository', { ...recorded, root: 'b'.repeat(40) }, true, /another repository \(first commit bbbbbbbbbbbb/],
    ['another app of this repository', { ...recorded, app: 'api' }, true, /app api of this repository/],
    ['a folder app of this repository', { ...recorded, selectedBy: 'path', path: 'apps/web' }, true, /the folder app apps\/web/],
    ['a copy of the repository (its last commit is not here)', recorded, false, /which this clone does not have/],
  ])('judges the owner: %s', (_what, origin, commitKnown, expected) => {
    const verdict = judgeOwner(web, origin, commitKnown);
    if (expected === 'this-app') expect(verdict).toEqual({ owner: 'this-app' });
    else expect(verdict).toMatchObject({ owner: 'other', why: expect.stringMatching(expected) });
  });

  it.each([
    [{ group: '', kind: 'ConfigMap' }, 'ConfigMap'],
    [{ group: 'apps', kind: 'Deployment' }, 'Deployment.apps'],
    [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }, 'CustomResourceDefinition.apiextensions.k8s.io'],
  ])('formats %j as %s and parses it back', (gk, s) => {
    expect(groupKindString(gk)).toBe(s);
    expect(parseGroupKinds(s)).toEqual([gk]);
  });

  it('lists sorted group-kinds and the namespaces other than the parent', () => {
    const parent = earlierParentForApp({ name: 'web', namespace: 'shop' });
    const members = [
      { group: 'apps', kind: 'Deployment', namespace: 'shop' },
      { group: '', kind: 'Namespace' },
      { group: '', kind: 'ConfigMap', namespace: 'other' },
      { group: 'apps', kind: 'Deployment', namespace: 'zeta' },
    ];
    expect(parentAnnotations(parent, members, 'kubectl/v1.35')).toEqual({
      'applyset.kubernetes.io/tooling': 'kubectl/v1.35',
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Deployment.apps,Namespace',
      'applyset.kubernetes.io/additional-namespaces': 'other,zeta',
    });
  });
});
