import { describe, expect, it } from 'vitest';
import { classifySopsFailure, isSopsEncrypted, sopsError, sopsEnv, sopsRecipients, type SopsFailure } from './sops.js';

const AGE = 'age1v685v8aut0s5sg455x9gjv60fnlm07h5qavux92gmke6xtmytppqm60d8v';
const secret = (sops: unknown): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]' }, sops });

describe('isSopsEncrypted', () => {
  it.each([
    ['sops metadata with a MAC', secret({ mac: 'ENC[…]', version: '3.13.3' }), true],
    ['sops metadata with only a version', secret({ version: '3.13.3' }), true],
    ['a plain Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' } }, false],
    ['a "sops" field that is not a map', { kind: 'ConfigMap', sops: 'yes' }, false],
    ['a "sops" map without MAC or version', { kind: 'ConfigMap', sops: { note: 'x' } }, false],
    ['not an object', 'sops', false],
  ])('%s', (_, manifest, expected) => expect(isSopsEncrypted(manifest)).toBe(expected));
});

describe('sopsRecipients', () => {
  it.each([
    ['age', { age: [{ recipient: AGE, enc: '…' }] }, [`age ${AGE}`]],
    ['age and PGP', { age: [{ recipient: AGE }], pgp: [{ fp: 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4' }] }, [`age ${AGE}`, 'PGP FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4']],
    ['key groups', { key_groups: [{ age: [{ recipient: AGE }] }, { kms: [{ arn: 'arn:aws:kms:eu-west-1:1:key/k' }] }] }, [`age ${AGE}`, 'AWS KMS arn:aws:kms:eu-west-1:1:key/k']],
    ['the same recipient twice', { age: [{ recipient: AGE }], key_groups: [{ age: [{ recipient: AGE }] }] }, [`age ${AGE}`]],
    ['none', { mac: 'x' }, []],
  ])('%s', (_, sops, expected) => expect(sopsRecipients(secret(sops))).toEqual(expected));
});

describe('classifySopsFailure', () => {
  it.each<[string, number | null, string, SopsFailure]>([
    ['no key (exit 128)', 128, 'Failed to get the data key required to decrypt the SOPS file.', 'no-key'],
    ['MAC mismatch (exit 51)', 51, 'MAC mismatch. File has …', 'mac-mismatch'],
    ['MAC mismatch told only in words', 1, 'Error: MAC mismatch', 'mac-mismatch'],
    ['anything else', 1, 'Error unmarshalling input json', 'other'],
    ['killed', null, '', 'other'],
  ])('%s', (_, code, stderr, expected) => expect(classifySopsFailure(code, stderr)).toBe(expected));
});

describe('sopsError', () => {
  const object = { manifest: secret({ age: [{ recipient: AGE }], mac: 'x' }) as never, source: { file: 'apps/db/secret.yaml', documentIndex: 0, line: 1 } };
  it('a missing key names the file and the recipients', () => {
    const e = sopsError('no-key', object, '');
    expect([e.code, e.message]).toEqual(['sops-no-key', expect.stringContaining('apps/db/secret.yaml')]);
    expect(e.message).toContain(`age ${AGE}`);
    expect(e.hint).toMatch(/SOPS_AGE_KEY_FILE/);
  });
  it('a MAC mismatch names the file', () => {
    const e = sopsError('mac-mismatch', object, 'MAC mismatch. File has abc, computed def');
    expect([e.code, e.message]).toEqual(['sops-mac-mismatch', expect.stringContaining('apps/db/secret.yaml')]);
  });
});

describe('sopsEnv', () => {
  it.each<[string, NodeJS.ProcessEnv, string | undefined, string | undefined]>([
    ['the key file in settings wins', { SOPS_AGE_KEY_FILE: '/env/keys.txt' }, '/settings/keys.txt', '/settings/keys.txt'],
    ['the variable is kept', { SOPS_AGE_KEY_FILE: '/env/keys.txt' }, undefined, '/env/keys.txt'],
    ['no default file: nothing set', { HOME: '/nonexistent-home' }, undefined, undefined],
  ])('%s', (_, env, setting, expected) => expect(sopsEnv(env, setting).SOPS_AGE_KEY_FILE).toBe(expected));
});
