import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifests } from '../manifest/manifests.js';
import type { DesiredObject, Manifest } from '../model/desired.js';
import type { SlipwayError } from '../model/diagnostics.js';
import { keyOfObject } from '../model/resource.js';
import { loadAgeIdentities, type AgeIdentities } from './sops-age.js';
import { classifySopsFailure, decryptInProcess, decryptSopsObjects, isSopsEncrypted, sopsError, sopsEnv, sopsRecipients, type SopsFailure } from './sops.js';

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

/** Files encrypted by the real sops v3.13.3, with what `sops decrypt` made of each (test/cluster/gen-sops-fixtures.ts). */
const testdata = new URL('./testdata/sops/', import.meta.url);
interface FixtureCase {
  readonly name: string;
  readonly why: string;
  readonly file: string;
  readonly keys: string;
  readonly inProcess?: false;
  readonly decrypted?: string;
  readonly failure?: SopsFailure;
}
const fixtures = (JSON.parse(readFileSync(new URL('cases.json', testdata), 'utf8')) as { cases: FixtureCase[] }).cases;
const fixtureObject = (file: string): DesiredObject => {
  const parsed = parseManifests(readFileSync(new URL(file, testdata), 'utf8'), { file: `apps/sops/${file}` });
  expect(parsed.objects).toHaveLength(1);
  return parsed.objects[0]!;
};
const identitiesFrom = (keys: string): (() => Promise<AgeIdentities>) => {
  const ids = loadAgeIdentities({ HOME: '/nonexistent-home', SOPS_AGE_KEY_FILE: fileURLToPath(new URL(keys, testdata)) });
  return () => ids;
};
const ERROR_CODES: Readonly<Record<SopsFailure, string>> = { 'no-key': 'sops-no-key', 'mac-mismatch': 'sops-mac-mismatch', other: 'sops-failed' };

describe('decryptInProcess: the same result as `sops decrypt` for files the real sops encrypted', () => {
  it.each(fixtures.filter((c) => c.decrypted && c.inProcess !== false).map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const result = await decryptInProcess(fixtureObject(c.file), identitiesFrom(c.keys));
    if (result === 'binary') throw new Error(`${c.name} went to the binary`);
    const golden = JSON.parse(readFileSync(new URL(c.decrypted!, testdata), 'utf8')) as Manifest;
    // Equal values, and the same key order (hashes and diffs see the order).
    expect(result.manifest).toEqual(golden);
    expect(JSON.stringify(result.manifest)).toBe(JSON.stringify(golden));
    expect(result.key).toEqual(keyOfObject(golden));
    expect(JSON.stringify(result.manifest)).not.toContain('ENC[');
  });

  it.each(fixtures.filter((c) => c.failure).map((c) => [`${c.name}: ${c.failure}`, c] as const))('fails as sops fails: %s', async (_, c) => {
    const object = fixtureObject(c.file);
    const error = await decryptInProcess(object, identitiesFrom(c.keys)).then(
      () => undefined,
      (e: unknown) => e as SlipwayError,
    );
    expect(error?.code, c.why).toBe(ERROR_CODES[c.failure!]);
    expect(error?.message).toContain(`apps/sops/${c.file}`);
    if (c.failure === 'no-key') for (const r of sopsRecipients(object.manifest)) expect(error?.message).toContain(r);
  });

  it.each(fixtures.filter((c) => c.inProcess === false).map((c) => [c.name, c] as const))('hands %s to the binary', async (_, c) => {
    expect(await decryptInProcess(fixtureObject(c.file), identitiesFrom(c.keys))).toBe('binary');
  });
});

describe('decryptInProcess: which files go to the sops binary', () => {
  const base = fixtureObject('encrypted-regex.enc.yaml');
  const sops = base.manifest.sops as Record<string, unknown>;
  const withSops = (changes: Record<string, unknown>): DesiredObject => ({ ...base, manifest: { ...base.manifest, sops: { ...sops, ...changes } } });
  const age = sops.age as { recipient: string; enc: string }[];
  const otherAge = (fixtureObject('wrong-key.enc.yaml').manifest.sops as { age: unknown[] }).age;
  const PGP = [{ fp: 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4', enc: '-----BEGIN PGP MESSAGE-----', created_at: '2026-12-05T12:06:33Z' }];

  it.each<[string, DesiredObject, string, boolean]>([
    ['PGP only', withSops({ age: null, pgp: PGP }), 'age-key.txt', true],
    ['an age plugin recipient', withSops({ age: [{ ...age[0]!, recipient: 'age1yubikey1qwe9ju0w9kdz' }] }), 'age-key.txt', true],
    ['no identities here', base, 'missing.txt', true],
    ['age for someone else and PGP: PGP may open it', withSops({ age: otherAge, pgp: PGP }), 'age-key.txt', true],
    ['our key cannot open it, but a key source is only readable by sops', base, 'plugin-keys', true],
    ['age for someone else only: no key, without the binary', withSops({ age: otherAge }), 'age-key.txt', false],
  ])('%s', async (_, object, keys, binary) => {
    const ids =
      keys === 'plugin-keys'
        ? () => loadAgeIdentities({ HOME: '/nonexistent-home', SOPS_AGE_KEY: `${readFileSync(new URL('other-key.txt', testdata), 'utf8')}AGE-PLUGIN-YUBIKEY-1QQQQ\n`, SOPS_AGE_KEY_FILE: fileURLToPath(new URL('other-key.txt', testdata)) })
        : identitiesFrom(keys);
    const result = await decryptInProcess(object, ids).catch((e: SlipwayError) => e.code);
    expect(result).toBe(binary ? 'binary' : 'sops-no-key');
  });
});

describe('decryptSopsObjects', () => {
  const home = mkdtempSync(join(tmpdir(), 'slipway-sops-home-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const plain = { key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: '', name: 'plain' }, manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } }, source: { file: 'plain.yaml', documentIndex: 0, line: 1 } } as DesiredObject;

  it('decrypts age files in process: no sops on PATH, the key file from settings, the other objects untouched', async () => {
    const objects = [plain, fixtureObject('encrypted-regex.enc.yaml'), fixtureObject('two-recipients.enc.yaml')];
    const out = await decryptSopsObjects(objects, { searchPath: '', env: { HOME: home }, tools: { sopsAgeKeyFile: fileURLToPath(new URL('age-key.txt', testdata)) } });
    expect(out[0]).toBe(plain);
    expect(out.slice(1).map((o) => (o.manifest.stringData as Record<string, string>).password)).toEqual(['correct horse battery staple', 'correct horse battery staple']);
  });

  it('needs the binary only for what it cannot do in process, and says so', async () => {
    const objects = [fixtureObject('encrypted-regex.enc.yaml'), fixtureObject('key-groups.enc.yaml')];
    await expect(decryptSopsObjects(objects, { searchPath: '', env: { HOME: home, SOPS_AGE_KEY_FILE: fileURLToPath(new URL('age-key.txt', testdata)) } })).rejects.toMatchObject({
      code: 'tool-missing',
      message: expect.stringContaining('key-groups.enc.yaml'),
    });
  });

  it('reports the first failing object in their order', async () => {
    const objects = [fixtureObject('tampered-unencrypted.enc.yaml'), fixtureObject('wrong-key.enc.yaml')];
    await expect(decryptSopsObjects(objects, { searchPath: '', env: { HOME: home, SOPS_AGE_KEY_FILE: fileURLToPath(new URL('age-key.txt', testdata)) } })).rejects.toMatchObject({ code: 'sops-mac-mismatch' });
  });
});
