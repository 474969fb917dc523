/**
 * The key that Secret values are hashed with. Plans and history keep hashes of the rendered
 * manifests (to refuse a stale plan, to skip unchanged dry-runs); a plain sha256 of a Secret
 * would let anyone holding a plan file test guesses of a short value offline. So Secret values
 * enter those hashes only as HMAC-SHA256 under a per-user random key, kept next to the history
 * (mode 0600) and never in a plan. SLIPWAY_SECRET_HASH_KEY (64 hex digits) sets it instead, for
 * applying plans made on another machine (CI) or for tests.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError } from './model/diagnostics.js';
import { replaceSecretValues } from './model/secrets.js';
import { userDataDir } from './paths.js';

export const SECRET_HASH_KEY_ENV = 'SLIPWAY_SECRET_HASH_KEY';

let cached: { readonly source: string; readonly key: Buffer } | undefined;

function keyFile(): string {
  return join(userDataDir(), 'secret-hash.key');
}

function parseKey(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new SlipwayError('secret-hash-key-invalid', `${where} must be 64 hex digits (a 256-bit key)`, { hint: `remove it and Slipway makes a new one (plans made with the old key must be made again)` });
  return Buffer.from(hex, 'hex');
}

function loadKey(): Buffer {
  const fromEnv = process.env[SECRET_HASH_KEY_ENV];
  if (fromEnv) return parseKey(fromEnv, SECRET_HASH_KEY_ENV);
  const file = keyFile();
  try {
    return parseKey(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if (!['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
  // First use: write a new key under a temporary name and link it into place, so two processes starting together agree on one.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(userDataDir(), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  } catch {
    // The data folder cannot be written (a read-only home): this process keeps a key of its own. Its plans
    // stay checkable while it runs (the app, serve); a saved plan is refused elsewhere, naming the other key.
    return randomBytes(32);
  } finally {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // never written
    }
  }
  return parseKey(readFileSync(file, 'utf8'), file);
}

/** The key, read once per source (the environment variable's value, or the key file's path). */
function key(): Buffer {
  const source = process.env[SECRET_HASH_KEY_ENV] ? `env:${process.env[SECRET_HASH_KEY_ENV]}` : keyFile();
  if (cached?.source !== source) cached = { source, key: loadKey() };
  return cached.key;
}

/** HMAC-SHA256 of one Secret value under the user's key: "hmac-sha256:<hex>". */
export function secretValueDigest(value: string): string {
  return `hmac-sha256:${createHmac('sha256', key()).update(value, 'utf8').digest('hex')}`;
}

/** Names the key without revealing it (the first 16 hex digits of its sha256): plans record it, so apply can tell a plan made with another key. */
export function secretHashKeyId(): string {
  return `sha256:${createHash('sha256').update(key()).digest('hex').slice(0, 16)}`;
}

/** A Secret as it enters a hash: each value as its keyed digest, never as itself. Other objects as they are. */
export function blindSecrets<T>(manifest: T): T {
  return replaceSecretValues(manifest, secretValueDigest);
}
