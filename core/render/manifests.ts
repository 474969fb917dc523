/**
 * Parses one manifest file (YAML multi-document or JSON) into DesiredObjects, each with its file,
 * document index and line. Pure: bytes in, objects and diagnostics out.
 *
 * YAML is read as YAML 1.1, as kubectl reads it (sigs.k8s.io/yaml on go-yaml v2): `on`/`yes` are
 * booleans, merge keys work; timestamps stay strings (go-yaml v2 decodes them as strings into
 * untyped values) and duplicate keys are errors.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode, type Tags } from 'yaml';
import type { DesiredObject, Manifest } from '../model/desired.js';
import { isPlainObject } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { parseApiVersion, type ResourceKey } from '../model/resource.js';

/** Files larger than this are refused: manifests are small, and a huge file is almost always a mistake (a dump, a binary). */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;

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

const withoutTimestamp = (tags: Tags): Tags => tags.filter((t) => (typeof t === 'string' ? t !== 'timestamp' : t.tag !== 'tag:yaml.org,2002:timestamp'));

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

  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, version: '1.1', customTags: withoutTimestamp, merge: true, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // The first error is the real one; the parser's follow-ups mostly restate it.
      const err = doc.errors[0]!;
      const pos = lc.linePos(err.pos[0]);
      diagnostics.push({ severity: 'error', code: 'yaml-syntax', message: `invalid YAML: ${err.message.split('\n')[0]}`, location: { file, documentIndex: index, line: pos.line, column: pos.col } });
      return;
    }
    readDocument(doc, index, { file, lc, objects, diagnostics });
  });
  return { objects, diagnostics };
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
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    sink.diagnostics.push({ severity: 'error', code: 'yaml-syntax', message: `invalid YAML: ${(e as Error).message}`, location: location(sink.file, index, sink.lc, doc.contents.range[0]) });
    return;
  }
  if (value === null || value === undefined) return;
  const where = location(sink.file, index, sink.lc, doc.contents.range[0]);
  if (!isPlainObject(value)) {
    sink.diagnostics.push({ severity: 'info', code: 'not-a-manifest', message: 'skipped: the document is not a mapping, so it is not a Kubernetes object', location: where });
    return;
  }
  if (isListKind(value)) {
    const itemsNode = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
    const items = Array.isArray(value.items) ? value.items : [];
    items.forEach((item, i) => {
      const node = isSeq(itemsNode) ? (itemsNode.items[i] as YamlNode | undefined) : undefined;
      addObject(item, location(sink.file, index, sink.lc, node?.range?.[0] ?? doc.contents?.range[0]), sink, `items[${i}] of the List`);
    });
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
  const { name, namespace, generateName } = metadata;
  if (name === undefined || name === '') {
    if (generateName !== undefined) return error('generate-name-unsupported', `${kind} uses metadata.generateName (${JSON.stringify(generateName)}), which Slipway does not support: a plan needs a fixed name to compare with the cluster. Give it metadata.name`);
    return error('missing-field', `${kind} has no metadata.name`);
  }
  if (typeof name !== 'string') return error('invalid-field', `${kind} metadata.name must be a string, got ${JSON.stringify(name)}`);
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) return error('invalid-field', `${kind} ${name}: metadata.namespace must be a non-empty string`);
  const { group, version } = parseApiVersion(apiVersion);
  const key: ResourceKey = namespace ? { group, version, kind, namespace, name } : { group, version, kind, name };
  sink.objects.push({ key, manifest: value as Manifest, source: where });
}
