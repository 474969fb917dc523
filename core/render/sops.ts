/**
 * SOPS-encrypted manifests (Flux's `decryption.provider: sops`), decrypted in memory as Flux's
 * kustomize-controller does: after `kustomize build`, so the materialized copy only ever holds
 * ciphertext. Plaintext never touches the disk; a decrypted Secret is an ordinary Secret from here
 * on (masked in views, keyed in hashes).
 *
 * Two paths, one result. Files encrypted for an age recipient we hold a key for are decrypted in
 * process (sops-age.ts opens the data key with typage, sops-tree.ts decrypts the values and checks
 * the MAC exactly as sops does): a `sops` process costs ~20 ms, and an app of 100 Secrets would
 * spend seconds on them. Everything else goes to the `sops` binary, the reference implementation,
 * as JSON on stdin and back from stdout: PGP, cloud KMS, Vault, age plugins and SSH keys, key
 * groups (Shamir), and whatever the in-process path does not read exactly as sops would. Both
 * paths fail with the same errors (no key, MAC mismatch, other).
 * Keys are sops' own: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt, or the key
 * file named in settings.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DesiredObject, Manifest } from '../model/desired.js';
import { isPlainObject } from '../model/desired.js';
import { SlipwayError, formatLocation } from '../model/diagnostics.js';
import { keyOfObject } from '../model/resource.js';
import { isX25519Recipient, loadAgeIdentities, openAgeDataKey, type AgeIdentities } from './sops-age.js';
import { SopsTreeError, decryptSopsTree, readSopsMetadata } from './sops-tree.js';
import { findTool, missingTool, runTool, type ToolPaths } from './tools.js';

/** An object sops encrypted: a top-level `sops` map with its MAC (what Flux's isSOPSEncryptedResource checks). */
export function isSopsEncrypted(manifest: unknown): boolean {
  return isPlainObject(manifest) && isPlainObject(manifest.sops) && (typeof manifest.sops.mac === 'string' || typeof manifest.sops.version === 'string');
}

/** Where each key type keeps its recipient in sops metadata, and how to name it. A table: a new key type is a row. */
export const SOPS_RECIPIENT_FIELDS: readonly { readonly list: string; readonly field: string; readonly label: string }[] = [
  { list: 'age', field: 'recipient', label: 'age' },
  { list: 'pgp', field: 'fp', label: 'PGP' },
  { list: 'kms', field: 'arn', label: 'AWS KMS' },
  { list: 'gcp_kms', field: 'resource_id', label: 'GCP KMS' },
  { list: 'azure_kv', field: 'vault_url', label: 'Azure Key Vault' },
  { list: 'hc_vault', field: 'vault_address', label: 'Vault' },
];

/** The recipients named in an object's sops metadata (also inside key_groups), as "age age1…". */
export function sopsRecipients(manifest: unknown): string[] {
  if (!isPlainObject(manifest) || !isPlainObject(manifest.sops)) return [];
  const groups = [manifest.sops, ...(Array.isArray(manifest.sops.key_groups) ? manifest.sops.key_groups : [])];
  const out: string[] = [];
  for (const group of groups) {
    if (!isPlainObject(group)) continue;
    for (const { list, field, label } of SOPS_RECIPIENT_FIELDS) {
      const entries = group[list];
      if (!Array.isArray(entries)) continue;
      for (const e of entries) if (isPlainObject(e) && typeof e[field] === 'string') out.push(`${label} ${String(e[field]).trim()}`);
    }
  }
  return [...new Set(out)];
}

export type SopsFailure = 'no-key' | 'mac-mismatch' | 'other';

/** sops' exit codes (cmd/sops/codes) that Slipway explains; the rest keep sops' own words. */
export const SOPS_EXIT_CODES: Readonly<Record<number, SopsFailure>> = { 128: 'no-key', 111: 'no-key', 51: 'mac-mismatch', 52: 'mac-mismatch' };

export function classifySopsFailure(exitCode: number | null, stderr: string): SopsFailure {
  const byCode = exitCode === null ? undefined : SOPS_EXIT_CODES[exitCode];
  if (byCode) return byCode;
  if (/MAC mismatch/i.test(stderr)) return 'mac-mismatch';
  if (/Failed to get the data key/i.test(stderr)) return 'no-key';
  return 'other';
}

/** The error for a failed decryption, naming the file (and for a missing key, its recipients). */
export function sopsError(failure: SopsFailure, object: Pick<DesiredObject, 'manifest' | 'source'>, stderr: string): SlipwayError {
  const where = formatLocation(object.source);
  const location = { location: object.source };
  if (failure === 'no-key') {
    const recipients = sopsRecipients(object.manifest);
    return new SlipwayError('sops-no-key', `cannot decrypt ${where}: none of its sops recipients has a key here (${recipients.length > 0 ? recipients.join(', ') : 'no recipients listed'})`, {
      ...location,
      hint: 'give Slipway the private key: SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, ~/.config/sops/age/keys.txt, or the age key file in settings',
    });
  }
  if (failure === 'mac-mismatch') {
    // kustomize build writes every map's keys in alphabetical order and sops' MAC covers values in the order they were encrypted: Flux's kustomize-controller decrypts the same built object and fails the same way.
    return new SlipwayError('sops-mac-mismatch', `cannot decrypt ${where}: its sops MAC does not match (the file was changed after it was encrypted; or, in a kustomize app, kustomize build changed the object — it writes fields in alphabetical order and applies transformers — as it does for Flux, which fails the same way)`, {
      ...location,
      hint: 'edit encrypted files with `sops edit`; in a kustomize app, encrypt the Secret with its fields in alphabetical order (as `kubectl create secret … --dry-run=client -o yaml` writes them), and for transformers (namespace, labels) with mac_only_encrypted: true in .sops.yaml (sops --mac-only-encrypted encrypt)',
    });
  }
  const tail = stderr.trim().split('\n').slice(-10).join('\n');
  return new SlipwayError('sops-failed', `cannot decrypt ${where} with sops${tail ? `:\n${tail}` : ''}`, location);
}

export interface SopsOptions {
  readonly tools?: ToolPaths;
  /** PATH to search for sops (default: the process's PATH). */
  readonly searchPath?: string;
  readonly timeoutMs?: number;
  /** The environment sops sees (default: the process's); tests set HOME and the key variables here. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The environment for sops: the key file from settings wins; else sops' default file, also on macOS (where sops looks elsewhere). */
export function sopsEnv(env: NodeJS.ProcessEnv, keyFileSetting: string | undefined): NodeJS.ProcessEnv {
  if (keyFileSetting) return { ...env, SOPS_AGE_KEY_FILE: keyFileSetting };
  if (env.SOPS_AGE_KEY_FILE || env.SOPS_AGE_KEY) return env;
  const fallback = join(env.HOME || homedir(), '.config', 'sops', 'age', 'keys.txt');
  return existsSync(fallback) ? { ...env, SOPS_AGE_KEY_FILE: fallback } : env;
}

/** At most this many sops processes at once (each is short; the machine may have two cores). */
const PARALLEL = 4;

/** The objects with every sops-encrypted one decrypted; the rest as they were (the same values, so caches keyed on them still hit). */
export async function decryptSopsObjects(objects: readonly DesiredObject[], opts: SopsOptions): Promise<DesiredObject[]> {
  const encrypted = objects.map((o, i) => (isSopsEncrypted(o.manifest) ? i : -1)).filter((i) => i >= 0);
  if (encrypted.length === 0) return [...objects];
  const baseEnv = opts.env ?? process.env;
  const env = sopsEnv(baseEnv, opts.tools?.sopsAgeKeyFile);
  const out = [...objects];
  let identities: Promise<AgeIdentities> | undefined;
  const inProcess = await Promise.allSettled(encrypted.map((i) => decryptInProcess(out[i]!, () => (identities ??= loadAgeIdentities(env)))));
  const viaBinary: number[] = [];
  inProcess.forEach((r, n) => {
    const i = encrypted[n]!;
    if (r.status === 'rejected') throw r.reason;
    if (r.value === 'binary') viaBinary.push(i);
    else out[i] = r.value;
  });
  if (viaBinary.length === 0) return out;

  const sops = await findTool('sops', { ...(opts.tools && { settings: opts.tools }), env: opts.searchPath !== undefined ? { PATH: opts.searchPath } : baseEnv });
  if (!sops) throw missingTool(`${formatLocation(objects[viaBinary[0]!]!.source)} is encrypted with sops, which is needed to decrypt it`, 'install sops (github.com/getsops/sops), or set its path in settings');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < viaBinary.length) {
      const i = viaBinary[next++]!;
      out[i] = await decryptWithBinary(sops, out[i]!, { env, timeoutMs: opts.timeoutMs ?? 60_000 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, viaBinary.length) }, worker));
  return out;
}

/**
 * The object decrypted in process, or 'binary' when the sops binary must do it: no age recipient
 * of X25519 type, no age identity here, key groups, or something sops-tree.ts does not read exactly
 * as sops does. No identity opening the data key is `no-key` only when the binary could not do
 * better: every master key is an X25519 age key and every identity source was read.
 */
export async function decryptInProcess(object: DesiredObject, identities: () => Promise<AgeIdentities>): Promise<DesiredObject | 'binary'> {
  // The binary gets JSON.stringify of the object: the same keys, order and numbers here.
  const document = JSON.parse(JSON.stringify(object.manifest)) as Record<string, unknown>;
  const meta = readSopsMetadata(document.sops);
  if ('unsupported' in meta || meta.groups.length !== 1) return 'binary';
  const group = meta.groups[0]!;
  const stanzas = group.age.filter((s) => isX25519Recipient(s.recipient));
  if (stanzas.length === 0) return 'binary';
  const ids = await identities();
  if (ids.count === 0) return 'binary';
  const dataKey = await openAgeDataKey(stanzas, ids);
  if (!dataKey) {
    const onlyOurKind = ids.complete && group.others === 0 && stanzas.length === group.age.length;
    if (onlyOurKind) throw sopsError('no-key', object, '');
    return 'binary';
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = decryptSopsTree(document, meta, dataKey);
  } catch (e) {
    if (!(e instanceof SopsTreeError)) throw e;
    if (e.failure === 'unsupported') return 'binary';
    throw sopsError(e.failure, object, e.message);
  } finally {
    dataKey.fill(0);
  }
  return decryptedObject(object, manifest);
}

async function decryptWithBinary(sops: string, object: DesiredObject, opts: { env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<DesiredObject> {
  let stdout: string;
  try {
    // Plaintext in, plaintext out: the object goes on stdin and comes back on stdout, never through a file.
    stdout = await runTool(sops, ['decrypt', '--input-type', 'json', '--output-type', 'json'], { env: opts.env, timeoutMs: opts.timeoutMs, what: `sops decrypt of ${formatLocation(object.source)}`, input: JSON.stringify(object.manifest) });
  } catch (err) {
    if (!(err instanceof SlipwayError) || err.code !== 'render-failed') throw err;
    // runTool's failure carries sops' exit code (its cause) and what it printed on stderr (output).
    const exit = (err.cause as { code?: unknown } | undefined)?.code;
    const stderr = err.output ?? '';
    throw sopsError(classifySopsFailure(typeof exit === 'number' ? exit : null, stderr), object, stderr || err.message);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(stdout);
  } catch {
    throw sopsError('other', object, 'sops printed something that is not JSON');
  }
  return decryptedObject(object, manifest);
}

/** The object with its decrypted manifest, which must still be a Kubernetes object. */
function decryptedObject(object: DesiredObject, manifest: unknown): DesiredObject {
  if (!isPlainObject(manifest) || typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string' || !isPlainObject(manifest.metadata) || typeof manifest.metadata.name !== 'string') {
    throw sopsError('other', object, 'the decrypted object has no apiVersion, kind or metadata.name');
  }
  // Identity fields may have been encrypted too (no encrypted_regex): the key is the decrypted one's.
  return { ...object, manifest: manifest as Manifest, key: keyOfObject(manifest as Manifest) };
}
