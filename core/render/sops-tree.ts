/**
 * The sops v3 tree decrypted in process: which values the file's crypt rule encrypted, each value's
 * AES-256-GCM decryption, and the MAC over the plaintext, as sops decrypts a JSON document
 * (getsops/sops: sops.go walkBranch/walkSlice/shouldBeEncrypted/Tree.Decrypt/ToBytes, aes/cipher.go
 * parse/Decrypt, stores/json/store.go, stores/stores.go Metadata.ToInternal, cmd/sops/common
 * DecryptTree). The input is the object as the binary would get it (JSON.stringify of Slipway's
 * parsed object), so both paths see the same keys, order and numbers.
 *
 * What this does not do goes back to the sops binary (`SopsTreeError` 'unsupported'): key groups
 * (Shamir), a rule regex JavaScript reads differently from Go, `type:comment` values, metadata of an
 * unexpected shape. What it does it does exactly, or fails the way sops fails: 'other' where sops
 * cannot decrypt a value, 'mac-mismatch' where the MAC differs. Plaintext stays in the returned object.
 */
import { createDecipheriv, createHash, type Hash } from 'node:crypto';
import { isPlainObject } from '../model/desired.js';

export type SopsTreeFailure = 'mac-mismatch' | 'other' | 'unsupported';

export class SopsTreeError extends Error {
  constructor(
    readonly failure: SopsTreeFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The crypt rules of sops metadata (at most one per file; none means `unencrypted_suffix: _unencrypted`). */
export type CryptRuleName = 'unencrypted_suffix' | 'encrypted_suffix' | 'unencrypted_regex' | 'encrypted_regex' | 'unencrypted_comment_regex' | 'encrypted_comment_regex';

/**
 * Whether the value at a path of map keys is encrypted, per rule (sops.go shouldBeEncrypted). A path
 * is the map keys from the top; array elements add nothing. JSON has no comments, so the comment
 * rules see none: `unencrypted_comment_regex` encrypts everything, `encrypted_comment_regex` nothing
 * (as `sops decrypt --input-type json` does with the same object).
 */
const CRYPT_RULES: Readonly<Record<CryptRuleName, { readonly regex: boolean; readonly encrypted: (path: readonly string[], test: (key: string) => boolean) => boolean }>> = {
  unencrypted_suffix: { regex: false, encrypted: (path, test) => !path.some(test) },
  encrypted_suffix: { regex: false, encrypted: (path, test) => path.some(test) },
  unencrypted_regex: { regex: true, encrypted: (path, test) => !path.some(test) },
  encrypted_regex: { regex: true, encrypted: (path, test) => path.some(test) },
  unencrypted_comment_regex: { regex: true, encrypted: () => true },
  encrypted_comment_regex: { regex: true, encrypted: () => false },
};

export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

/** sops.go MACOnlyEncryptedInitialization: sha256("sops"), hashed first when only encrypted values are in the MAC. */
const MAC_ONLY_ENCRYPTED_INIT = createHash('sha256').update('sops').digest();

export interface AgeStanza {
  readonly recipient: string;
  readonly enc: string;
}

/** One key group: every key in it encrypts the same data key (or Shamir part). */
export interface KeyGroup {
  readonly age: readonly AgeStanza[];
  /** Master keys of other types (PGP, cloud KMS, Vault, …): only the binary can use them. */
  readonly others: number;
}

export interface SopsMetadata {
  readonly groups: readonly KeyGroup[];
  readonly rule: { readonly name: CryptRuleName; readonly encrypted: (path: readonly string[]) => boolean };
  readonly macOnlyEncrypted: boolean;
  /** The encrypted MAC (`sops.mac`); absent reads as "" like Go's zero value. */
  readonly mac: string;
  /** `sops.lastmodified` as Go's time.Format(time.RFC3339) prints it: the MAC's additional data. */
  readonly macAad: string;
}

/** The lists of master keys in sops metadata that are not age (stores/stores.go; newer sops versions add types, counted alike). */
const NOT_KEY_LISTS = new Set(['key_groups', 'age']);

/**
 * sops metadata (an object's top-level `sops` map) as sops' Metadata.ToInternal reads it, or
 * 'unsupported' with the reason the binary should read it instead.
 */
export function readSopsMetadata(sops: unknown): SopsMetadata | { readonly unsupported: string } {
  if (!isPlainObject(sops)) return { unsupported: 'no sops metadata map' };
  const macAad = typeof sops.lastmodified === 'string' ? rfc3339(sops.lastmodified) : undefined;
  if (macAad === undefined) return { unsupported: 'lastmodified is not an RFC 3339 time' };
  if (sops.mac !== undefined && sops.mac !== null && typeof sops.mac !== 'string') return { unsupported: 'mac is not a string' };
  if (sops.mac_only_encrypted !== undefined && sops.mac_only_encrypted !== null && typeof sops.mac_only_encrypted !== 'boolean') return { unsupported: 'mac_only_encrypted is not a boolean' };

  const rules = (Object.keys(CRYPT_RULES) as CryptRuleName[]).filter((name) => sops[name] !== undefined && sops[name] !== null && sops[name] !== '');
  if (rules.some((name) => typeof sops[name] !== 'string')) return { unsupported: 'a crypt rule is not a string' };
  if (rules.length > 1) return { unsupported: 'more than one crypt rule (sops refuses the file)' };
  const name = rules[0] ?? 'unencrypted_suffix';
  const value = rules[0] ? (sops[name] as string) : DEFAULT_UNENCRYPTED_SUFFIX;
  const row = CRYPT_RULES[name];
  let test: (key: string) => boolean;
  if (row.regex) {
    const re = goRegExp(value);
    if (!re) return { unsupported: `${name} ${JSON.stringify(value)} is not a regular expression JavaScript reads as Go does` };
    test = (key) => re.test(key);
  } else {
    test = (key) => key.endsWith(value);
  }

  const groups = keyGroups(sops);
  if (typeof groups === 'string') return { unsupported: groups };
  return {
    groups,
    rule: { name, encrypted: (path) => row.encrypted(path, test) },
    macOnlyEncrypted: sops.mac_only_encrypted === true,
    mac: typeof sops.mac === 'string' ? sops.mac : '',
    macAad,
  };
}

/** The flat key lists are the one group when any is non-empty; else `key_groups` (stores.go internalKeygroups). */
function keyGroups(sops: Record<string, unknown>): KeyGroup[] | string {
  const flat = Object.entries(sops).some(([k, v]) => k !== 'key_groups' && Array.isArray(v) && v.length > 0);
  const raw: unknown[] = flat ? [sops] : Array.isArray(sops.key_groups) ? sops.key_groups : [];
  if (raw.length === 0) return 'no keys in the file';
  const groups: KeyGroup[] = [];
  for (const g of raw) {
    const parsed = isPlainObject(g) ? group(g) : 'a key group is not a map';
    if (typeof parsed === 'string') return parsed;
    groups.push(parsed);
  }
  return groups;
}

function group(lists: Record<string, unknown>): KeyGroup | string {
  const age: AgeStanza[] = [];
  let others = 0;
  if (lists.age !== undefined && lists.age !== null) {
    if (!Array.isArray(lists.age)) return 'age is not a list';
    for (const e of lists.age) {
      if (!isPlainObject(e) || typeof e.recipient !== 'string' || typeof e.enc !== 'string') return 'an age key has no recipient or enc';
      age.push({ recipient: e.recipient, enc: e.enc });
    }
  }
  for (const [k, v] of Object.entries(lists)) if (!NOT_KEY_LISTS.has(k) && Array.isArray(v)) others += v.length;
  return { age, others };
}

/**
 * Go's time.Parse(time.RFC3339) then Format(time.RFC3339): fractional seconds dropped, a zero
 * offset printed as "Z". Undefined for what Go would not parse.
 */
export function rfc3339(s: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return undefined;
  const zone = m[2] === '+00:00' || m[2] === '-00:00' ? 'Z' : m[2]!;
  return `${m[1]}${zone}`;
}

/**
 * A Go (RE2) regular expression as a JavaScript one that matches the same map keys, or undefined.
 * Leading inline flags `(?i)`, `(?s)`, `(?m)` become flags; the `u` flag makes JavaScript refuse
 * what it would otherwise read differently (`\z`, `\pL`, `[[:alpha:]]`, `(?P<n>…)`, `(?i:…)`).
 * What both accept means the same for keys without "\r", U+2028/U+2029 or non-ASCII spaces; a
 * key that differs there makes the MAC check fail, never a wrong plaintext.
 */
export function goRegExp(source: string): RegExp | undefined {
  const flags = /^\(\?([ims]+)\)/.exec(source);
  try {
    return new RegExp(flags ? source.slice(flags[0].length) : source, `u${flags ? [...new Set(flags[1])].join('') : ''}`);
  } catch {
    return undefined;
  }
}

/** A decrypted value: what sops prints for it as JSON, and the bytes it adds to the MAC (sops.go ToBytes). */
interface Plain {
  readonly value: unknown;
  readonly mac: Buffer | string;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function goInt(text: string): Plain {
  // strconv.Atoi: an optional sign and decimal digits, within int64; the MAC gets strconv.Itoa of it.
  if (!/^[+-]?\d+$/.test(text)) throw new Error('not an integer');
  const n = BigInt(text);
  if (n < INT64_MIN || n > INT64_MAX) throw new Error('integer out of range');
  return { value: Number(n), mac: n.toString() };
}

/** The values strconv.ParseBool reads. */
const GO_BOOLS: Readonly<Record<string, boolean>> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };

/**
 * sops' value types (the `type:` of ENC[…], aes/cipher.go Decrypt): the plaintext bytes as the value
 * sops prints and the bytes for the MAC. A type not here is an error, as in sops; `comment` goes to
 * the binary (it becomes a comment object no manifest has).
 */
const VALUE_TYPES: Readonly<Record<string, (plain: Buffer) => Plain>> = {
  str: (b) => ({ value: b.toString('utf8'), mac: b }),
  int: (b) => goInt(b.toString('utf8')),
  int64: (b) => goInt(b.toString('utf8')),
  float: (b) => {
    // strconv.ParseFloat of a finite decimal (sops prints no other: NaN and ±Inf are not JSON).
    const text = b.toString('utf8');
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) || !Number.isFinite(Number(text))) throw new Error('not a finite float');
    const n = Number(text);
    return { value: n, mac: goFloat(n) };
  },
  bool: (b) => {
    const text = b.toString('utf8');
    if (!Object.hasOwn(GO_BOOLS, text)) throw new Error('not a boolean');
    const v = GO_BOOLS[text]!;
    return { value: v, mac: v ? 'True' : 'False' };
  },
  // json.Marshal of []byte: base64.
  bytes: (b) => ({ value: b.toString('base64'), mac: b }),
};

/**
 * strconv.FormatFloat(n, 'f', -1, 64): the shortest digits that read back as n (JavaScript's too),
 * never in exponent form.
 */
export function goFloat(n: number): string {
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  const [mantissa, exp] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  if (e >= digits.length - 1) return sign + digits + '0'.repeat(e - (digits.length - 1));
  if (e >= 0) return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
  return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
}

/** sops.go ToBytes of a value as the JSON store reads it (every number is a float64). */
function macBytes(value: string | number | boolean): Buffer | string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goFloat(value);
  return value ? 'True' : 'False';
}

const ENC_RE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** aes/cipher.go Decrypt: "" stays "", anything else must be ENC[AES256_GCM,…] sealed with `aad`. */
function decryptValue(ciphertext: string, key: Uint8Array, aad: string): Plain {
  if (ciphertext === '') return { value: '', mac: '' };
  const m = ENC_RE.exec(ciphertext);
  if (!m) throw new Error("the value does not match sops' data format");
  const [data, iv, tag] = [m[1]!, m[2]!, m[3]!].map((part) => {
    if (!BASE64_RE.test(part)) throw new Error('a part of the value is not base64');
    return Buffer.from(part, 'base64');
  }) as [Buffer, Buffer, Buffer];
  if (m[4] === 'comment') throw new SopsTreeError('unsupported', 'a value of type comment');
  if (!Object.hasOwn(VALUE_TYPES, m[4]!)) throw new Error(`unknown datatype ${m[4]}`);
  const type = VALUE_TYPES[m[4]!]!;
  // Go's GCM (NewGCMWithNonceSize(len(iv))) opens data‖tag with a 16-byte tag; Node would accept a shorter one.
  if (iv.length === 0 || tag.length !== 16) throw new Error('the iv or tag has the wrong length');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new Error('could not decrypt with AES_GCM: message authentication failed');
  }
  return type(plain);
}

interface Walk {
  readonly meta: SopsMetadata;
  readonly key: Uint8Array;
  readonly hash: Hash;
}

/** walkValue: maps add their key to the path, arrays nothing; null stays null, outside the MAC. */
function walk(value: unknown, path: readonly string[], w: Walk): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v) => walk(v, path, w));
  // fromEntries, not assignment: a "__proto__" key stays an own key, as JSON.parse makes it.
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k], w)]));
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new SopsTreeError('unsupported', `a value of type ${typeof value}`);
  const encrypted = w.meta.rule.encrypted(path);
  if (!encrypted) {
    if (!w.meta.macOnlyEncrypted) w.hash.update(macBytes(value));
    return value;
  }
  const where = path.join('.') || '(top)';
  // sops asserts a string here (and panics on anything else).
  if (typeof value !== 'string') throw new SopsTreeError('other', `could not decrypt ${where}: an encrypted value must be a string, it is a ${typeof value}`);
  let plain: Plain;
  try {
    plain = decryptValue(value, w.key, `${path.join(':')}:`);
  } catch (e) {
    if (e instanceof SopsTreeError) throw e;
    throw new SopsTreeError('other', `Error decrypting tree: could not decrypt ${where}: ${(e as Error).message}`);
  }
  w.hash.update(plain.mac);
  return plain.value;
}

/**
 * The document without its `sops` map, every encrypted value decrypted, after checking the MAC
 * (cmd/sops/common DecryptTree: the data key first, then the tree, then the MAC). `document` is
 * JSON-shaped (the caller passes it through JSON as the binary would get it).
 */
export function decryptSopsTree(document: Record<string, unknown>, meta: SopsMetadata, dataKey: Uint8Array): Record<string, unknown> {
  if (dataKey.length !== 32) throw new SopsTreeError('other', `the data key is ${dataKey.length} bytes, AES-256 needs 32`);
  const hash = createHash('sha512');
  if (meta.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const w: Walk = { meta, key: dataKey, hash };
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(document)) if (k !== 'sops') out.push([k, walk(v, [k], w)]);
  const computed = hash.digest('hex').toUpperCase();
  let fileMac: Plain;
  try {
    fileMac = decryptValue(meta.mac, dataKey, meta.macAad);
  } catch (e) {
    if (e instanceof SopsTreeError) throw e;
    throw new SopsTreeError('mac-mismatch', `Cannot decrypt MAC: ${(e as Error).message}`);
  }
  if (typeof fileMac.value !== 'string' || fileMac.value !== computed) {
    throw new SopsTreeError('mac-mismatch', `MAC mismatch. File has ${typeof fileMac.value === 'string' && fileMac.value ? fileMac.value : 'no MAC'}, computed ${computed}`);
  }
  return Object.fromEntries(out);
}
