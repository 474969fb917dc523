/**
 * The age half of in-process SOPS decryption: the user's age identities, read from where sops reads
 * them (getsops/sops age/keysource.go loadIdentities: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the user
 * config folder's sops/age/keys.txt; the key file in settings arrives as SOPS_AGE_KEY_FILE through
 * sopsEnv), and the data key they open from a file's `sops.age[].enc`, an ASCII-armored age file.
 * age itself is typage (age-encryption), the reference TypeScript implementation.
 *
 * Only native X25519 identities (AGE-SECRET-KEY-1…) are used here. A source holding anything else
 * (age plugins, post-quantum keys, a passphrase-encrypted key file) or SOPS_AGE_KEY_CMD makes the
 * set incomplete: a file these keys cannot open then goes to the sops binary, which may. Private
 * keys and data keys stay in memory.
 */
import { webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Decrypter } from 'age-encryption';
import type { AgeStanza } from './sops-tree.js';

/** typage, imported when a file is first decrypted in process: loading it costs ~70 ms, which every other command (--version too) would pay at start-up. */
const age = () => import('age-encryption');

export interface AgeIdentities {
  /** The public keys of the identities (age1…), to try the stanza made for them first. */
  readonly recipients: ReadonlySet<string>;
  readonly count: number;
  /** False when some source holds identities only the sops binary can use. */
  readonly complete: boolean;
  readonly decrypter: Decrypter;
}

/** An X25519 recipient as sops tells it apart (age/keysource.go parseRecipient): "age1" and no other "1"; the rest are plugins. */
export function isX25519Recipient(recipient: string): boolean {
  const r = recipient.trim();
  return r.startsWith('age1') && r.indexOf('1', 4) < 0;
}

/**
 * The X25519 secret keys in one source (a key file or SOPS_AGE_KEY), read line by line as sops does
 * (age/keysource.go parseIdentities): empty lines and lines starting with "#" are skipped. A line
 * that is not a valid AGE-SECRET-KEY-1… makes sops refuse the whole source, or is a plugin only the
 * binary can run: the source is then left to the binary (`complete: false`, no keys).
 */
export function parseAgeKeys(text: string): { readonly keys: readonly Uint8Array[]; readonly complete: boolean } {
  const keys: Uint8Array[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    const key = line.startsWith('AGE-SECRET-KEY-1') ? bech32Decode(line, 'age-secret-key-') : undefined;
    if (!key || key.length !== 32) return { keys: [], complete: false };
    keys.push(key);
  }
  return { keys, complete: true };
}

/** os.UserConfigDir as Go computes it, with sops' XDG_CONFIG_HOME on macOS; undefined where Go fails. */
export function userConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32') return env.APPDATA || undefined;
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg) return isAbsolute(xdg) ? xdg : undefined;
  if (!env.HOME) return undefined;
  return platform === 'darwin' ? join(env.HOME, 'Library', 'Application Support') : join(env.HOME, '.config');
}

/** The text sources of age keys for an environment (already through sopsEnv), and whether one only the binary can read is set. */
export function ageKeySources(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): { readonly texts: readonly string[]; readonly files: readonly string[]; readonly complete: boolean } {
  const texts = env.SOPS_AGE_KEY !== undefined ? [env.SOPS_AGE_KEY] : [];
  const files = [env.SOPS_AGE_KEY_FILE, ((dir) => dir && join(dir, 'sops', 'age', 'keys.txt'))(userConfigDir(env, platform))].filter((f): f is string => !!f);
  return { texts, files: [...new Set(files)], complete: env.SOPS_AGE_KEY_CMD === undefined };
}

/** The age identities sops would find in `env` (already through sopsEnv). A file that cannot be read adds none, as in sops. */
export async function loadAgeIdentities(env: NodeJS.ProcessEnv): Promise<AgeIdentities> {
  const sources = ageKeySources(env);
  const texts = [...sources.texts];
  for (const file of sources.files) {
    try {
      texts.push(await readFile(file, 'utf8'));
    } catch {
      // Missing or unreadable: sops carries on without it.
    }
  }
  let complete = sources.complete;
  const { Decrypter, identityToRecipient } = await age();
  const decrypter = new Decrypter();
  const recipients = new Set<string>();
  for (const text of texts) {
    const parsed = parseAgeKeys(text);
    complete &&= parsed.complete;
    for (const key of parsed.keys) {
      const identity = await x25519Identity(key);
      key.fill(0);
      // The same key from two sources is one identity.
      const recipient = await identityToRecipient(identity);
      if (recipients.has(recipient)) continue;
      recipients.add(recipient);
      decrypter.addIdentity(identity);
    }
  }
  return { recipients, count: recipients.size, complete, decrypter };
}

/**
 * The key as a WebCrypto X25519 key, imported once (typage would import a string identity again
 * for every file); where WebCrypto has no X25519, the AGE-SECRET-KEY-1… string for typage's own.
 */
async function x25519Identity(key: Uint8Array): Promise<webcrypto.CryptoKey | string> {
  // PKCS #8 for an X25519 private key is a fixed prefix and the 32 bytes (RFC 8410).
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), key]);
  try {
    return await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  } catch {
    return bech32Encode('age-secret-key-', key).toUpperCase();
  } finally {
    pkcs8.fill(0);
  }
}

/**
 * The data key from the first age stanza an identity opens: those made for our recipients first,
 * then the rest (a recipient field edited by hand). Undefined when none opens.
 */
export async function openAgeDataKey(stanzas: readonly AgeStanza[], identities: AgeIdentities): Promise<Uint8Array | undefined> {
  if (identities.count === 0) return undefined;
  const { armor } = await age();
  const ours = stanzas.filter((s) => identities.recipients.has(s.recipient.trim()));
  for (const s of [...ours, ...stanzas.filter((x) => !ours.includes(x))]) {
    try {
      return await identities.decrypter.decrypt(armor.decode(s.enc), 'uint8array');
    } catch {
      // Not ours, or not a valid age file: sops tries the next key.
    }
  }
  return undefined;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATORS[i]!;
  }
  return chk >>> 0;
}

const hrpExpand = (hrp: string): number[] => [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31)];

/** BIP 173 bech32 (what age encodes keys with, without the 90-character limit): the bytes, or undefined for a wrong prefix or checksum. */
export function bech32Decode(s: string, hrp: string): Uint8Array | undefined {
  if (s !== s.toLowerCase() && s !== s.toUpperCase()) return undefined;
  const lower = s.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (lower.slice(0, sep) !== hrp || sep + 7 > lower.length) return undefined;
  const values = [...lower.slice(sep + 1)].map((c) => BECH32.indexOf(c));
  if (values.some((v) => v < 0) || polymod([...hrpExpand(hrp), ...values]) !== 1) return undefined;
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  for (const v of values.slice(0, -6)) {
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return Uint8Array.from(out);
}

export function bech32Encode(hrp: string, bytes: Uint8Array): string {
  const values: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      values.push((acc >> bits) & 31);
    }
  }
  if (bits > 0) values.push((acc << (5 - bits)) & 31);
  const chk = polymod([...hrpExpand(hrp), ...values, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (chk >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...values, ...checksum].map((v) => BECH32[v]).join('')}`;
}
