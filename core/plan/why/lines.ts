/**
 * Lines of a change's "after" side and the lines of its source file they come from. The after
 * side is the normalized predicted object, not the file: a line is matched through the field it
 * holds (its path: keys, list items by `name` where every item has a unique one, else by index),
 * found again in the file's document. Pure: texts in, line numbers out.
 */
import { diffLines } from 'diff';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { YAML_OPTIONS } from '../../manifest/fast-yaml.js';

export type Step = { readonly key: string } | { readonly index: number } | { readonly name: string };

/** What a line of a YAML text holds: the field, and the line's place in a value written over several lines (0 on its first). */
export interface LineField {
  readonly path: readonly Step[];
  readonly offset: number;
}

/** Lines (1-based) of `after` that a line diff from `before` marks as added: every line for a create. */
export function changedLines(before: string | undefined, after: string): number[] {
  const out: number[] = [];
  let line = 1;
  for (const part of diffLines(before ?? '', after)) {
    if (part.removed) continue;
    const count = part.count ?? part.value.split('\n').length - (part.value.endsWith('\n') ? 1 : 0);
    if (part.added) for (let i = 0; i < count; i++) out.push(line + i);
    line += count;
  }
  return out;
}

/** The field each line of a one-document YAML text holds (lines of no field, such as comments, are absent). */
export function fieldsByLine(text: string): Map<number, LineField> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const out = new Map<number, LineField>();
  const lineOf = (offset: number): number => lc.linePos(offset).line;
  const scalarLines = (node: YamlNode, path: readonly Step[], first: number): void => {
    const range = node.range;
    if (!range) return;
    const last = lineOf(Math.max(range[0], range[1] - 1));
    for (let l = first + 1; l <= last; l++) out.set(l, { path, offset: l - first });
  };
  const visit = (node: unknown, path: readonly Step[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const step = { key: String(pair.key.value) };
        const at = lineOf(pair.key.range[0]);
        const here = [...path, step];
        out.set(at, { path: here, offset: 0 });
        if (isScalar(pair.value)) scalarLines(pair.value, here, at);
        else visit(pair.value, here);
      }
    } else if (isSeq(node)) {
      const names = itemNames(node.items);
      node.items.forEach((item, index) => {
        const here = [...path, names ? { name: names[index]! } : { index }];
        if (isScalar(item) && item.range) {
          const at = lineOf(item.range[0]);
          out.set(at, { path: here, offset: 0 });
          scalarLines(item, here, at);
        } else visit(item, here);
      });
    }
  };
  visit(doc.contents, []);
  return out;
}

/** A source file's documents, parsed as the manifest reader parses them (YAML 1.1), with their lines. */
export interface SourceFile {
  readonly docs: readonly Document.Parsed[];
  readonly lc: LineCounter;
}

export function parseSource(text: string): SourceFile {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter: lc });
  return { docs: Array.isArray(docs) ? docs : [], lc };
}

/**
 * The document of a source file that declares an object: the one at `documentIndex` when it
 * declares it, else the first that does (kind and metadata.name).
 */
export function documentOf(file: SourceFile, object: { readonly kind: string; readonly name: string }, documentIndex?: number): Document.Parsed | undefined {
  const declares = (doc: Document.Parsed | undefined): boolean => {
    if (!doc || doc.errors.length > 0 || !isMap(doc.contents)) return false;
    const kind = doc.get('kind');
    const name = doc.getIn(['metadata', 'name']);
    return kind === object.kind && name === object.name;
  };
  const at = documentIndex !== undefined ? file.docs[documentIndex] : undefined;
  return declares(at) ? at : file.docs.find(declares);
}

/** The line of the source document where a field (and the line `offset` into its value) is written; undefined when the file does not write that field. */
export function sourceLineOf(file: SourceFile, doc: Document.Parsed, field: LineField): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined;
  let value: unknown;
  for (const step of field.path) {
    if (isMap(node) && 'key' in step) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step.key);
      if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
      line = file.lc.linePos(pair.key.range[0]).line;
      value = pair.value;
    } else if (isSeq(node) && !('key' in step)) {
      const item = 'index' in step ? node.items[step.index] : node.items.find((i) => isMap(i) && i.get('name') === step.name);
      const range = item && !isPair(item) ? (item as YamlNode).range : undefined;
      if (!range) return undefined;
      line = file.lc.linePos(range[0]).line;
      value = item;
    } else return undefined;
    node = value;
  }
  if (line === undefined) return undefined;
  if (field.offset === 0) return line;
  // A value over several lines (a block scalar): the same line of it, if the file writes it over as many.
  if (!isScalar(value) || !value.range) return undefined;
  const last = file.lc.linePos(Math.max(value.range[0], value.range[1] - 1)).line;
  return line + field.offset <= last ? line + field.offset : undefined;
}

/** A list's names when every item is a map with a unique string `name` (as the plan's field paths name them). */
function itemNames(items: readonly unknown[]): string[] | undefined {
  const names = items.map((i) => (isMap(i) ? i.get('name') : undefined));
  if (names.length === 0 || names.some((n) => typeof n !== 'string')) return undefined;
  return new Set(names).size === names.length ? (names as string[]) : undefined;
}
