import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from './model/canonical.js';
import { manifestHash } from './plan/assemble.js';
import { blindSecrets, SECRET_HASH_KEY_ENV, secretHashKeyId, secretValueDigest } from './secret-key.js';

let dir: string;
const saved = { data: process.env.SLIPWAY_DATA_DIR, key: process.env[SECRET_HASH_KEY_ENV] };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-secret-key-'));
  process.env.SLIPWAY_DATA_DIR = join(dir, 'data');
  delete process.env[SECRET_HASH_KEY_ENV];
});
afterEach(() => {
  for (const [name, value] of [['SLIPWAY_DATA_DIR', saved.data], [SECRET_HASH_KEY_ENV, saved.key]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dir, { recursive: true, force: true });
});

const secret = (password: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'db', namespace: 'shop', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { password } }) } },
  stringData: { password },
  data: { token: Buffer.from(password).toString('base64') },
});

describe('the Secret hash key', () => {
  it('is made on first use as 256 random bits in a file only the user can read, and reused', () => {
    const first = secretValueDigest('1234');
    const file = join(dir, 'data', 'secret-hash.key');
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(secretValueDigest('1234')).toBe(first);
    expect(first).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(secretHashKeyId()).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(readFileSync(file, 'utf8')).not.toContain(secretHashKeyId().slice(7));
  });

  it('gives other digests under another key (another user, another machine)', () => {
    const here = { digest: secretValueDigest('1234'), id: secretHashKeyId() };
    process.env.SLIPWAY_DATA_DIR = join(dir, 'elsewhere');
    expect(secretValueDigest('1234')).not.toBe(here.digest);
    expect(secretHashKeyId()).not.toBe(here.id);
  });

  it('can be given in the environment (to apply plans made elsewhere), and must then be 64 hex digits', () => {
    process.env[SECRET_HASH_KEY_ENV] = 'ab'.repeat(32);
    const a = secretValueDigest('1234');
    process.env.SLIPWAY_DATA_DIR = join(dir, 'elsewhere');
    expect(secretValueDigest('1234')).toBe(a);
    process.env[SECRET_HASH_KEY_ENV] = 'not a key';
    expect(() => secretValueDigest('1234')).toThrow(expect.objectContaining({ code: 'secret-hash-key-invalid', message: expect.stringContaining(SECRET_HASH_KEY_ENV) }));
  });

  it('falls back to a key of this process when the data folder cannot be written', () => {
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    process.env.SLIPWAY_DATA_DIR = join(dir, 'not-a-folder', 'data');
    const a = secretValueDigest('1234');
    expect(a).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(secretValueDigest('1234')).toBe(a);
  });

  it('refuses a damaged key file, naming it', () => {
    mkdirSync(join(dir, 'damaged'));
    writeFileSync(join(dir, 'damaged', 'secret-hash.key'), 'garbage\n');
    process.env.SLIPWAY_DATA_DIR = join(dir, 'damaged');
    expect(() => secretValueDigest('1234')).toThrow(expect.objectContaining({ code: 'secret-hash-key-invalid', message: expect.stringContaining('secret-hash.key') }));
  });
});

describe('hashes of Secrets', () => {
  it('change with a value and not otherwise, but are not a plain hash of the manifest: a guess cannot be checked without the key', () => {
    const pin = secret('4711');
    expect(manifestHash(secret('4711'))).toBe(manifestHash(pin));
    expect(manifestHash(secret('4712'))).not.toBe(manifestHash(pin));
    // The offline guess: hash the manifest with a guessed value, as it would be without a key.
    expect(manifestHash(pin)).not.toBe(contentHash(pin));
    const blinded = JSON.stringify(blindSecrets(pin));
    for (const form of ['4711', Buffer.from('4711').toString('base64')]) expect(blinded).not.toContain(form);
  });

  it('leave other objects as they are', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    expect(blindSecrets(cm)).toBe(cm);
    expect(manifestHash(cm)).toBe(contentHash(cm));
  });
});
