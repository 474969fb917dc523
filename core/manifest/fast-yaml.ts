/**
 * The fast path of manifest parsing: js-yaml's event parser (three times faster than the `yaml`
 * library's document model) for the plain YAML that nearly every manifest is — block and flow
 * collections of scalars, without anchors, aliases, tags, merge keys or directives.
 *
 * The values are the ones the `yaml` library (YAML 1.1, timestamps as strings) gives: plain
 * scalars are resolved by that library's own YAML 1.1 tag resolvers, in its order. Anything
 * outside that subset, and any input js-yaml rejects, returns `undefined`, and the caller parses
 * the file with the `yaml` library as before (which also words the errors). A differential test
 * (fast-yaml.test.ts) holds the two paths to the same objects, locations and diagnostics.
 */
import { constructFromEvents, defineScalarTag, EVENT_ID, FAILSAFE_SCHEMA, NOT_RESOLVED, parseEvents, Schema, SCALAR_STYLE_PLAIN, type Event } from 'js-yaml';
import { isScalar, parseDocument, type Tags } from 'yaml';

/** One document of a file: its value and the offset where its content starts. */
export interface FastDocument {
  readonly value: unknown;
  readonly start: number;
}

const withoutTimestamp = (tags: Tags): Tags => tags.filter((t) => (typeof t === 'string' ? t !== 'timestamp' : t.tag !== 'tag:yaml.org,2002:timestamp'));

/** The options manifests are parsed with by the `yaml` library (manifests.ts). */
/** logLevel 'error': the library never prints a warning (a template's `{{ … }}` key) on the user's terminal; what matters becomes a diagnostic. */
export const YAML_OPTIONS = { version: '1.1', customTags: withoutTimestamp, merge: true, uniqueKeys: true, prettyErrors: false, logLevel: 'error' } as const;

interface PlainResolver {
  readonly test: RegExp;
  readonly resolve: (source: string) => unknown;
}

/** The `yaml` library's resolvers of untagged plain scalars under YAML_OPTIONS, in the order it tries them. */
function plainResolvers(): PlainResolver[] {
  const doc = parseDocument('', YAML_OPTIONS);
  const options = doc.options;
  const resolvers: PlainResolver[] = [];
  for (const tag of doc.schema.tags) {
    if (tag.default !== true || !tag.test || 'collection' in tag) continue;
    const { test, resolve } = tag;
    resolvers.push({
      test,
      resolve: (source) => {
        const v: unknown = resolve(source, (message) => {
          throw new Error(message);
        }, options);
        return isScalar(v) ? v.value : v;
      },
    });
  }
  return resolvers;
}

const resolvers = plainResolvers();

/** Plain scalars: the first `yaml` resolver whose pattern matches, else a string (as js-yaml's default). */
const plainTag = defineScalarTag('tag:slipway.dev,2026:plain', {
  implicit: true,
  implicitFirstChars: null,
  resolve: (source) => {
    for (const r of resolvers) if (r.test.test(source)) return r.resolve(source);
    return NOT_RESOLVED;
  },
  identify: () => false,
});

const schema = new Schema([...FAILSAFE_SCHEMA.tags, plainTag]);

/** Plain keys the `yaml` library turns into other strings than js-yaml does (null → "" there, "null" here). */
const NULL_KEY = /^(?:~|[Nn]ull|NULL)?$/;

const DOCUMENT_END = /^\.\.\.(?:[ \t\r\n]|$)/m;
const ESCAPED_BREAK_BEFORE_EMPTY_LINE = /\\\n[ \t]*\n/;
const TAB_INDENT = /^ *\t/m;
const COMMENT_AT_LINE_START = /^#/m;
const OPEN_FLOW_AT_LINE_END = /[[{][^\n\]}]*$/m;
const INDENTED_MARKER = /^[ \t]+(?:---|\.\.\.)(?:[ \t\r\n]|$)/m;

/** How deeply lists and mappings nest, without recursion; stops counting past `limit`. */
export function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return max;
}

/** Characters YAML reads differently from JSON inside a quoted string (line breaks of YAML 1.1, non-printables), and exponents (YAML 1.1 floats need a dot). */
const JSON_ONLY_HAZARDS = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\d[eE][-+]?\d/;

/**
 * A file that is one JSON object as machines print it (`kubectl get -o json`, jq, JSON.stringify
 * with any indent): read with JSON.parse, as kubectl's YAML-or-JSON decoder reads text starting
 * with "{". Taken only when printing the value again gives back the text exactly — no duplicate
 * keys, no number or escape spelled another way — and nothing in it reads differently as YAML;
 * anything else goes the YAML way, which also words the errors.
 */
export function machineJson(text: string, maxDepth: number): FastDocument[] | undefined {
  if (text.charCodeAt(0) !== 0x7b || JSON_ONLY_HAZARDS.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depthOf(value, maxDepth) > maxDepth) return undefined;
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const indent = /^\{\n( +)"/.exec(body)?.[1]?.length ?? 0;
  return JSON.stringify(value, null, indent) === body ? [{ value, start: 0 }] : undefined;
}

/**
 * The documents of `text`, or `undefined` when the text needs the full parser: anchors, aliases,
 * tags, `<<` merge keys, directives, a null or collection mapping key, a document that is not
 * a mapping (or empty), or anything js-yaml reports as an error.
 */
export function fastParseAll(text: string, maxDepth: number): FastDocument[] | undefined {
  const json = machineJson(text, maxDepth);
  if (json) return json;
  // Where the two libraries were seen to differ (fast-yaml.test.ts): a byte order mark inside the
  // text; carriage returns (js-yaml takes a lone one as a line break, and misreads some CRLF lines);
  // `...` document ends (counted differently); tabs in indentation and indented `---` (js-yaml is
  // more lenient); an escaped line break before an empty line in a double-quoted string.
  if (text.includes('\ufeff') || text.includes('\r') || DOCUMENT_END.test(text) || TAB_INDENT.test(text) || INDENTED_MARKER.test(text) || ESCAPED_BREAK_BEFORE_EMPTY_LINE.test(text)) return undefined;
  // A comment in the first column inside a flow collection that spans lines: the `yaml` library rejects some.
  if (COMMENT_AT_LINE_START.test(text) && OPEN_FLOW_AT_LINE_END.test(text)) return undefined;
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth });
  } catch {
    return undefined;
  }
  const starts: number[] = [];
  /** Per open collection: -1 for a sequence, else the number of nodes seen in the mapping (even: the next is a key). */
  const frames: number[] = [];
  let awaitingRoot = false;
  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (e.directives.length > 0) return undefined;
        awaitingRoot = true;
        frames.length = 0;
        continue;
      case EVENT_ID.POP:
        frames.pop();
        continue;
      case EVENT_ID.ALIAS:
        return undefined;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (e.anchorStart !== -1 || e.tagStart !== -1) return undefined;
        const top = frames.length - 1;
        if (top >= 0 && frames[top]! >= 0 && frames[top]!++ % 2 === 0) return undefined; // a collection as a key
        if (awaitingRoot) {
          if (e.type !== EVENT_ID.MAPPING) return undefined;
          starts.push(e.start);
          awaitingRoot = false;
        }
        frames.push(e.type === EVENT_ID.MAPPING ? 0 : -1);
        continue;
      }
      case EVENT_ID.SCALAR: {
        if (e.anchorStart !== -1 || e.tagStart !== -1 || awaitingRoot) return undefined;
        const top = frames.length - 1;
        const isKey = top >= 0 && frames[top]! >= 0 && frames[top]!++ % 2 === 0;
        if (e.style !== SCALAR_STYLE_PLAIN) continue;
        const source = e.valueStart === -1 ? '' : text.slice(e.valueStart, e.valueEnd);
        if (source === '<<' || (isKey && NULL_KEY.test(source))) return undefined;
        continue;
      }
    }
  }
  if (awaitingRoot || starts.length === 0) return undefined; // no document, or an empty last one: the `yaml` library decides how it counts
  let values: unknown[];
  try {
    values = constructFromEvents(events, { source: text, schema, maxAliases: 0 });
  } catch {
    return undefined;
  }
  if (values.length !== starts.length) return undefined;
  return values.map((value, i) => ({ value, start: starts[i]! }));
}
