import { describe, expect, it } from 'vitest';
import { applySetId, groupKindString, parentAnnotations, parentForApp, parseGroupKinds } from './applyset.js';

describe('ApplySet', () => {
  it('computes the id exactly as kubectl does (base64url of sha256 of name.namespace.kind.group, no padding)', () => {
    // Reference value computed independently: printf 'parent.ns.Secret.' | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
    expect(applySetId({ group: '', kind: 'Secret', namespace: 'ns', name: 'parent' })).toBe('applyset-74IihH3O-en9x3u_KcfP6pot7HPn_ZOHwblGb9EMf5s-v1');
  });

  it('names the parent after the app, in its namespace', () => {
    expect(parentForApp({ name: 'web', namespace: 'shop' })).toEqual({ group: '', kind: 'Secret', namespace: 'shop', name: 'slipway-web' });
    expect(parentForApp({ name: 'web' }).namespace).toBe('default');
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
    const parent = parentForApp({ name: 'web', namespace: 'shop' });
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
