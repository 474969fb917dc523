/**
 * Git object formats, parsed from raw object content (the bytes after "<type> <size>\0"). Both
 * backends hand raw content to these functions, so a tree or commit means the same thing whichever
 * backend read it.
 */
import { createHash } from 'node:crypto';
import type { FileMode, Signature } from './types.js';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface RawObject {
  readonly type: ObjectType;
  readonly content: Uint8Array;
}

/** One entry of a tree object. `type` "commit" is a submodule (gitlink). */
export interface TreeEntry {
  readonly name: string;
  /** As Git writes it: "100644", "100755", "120000", "40000", "160000". */
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly oid: string;
}

export interface ParsedCommit {
  readonly oid: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: Signature;
  /** Seconds since the epoch; the log is ordered by it, as `git log` is. */
  readonly committerTime: number;
  readonly message: string;
}

export interface ParsedTag {
  readonly object: string;
  readonly type: ObjectType;
  readonly name: string;
}

export const EMPTY_TREE_OID = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

const OBJECT_TYPES: ReadonlySet<string> = new Set<ObjectType>(['blob', 'tree', 'commit', 'tag']);

export function isObjectType(value: string): value is ObjectType {
  return OBJECT_TYPES.has(value);
}

export function isFullOid(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}

export function treeEntryType(mode: string): TreeEntry['type'] {
  if (mode === '40000' || mode === '040000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

/** The snapshot mode of a blob entry. Git also knows "100664" from very old repositories: a plain file. */
export function fileModeOf(mode: string): FileMode {
  if (mode === '100755') return 'executable';
  if (mode === '120000') return 'symlink';
  return 'file';
}

export function gitModeOf(mode: FileMode): string {
  return mode === 'executable' ? '100755' : mode === 'symlink' ? '120000' : '100644';
}

const utf8 = new TextDecoder('utf-8');

export function parseTree(content: Uint8Array): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  let i = 0;
  while (i < buf.length) {
    const space = buf.indexOf(0x20, i);
    const nul = buf.indexOf(0, space + 1);
    if (space < 0 || nul < 0 || nul + 21 > buf.length) throw new Error('malformed tree object');
    const mode = buf.toString('latin1', i, space);
    const name = buf.toString('utf8', space + 1, nul);
    const oid = buf.toString('hex', nul + 1, nul + 21);
    entries.push({ name, mode, type: treeEntryType(mode), oid });
    i = nul + 21;
  }
  return entries;
}

function parseSignature(value: string): { signature: Signature; seconds: number } {
  // "Name <email> 1700000000 +0100"
  const m = /^(.*) <([^>]*)> (-?\d+) ([+-]\d{4})$/.exec(value);
  if (!m) return { signature: { name: value, email: '', time: new Date(0).toISOString() }, seconds: 0 };
  const seconds = Number(m[3]);
  return { signature: { name: m[1] ?? '', email: m[2] ?? '', time: new Date(seconds * 1000).toISOString() }, seconds };
}

function splitHeaders(content: Uint8Array): { headers: Array<[string, string]>; message: string } {
  const text = utf8.decode(content);
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const message = end < 0 ? '' : text.slice(end + 2);
  const headers: Array<[string, string]> = [];
  for (const line of head.split('\n')) {
    const last = headers[headers.length - 1];
    if (line.startsWith(' ') && last) {
      last[1] += `\n${line.slice(1)}`; // continuation (gpgsig, mergetag)
      continue;
    }
    const sp = line.indexOf(' ');
    headers.push(sp < 0 ? [line, ''] : [line.slice(0, sp), line.slice(sp + 1)]);
  }
  return { headers, message };
}

export function parseCommit(oid: string, content: Uint8Array): ParsedCommit {
  const { headers, message } = splitHeaders(content);
  let tree = '';
  const parents: string[] = [];
  let author: Signature | undefined;
  let committerTime = 0;
  for (const [key, value] of headers) {
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseSignature(value).signature;
    else if (key === 'committer') committerTime = parseSignature(value).seconds;
  }
  if (!isFullOid(tree)) throw new Error('malformed commit object: no tree');
  return { oid, tree, parents, author: author ?? { name: '', email: '', time: new Date(0).toISOString() }, committerTime, message };
}

export function parseTag(content: Uint8Array): ParsedTag {
  const { headers } = splitHeaders(content);
  const get = (k: string): string => headers.find(([key]) => key === k)?.[1] ?? '';
  const type = get('type');
  const object = get('object');
  if (!isFullOid(object) || !isObjectType(type)) throw new Error('malformed tag object');
  return { object, type, name: get('tag') };
}

export function subjectOf(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? '';
}

/** The oid Git gives an object: sha1 of "<type> <size>\0<content>". */
export function hashObject(type: ObjectType, content: Uint8Array): string {
  return createHash('sha1').update(`${type} ${content.byteLength}\0`).update(content).digest('hex');
}

/** A blob or subtree to put in a tree object. */
export interface TreeItem {
  readonly name: string;
  readonly mode: string;
  readonly oid: string;
}

/** The oid of the tree object Git would write for these entries (sorted the way Git sorts trees). */
export function hashTree(items: readonly TreeItem[]): string {
  const key = (i: TreeItem): Buffer => Buffer.from(i.mode === '40000' ? `${i.name}/` : i.name, 'utf8');
  const sorted = [...items].sort((a, b) => Buffer.compare(key(a), key(b)));
  const parts: Buffer[] = [];
  for (const item of sorted) {
    parts.push(Buffer.from(`${item.mode} ${item.name}\0`, 'utf8'), Buffer.from(item.oid, 'hex'));
  }
  return hashObject('tree', Buffer.concat(parts));
}
