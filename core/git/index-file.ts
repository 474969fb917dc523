/**
 * Reads the paths recorded in Git's index (`.git/index`, versions 2, 3 and 4) — only to know which
 * files are tracked, so that a tracked file matching .gitignore still belongs to the working copy.
 * Read-only: the file is read once into memory and never written.
 */
import { readFile } from 'node:fs/promises';

/** Paths of every entry in the index (all stages), or an empty set when there is no index. */
export async function readIndexPaths(indexPath: string): Promise<Set<string>> {
  let buf: Buffer;
  try {
    buf = await readFile(indexPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw err;
  }
  return parseIndexPaths(buf);
}

export function parseIndexPaths(buf: Buffer): Set<string> {
  const paths = new Set<string>();
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') throw new Error('not a Git index file (no DIRC signature)');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw new Error(`unsupported Git index version ${version}`);
  const count = buf.readUInt32BE(8);
  let off = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let n = 0; n < count; n++) {
    const start = off;
    // ctime(8) mtime(8) dev ino mode uid gid size (6×4) oid(20) flags(2) = 62 bytes
    if (off + 62 > buf.length) throw new Error('truncated Git index');
    const flags = buf.readUInt16BE(off + 60);
    off += 62;
    if (flags & 0x4000) off += 2; // extended flags (version 3+)
    let name: Buffer;
    if (version === 4) {
      // varint: bytes to remove from the end of the previous name, then the NUL-terminated suffix.
      let byte = buf[off++] ?? 0;
      let strip = byte & 0x7f;
      while (byte & 0x80) {
        byte = buf[off++] ?? 0;
        strip = ((strip + 1) << 7) | (byte & 0x7f);
      }
      const nul = buf.indexOf(0, off);
      if (nul < 0) throw new Error('truncated Git index');
      name = Buffer.concat([previous.subarray(0, previous.length - strip), buf.subarray(off, nul)]);
      off = nul + 1;
    } else {
      const nul = buf.indexOf(0, off);
      if (nul < 0) throw new Error('truncated Git index');
      name = buf.subarray(off, nul);
      // Entries are padded with 1–8 NULs to a multiple of 8 bytes.
      off = start + ((nul - start + 8) & ~7);
    }
    previous = name;
    paths.add(name.toString('utf8'));
  }
  return paths;
}
