/**
 * Parses one manifest file (YAML multi-document or JSON) into DesiredObjects, each with its file,
 * document index and line. Pure: bytes in, objects and diagnostics out.
 *
 * YAML is read as YAML 1.1, as kubectl reads it (sigs.k8s.io/yaml on go-yaml v2): `on`/`yes` are
 * booleans, merge keys work; timestamps stay strings (go-yaml v2 decodes them as strings into
 * untyped values) and duplicate keys are errors.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { DesiredObject, Manifest } from '../model/desired.js';
import { isPlainObject } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { hasHookAnnotation } from '../model/hooks.js';
import { parseApiVersion, type ResourceKey } from '../model/resource.js';
import { depthOf, fastParseAll, YAML_OPTIONS } from './fast-yaml.js';

/** Files larger than this are refused: manifests are small, and a huge file is almost always a mistake (a dump, a binary). */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

/**
 * Deeper documents are refused: real manifests (CRD schemas included) stay far below, and the
 * parser, views and diff recurse, so a generated or hostile file would otherwise overflow the stack.
 */
export const MAX_NESTING_DEPTH = 200;

const tooDeep = `the document is nested more than ${MAX_NESTING_DEPTH} levels deep; Slipway refuses it (a generated or corrupted file?)`;

const isStackOverflow = (e: unknown): boolean => e instanceof RangeError && /call stack/i.test(e.message);

export interface ParsedFile {
  readonly objects: DesiredObject[];
  readonly diagnostics: Diagnostic[];
}

export function isManifestFileName(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}

/** Binary content: a NUL byte in the first 8 KiB, as git decides it. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

function location(file: string, documentIndex: number, lc: LineCounter, offset: number | undefined): SourceLocation {
  if (offset === undefined) return { file, documentIndex };
  const { line, col } = lc.linePos(offset);
  return { file, documentIndex, line, column: col };
}

/**
 * @param content file bytes or text
 * @param opts.file repository-relative path used in every location
 */
export function parseManifests(content: Uint8Array | string, opts: { file: string }): ParsedFile {
  const { file } = opts;
  const diagnostics: Diagnostic[] = [];
  const objects: DesiredObject[] = [];
  if (typeof content !== 'string') {
    if (content.byteLength > MAX_MANIFEST_BYTES) {
      return { objects, diagnostics: [{ severity: 'error', code: 'file-too-large', message: `file is ${(content.byteLength / 1048576).toFixed(1)} MiB; manifests larger than 5 MiB are refused`, location: { file } }] };
    }
    if (looksBinary(content)) {
      return { objects, diagnostics: [{ severity: 'error', code: 'binary-file', message: 'file has a manifest extension but binary content', location: { file } }] };
    }
  }
  let text = typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  const fast = fastParseAll(text, MAX_NESTING_DEPTH);
  if (fast && !fast.some((d) => isPlainObject(d.value) && isListKind(d.value))) {
    // Lines are needed only up to the last document's start (a JSON file's one document starts at 0).
    const lastStart = Math.max(...fast.map((d) => d.start));
    const lc = new LineCounter();
    lc.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1 && i < lastStart; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
    const sink: Sink = { file, lc, objects, diagnostics };
    fast.forEach((d, index) => readValue(d.value, location(file, index, lc, d.start), sink));
    return { objects, diagnostics };
  }

  const lc = new LineCounter();
  let list: Document.Parsed[];
  try {
    const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter: lc });
    list = Array.isArray(docs) ? docs : [];
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    return { objects, diagnostics: [{ severity: 'error', code: 'too-deep', message: tooDeep, location: { file } }] };
  }
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // The parser records a stack overflow as an error of the document, at whatever depth the stack ran out: report it at the document's start.
      const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
      if (overflow) return void diagnostics.push({ severity: 'error', code: 'too-deep', message: tooDeep, location: location(file, index, lc, doc.range[0]) });
      // The first error is the real one; the parser's follow-ups mostly restate it.
      const err = doc.errors[0]!;
      const pos = lc.linePos(err.pos[0]);
      const key = err.code === 'DUPLICATE_KEY' ? (/^[^:\n]*/.exec(text.slice(err.pos[0]))?.[0].trim() ?? '') : '';
      const message = `invalid YAML: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}${key ? ` (${JSON.stringify(key)} appears twice)` : ''}`;
      diagnostics.push({ severity: 'error', code: 'yaml-syntax', message, location: { file, documentIndex: index, line: pos.line, column: pos.col } });
      return;
    }
    readDocument(doc, index, { file, lc, objects, diagnostics });
  });
  return { objects, diagnostics };
}

/** How deeply lists and mappings nest, without recursion; stops counting past `limit`. */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  return depthOf(value, limit);
}

interface Sink {
  readonly file: string;
  readonly lc: LineCounter;
  readonly objects: DesiredObject[];
  readonly diagnostics: Diagnostic[];
}

function readDocument(doc: Document.Parsed, index: number, sink: Sink): void {
  if (doc.contents === null) return; // empty document ("---" alone, comments only)
  let value: unknown;
  const where = location(sink.file, index, sink.lc, doc.contents.range[0]);
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const message = isStackOverflow(e) ? tooDeep : `invalid YAML: ${(e as Error).message}`;
    sink.diagnostics.push({ severity: 'error', code: isStackOverflow(e) ? 'too-deep' : 'yaml-syntax', message, location: where });
    return;
  }
  const itemsNode = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
  readValue(value, where, sink, (i) => {
    const node = isSeq(itemsNode) ? (itemsNode.items[i] as YamlNode | undefined) : undefined;
    return location(sink.file, index, sink.lc, node?.range?.[0] ?? doc.contents?.range[0]);
  });
}

/** One document's value: an object, a List's items (located by `itemAt`), or a diagnostic. */
function readValue(value: unknown, where: SourceLocation, sink: Sink, itemAt: (i: number) => SourceLocation = () => where): void {
  if (value === null || value === undefined) return;
  if (nestingDepth(value) > MAX_NESTING_DEPTH) return void sink.diagnostics.push({ severity: 'error', code: 'too-deep', message: tooDeep, location: where });
  if (!isPlainObject(value)) {
    sink.diagnostics.push({ severity: 'info', code: 'not-a-manifest', message: 'skipped: the document is not a mapping, so it is not a Kubernetes object', location: where });
    return;
  }
  if (isListKind(value)) {
    const items = Array.isArray(value.items) ? value.items : [];
    items.forEach((item, i) => addObject(item, itemAt(i), sink, `items[${i}] of the List`));
    return;
  }
  addObject(value, where, sink);
}

/** `v1/List` and the `*List` kinds kubectl prints are flattened into their items. */
function isListKind(v: Record<string, unknown>): boolean {
  return typeof v.kind === 'string' && /List$/.test(v.kind) && Array.isArray(v.items) && (v.apiVersion === 'v1' || v.kind === 'List');
}

function addObject(value: unknown, where: SourceLocation, sink: Sink, what = 'the document'): void {
  const error = (code: string, message: string): void => void sink.diagnostics.push({ severity: 'error', code, message, location: where });
  if (!isPlainObject(value)) return error('invalid-object', `${what} is not a mapping`);
  const { apiVersion, kind } = value;
  if (apiVersion === undefined && kind === undefined) {
    sink.diagnostics.push({ severity: 'info', code: 'not-a-manifest', message: `skipped: ${what} has no apiVersion and kind (values file or tool configuration?)`, location: where });
    return;
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') return error('missing-field', `${what} has kind ${JSON.stringify(kind)} but no apiVersion`);
  if (typeof kind !== 'string' || kind === '') return error('missing-field', `${what} has apiVersion ${apiVersion} but no kind`);
  const metadata = value.metadata;
  if (!isPlainObject(metadata)) return error('missing-field', `${kind} has no metadata`);
  const { namespace, generateName } = metadata;
  let { name } = metadata;
  // A hook gets its name when it runs (Argo CD's naming); any other object needs a fixed name to be compared with the cluster.
  const generated = (name === undefined || name === '') && typeof generateName === 'string' && generateName !== '' && isPlainObject(metadata.annotations) && hasHookAnnotation(metadata.annotations);
  if (generated) name = generateName;
  else if (name === undefined || name === '') {
    if (generateName !== undefined) return error('generate-name-unsupported', `${kind} uses metadata.generateName (${JSON.stringify(generateName)}) but is no hook: a plan needs a fixed name to compare with the cluster. Give it metadata.name, or make it a hook (argocd.argoproj.io/hook), which gets its name when it runs`);
    return error('missing-field', `${kind} has no metadata.name`);
  }
  if (typeof name !== 'string') return error('invalid-field', `${kind} metadata.name must be a string, got ${JSON.stringify(name)}`);
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) return error('invalid-field', `${kind} ${name}: metadata.namespace must be a non-empty string`);
  for (const field of ['labels', 'annotations'] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) return error('invalid-field', `${kind} ${name}: metadata.${field} must be a mapping of strings, got ${Array.isArray(map) ? 'a list' : JSON.stringify(map)}`);
    const bad = Object.entries(map).find(([, v]) => typeof v !== 'string');
    if (bad) return error('invalid-field', `${kind} ${name}: metadata.${field}[${JSON.stringify(bad[0])}] must be a string, got ${JSON.stringify(bad[1])} (quote it)`);
  }
  const { group, version } = parseApiVersion(apiVersion);
  const key: ResourceKey = namespace ? { group, version, kind, namespace, name } : { group, version, kind, name };
  sink.objects.push({ key, manifest: value as Manifest, source: where, ...(generated && { generateName: true as const }) });
}
