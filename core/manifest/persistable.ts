/**
 * Which parsed files may be written to the disk cache. Secrets never are (DESIGN.md rule 7: they
 * never leave the engine in clear text, and a cache file outlives the command): a file with any
 * object of kind Secret, a SOPS-encrypted file (its `sops:` metadata; its values are decrypted
 * later, but the file is the user's secret store all the same), or any file whose text names the
 * kind Secret or SOPS metadata at all — checked on the bytes too, so a Secret the parser did not
 * turn into an object (an invalid document, a List item it refused) is not stored either. Such
 * files are parsed again by every process; a repository has few of them.
 */
import { isPlainObject } from '../model/desired.js';
import type { ParsedFile } from './manifests.js';

const SECRET_WORD = Buffer.from('Secret');
const SOPS_WORD = Buffer.from('sops');
/** "Secret" as a whole word (SealedSecret and ExternalSecret hold no clear text and do not match). */
const SECRET_KIND = /(?<![A-Za-z0-9_])Secret(?![A-Za-z0-9_])/;
/** A `sops` key (YAML or JSON): SOPS's metadata. */
const SOPS_KEY = /(^|[\s{,"'])sops["']?\s*:/m;

export function mayPersist(bytes: Uint8Array, parsed: ParsedFile): boolean {
  for (const o of parsed.objects) {
    if (o.key.kind === 'Secret' || (isPlainObject(o.manifest) && 'sops' in o.manifest)) return false;
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // indexOf on the bytes first: nearly every file has neither word, and then no text is made.
  if (buffer.includes(SECRET_WORD) && SECRET_KIND.test(buffer.toString('utf8'))) return false;
  if (buffer.includes(SOPS_WORD) && SOPS_KEY.test(buffer.toString('utf8'))) return false;
  return true;
}
