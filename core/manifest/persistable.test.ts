import { describe, expect, it } from 'vitest';
import { parseManifests } from './manifests.js';
import { mayPersist } from './persistable.js';

const check = (text: string): boolean => {
  const bytes = Buffer.from(text);
  return mayPersist(bytes, parseManifests(bytes, { file: 'x.yaml' }));
};

describe('mayPersist', () => {
  it.each([
    ['a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n', true],
    ['a Role over secrets (lower case)', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]\n', true],
    ['a SealedSecret (ciphertext)', 'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: s}\nspec: {encryptedData: {k: AgBy}}\n', true],
    ['a Secret', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n', false],
    ['a Secret among other documents', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: aHVudGVyMg==}\n', false],
    ['a Secret in a List', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n  stringData: {k: v}\n', false],
    ['a Secret in JSON', '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"k": "v"}}', false],
    ['a Secret the parser refuses (no name)', 'apiVersion: v1\nkind: Secret\nmetadata: {labels: {a: b}}\nstringData: {password: hunter2}\n', false],
    ['a SOPS-encrypted ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: ENC[AES256_GCM,data:x]}\nsops:\n  mac: ENC[x]\n  version: 3.9.0\n', false],
    ['SOPS metadata in JSON', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "sops": {"version": "3.9.0"}}', false],
  ])('%s: %s', (_, text, expected) => {
    expect(check(text)).toBe(expected);
  });
});
