/**
 * YAML parsed with its node ranges, so a problem found in the plain JS value (a zod issue path
 * such as ["apps", 2, "destination", "namespace"]) can be reported at the file, line and
 * column of the node that caused it.
 */
import type { Document, Node as YamlNode, Pair } from 'yaml';
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';

export type PathSegment = string | number;

export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/** Parses one YAML document. Syntax errors (and a second document) become "yaml-syntax" errors at their line and column. */
export function parseYamlSource(text: string, opts: { file: string }): { source: YamlSource; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const source: YamlSource = { file: opts.file, doc, lineCounter };
  const diagnostics: Diagnostic[] = [
    ...doc.errors.map((e): Diagnostic => ({
      severity: 'error',
      code: 'yaml-syntax',
      message: e.code === 'MULTIPLE_DOCS' ? `invalid YAML: ${opts.file} must hold one YAML document, found another one after "---"` : `invalid YAML: ${e.message}`,
      location: locationOfOffset(source, e.pos[0]),
    })),
    ...doc.warnings.map((w): Diagnostic => ({
      severity: 'warning',
      code: 'yaml-warning',
      message: w.message,
      location: locationOfOffset(source, w.pos[0]),
    })),
  ];
  return { source, diagnostics };
}

export function locationOfOffset(source: YamlSource, offset: number): SourceLocation {
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, column: col };
}

export interface NodeLookup {
  /** The deepest node reached along the path (the document's root node when none). */
  readonly node: YamlNode | null;
  /** The map entry holding `node` when it was reached through a key. */
  readonly pair?: Pair;
  /** True when every segment of the path was found. */
  readonly complete: boolean;
}

/** Follows a path of map keys and list indexes through the document, resolving aliases. */
export function lookupNode(source: YamlSource, path: readonly PathSegment[]): NodeLookup {
  let node = resolve(source, source.doc.contents);
  let pair: Pair | undefined;
  for (const segment of path) {
    let next: { node: YamlNode | null; pair?: Pair } | undefined;
    if (isMap(node)) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (found) next = { node: resolve(source, found.value as YamlNode | null), pair: found };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item !== undefined) next = { node: resolve(source, isPair(item) ? null : (item as YamlNode | null)) };
    }
    if (!next) return pair ? { node, pair, complete: false } : { node, complete: false };
    node = next.node;
    pair = next.pair;
    // An empty value ("name:") has no text of its own: report at its key.
    if (pair && (!node || isEmptyScalar(node))) return { node: pair.key as YamlNode, pair, complete: true };
  }
  return pair ? { node, pair, complete: true } : { node, complete: true };
}

/**
 * Where the node at `path` starts. A mapping or list that is the value of a key is reported at
 * its key (the line that names it); with `at: 'key'` every value is (for unknown fields).
 * Falls back to the deepest existing node (a missing field is reported at its parent).
 */
export function locate(source: YamlSource, path: readonly PathSegment[], opts: { at?: 'value' | 'key' } = {}): SourceLocation {
  const found = lookupNode(source, path);
  const atKey = found.pair !== undefined && (isCollection(found.node) || (opts.at === 'key' && found.complete));
  const target = atKey && found.pair ? (found.pair.key as YamlNode) : found.node;
  const offset = target?.range?.[0] ?? 0;
  return locationOfOffset(source, offset);
}

/** The text a scalar was written as ("1.10", "0x1F", "true"), or undefined for non-scalars. */
export function scalarSource(source: YamlSource, path: readonly PathSegment[]): string | undefined {
  const found = lookupNode(source, path);
  return found.complete && isScalar(found.node) ? found.node.source : undefined;
}

/** "apps[0].source.helm.set["image.tag"]" */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function isEmptyScalar(node: YamlNode): boolean {
  return isScalar(node) && node.value === null && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

function resolve(source: YamlSource, node: YamlNode | null | undefined): YamlNode | null {
  if (isAlias(node)) return (node.resolve(source.doc) as YamlNode | undefined) ?? null;
  return node ?? null;
}
