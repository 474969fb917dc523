/**
 * The fast path (js-yaml events) against the reference (the `yaml` library, YAML 1.1, as
 * manifests were always read): whenever the fast path answers, the reference must read the same
 * text without error into the same values — same types, same keys in the same order — with each
 * document starting at the same offset. Hand-picked YAML 1.1 corner cases, generated documents
 * in every style the two libraries write, and random edits of valid YAML (where a more lenient
 * fast path would show up as an answer the reference rejects).
 */
import fc from 'fast-check';
import { dump } from 'js-yaml';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { propertyTimeout } from '../../test/support/timeouts.js';
import { fastParseAll, machineJson, YAML_OPTIONS } from './fast-yaml.js';
import { MAX_NESTING_DEPTH, parseManifests } from './manifests.js';

/** Values with their exact types: -0, NaN, Uint8Array and key order all show. */
function typed(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? '<-0>' : Number.isNaN(v) ? '<NaN>' : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(typed);
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return `<${(v as object).constructor?.name ?? 'object'}>`;
  return Object.entries(v).map(([k, x]) => [k, typed(x)]);
}

/** The reference's reading of `text`, or undefined if it reports any error. */
function reference(text: string): { value: unknown; start: number | undefined }[] | undefined {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
  return docs.map((d) => ({ value: d.toJS({ maxAliasCount: 100 }), start: d.contents?.range[0] }));
}

/** The property: the fast path answers only what the reference answers. Returns whether it answered. */
function agrees(text: string): boolean {
  const fast = fastParseAll(text, MAX_NESTING_DEPTH);
  if (fast === undefined) return false;
  const ref = reference(text);
  expect(ref, `the reference rejects what the fast path read:\n${text}`).toBeDefined();
  expect(fast.map((d) => typed(d.value)), text).toEqual(ref!.map((d) => typed(d.value)));
  expect(fast.map((d) => d.start), text).toEqual(ref!.map((d) => d.start));
  return true;
}

const SCALARS = [
  'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'false', 'tRUE',
  '~', 'null', 'Null', 'NULL', 'nULL', '', '0', '-0', '+0', '00', '0777', '0o17', '08', '0x1F', '0x_1F', '0b1010', '0b_1', '1_000', '+12', '-12',
  '190:20:30', '1:2', '12:60', '190:20:30.15', '1.5', '1.', '.5', '.', '1.5e3', '1e3', '1E+3', '-1.5e-3', '1_0.5', '.inf', '-.Inf', '+.INF', '.nan', '.NaN',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '12:30', '1.2.3', 'v1', '9007199254740993', '1e400', '0x', '0b', '-', '--',
  'http://example.com:8080/x', 'a:b', 'a #b', "it's", 'é', '😀', 'a\tb', '=', '<<<',
];

const handPicked: string[] = [
  ...SCALARS.map((s) => `apiVersion: v1\nkind: ConfigMap\ndata:\n  plain: ${s}\n  list: [${s}]\n  flow: {k: ${s}}\n  ${/^(~|null|Null|NULL|)$/.test(s) ? 'nullish' : s}: key\n`),
  ...SCALARS.map((s) => `a: '${s.replace(/'/g, "''")}'\nb: ${JSON.stringify(s)}\n`),
  'a: |\n  line 1\n   line 2\n\n  last\nb: x\n',
  'a: |-\n  x\n\nb: |+\n  y\n\n\nc: >\n  folded\n  text\n\n  para\nd: >-\n  e\n   more\n',
  'a: |2\n    indented\n  x\nb: >1\n  z\n',
  'a: multi\n  line\n   plain\n\n  with gap\nb: 1\n',
  'a: "double \\t\\n\\x41\\u263A\\U0001F600 \\/ \\\\ \\" end\\\n   continued"\n',
  "a: 'single ''quoted''\n  folded'\n",
  'a: "multi\n  line\n\n  double"\n',
  'a: {\n  b: x\n# c\n  }\n',
  '# c\na: [1, "two", {three: 3}, [4, [5]], ]\nb: {x: [], y: {}, z: }\n',
  'a:\n- 1\n- - 2\n  - 3\n- k: v\n  l: w\n',
  '# leading comment\n\napiVersion: v1 # trailing\n# between\nkind: ConfigMap\n',
  '---\na: 1\n',
  '--- # comment\na: 1\n...\n---\nb: 2\n',
  'a: 1\n---\nb: 2\n---\n',
  '\n\n\n  a: 1\n  b: 2\n',
  'a: 1\r\nb:\r\n  - x\r\n  - y\r\nc: |\r\n  text\r\n',
  'a:\tb\nc: d\t\n',
  'a:\n\tb: c\n',
  '__proto__: {polluted: yes}\nconstructor: x\ntoString: y\nhasOwnProperty: z\n',
  '"__proto__": 1\n',
  'key with spaces: 1\n"quoted: key": 2\n\'single\': 3\n? explicit\n: value\n',
  'a: 1\na: 2\n',
  'yes: 1\ntrue: 2\n',
  '1: a\n"1": b\n',
  'on: 1\n"true": 2\n',
  '~: x\n',
  'null: x\n',
  ': x\n',
  '[a]: x\n',
  '{a: 1}: x\n',
  'a: &x 1\nb: *x\n',
  'base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n',
  'm:\n  <<: {x: 1}\n',
  'a: !!str 1\n',
  'a: !custom x\n',
  'a: !!binary aGVsbG8=\n',
  '%YAML 1.1\n---\na: 1\n',
  '%TAG !e! tag:example.com,2000:\n---\na: 1\n',
  'a: "unterminated\n',
  'a: [1, 2\n',
  'a: b: c\n',
  '  a: 1\n b: 2\n',
  '- a\n- b\n',
  'just a string\n',
  '42\n',
  '',
  '# only a comment\n',
  '---\n',
  'a: 1\n...\n',
  'a: 1\n--- |\n  block document\n',
  'items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\napiVersion: v1\nkind: List\n',
  `a: ${'x'.repeat(5000)}\n`,
  `${'a:\n '.repeat(50)}b: 1\n`,
  'a: "\\e\\0\\a\\b\\v\\f\\r\\N\\_\\L\\P"\n',
  'a: "\\q"\n',
  "a: 'x\\ny'\n",
  'a: -1\nb: - 1\n',
  'a: @x\n',
  'a: `x`\n',
  'a: %x\n',
  'a: x%\n',
  'a: |\n  # not a comment\n',
  'a: >\n\n  leading blank\n',
  'a:\n  - |\n    in a list\n  - >-\n    folded\n',
  'a: {b: [c, {d: e}], "f": \'g\'}\n',
  'a: [a: b]\n',
  'a: {? b : c}\n',
  'a: [? b : c]\n',
  'a: {b}\n',
  'a: {b: }\n',
  'a: [b, ]\n',
  'a: { }\n',
  'a: "x" # c\n',
  "a: 'x'#c\n",
  'a: x#c\n',
  'a:  x  \n',
  'a: "\n"\n',
  'a:\n  b:\n  c:\n',
  'a: !!null ""\n',
  '\ufeffa: 1\n',
  'a: 1\n\ufeff---\nb: 2\n',
  'a: "x\\\n  y"\n',
  'a: 0.1\nb: 1.0\nc: 1.10\nd: 100.\n',
  'a: 123456789012345678901234567890\n',
  'a: 0b2\nb: 0o8\nc: 0xg\n',
  'a: 1_\nb: _1\nc: 1__0\n',
  'a: 1:60\nb: 1:5\nc: -1:30\n',
];

describe('fastParseAll against the yaml library', () => {
  it('agrees on hand-picked YAML 1.1 corner cases, and answers for the common ones', () => {
    let answered = 0;
    for (const text of handPicked) if (agrees(text)) answered++;
    // Most of the list is plain manifests: a fast path that gave up on everything would pass the rest.
    expect(answered).toBeGreaterThan(handPicked.length / 2);
    for (const quoted of handPicked.slice(SCALARS.length, SCALARS.length * 2)) expect(fastParseAll(quoted, MAX_NESTING_DEPTH), quoted).toBeDefined();
    const plain = handPicked.slice(0, SCALARS.length).filter((text) => fastParseAll(text, MAX_NESTING_DEPTH) !== undefined);
    expect(plain.length).toBeGreaterThan(SCALARS.length * 0.8);
  });

  it('gives up where it must: anchors, aliases, tags, merge keys, directives, null and collection keys, errors', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'm:\n  <<: {x: 1}\n', 'a: !!str 1\n', '%YAML 1.1\n---\na: 1\n', '~: x\n', '[a]: x\n', 'a: 1\na: 2\n', 'a: [1, 2\n', '- a\n', 'text\n', ''])
      expect(fastParseAll(text, MAX_NESTING_DEPTH), text).toBeUndefined();
  });

  const key = fc.oneof(fc.constantFrom(...SCALARS.filter((s) => !/^(~|null|Null|NULL|)$/.test(s)), 'apiVersion', 'kind', 'metadata', 'name', 'a b', 'x: y', '- z', '#c'), fc.string({ minLength: 1, maxLength: 8 }));
  const leaf = fc.oneof(fc.constantFrom(...SCALARS), fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('multi\nline\n', ' lead', 'trail ', 'a\n\nb', '\ttab', 'long '.repeat(30)));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
  }));
  const doc = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 });

  const writers: [string, (v: unknown) => string][] = [
    ['yaml block', (v) => stringify(v)],
    ['yaml flow', (v) => stringify(v, { collectionStyle: 'flow' })],
    ['yaml double-quoted, narrow', (v) => stringify(v, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 20, minContentWidth: 5 })],
    ['yaml single-quoted, literal blocks', (v) => stringify(v, { defaultStringType: 'QUOTE_SINGLE', blockQuote: 'literal', indent: 4, indentSeq: false })],
    ['yaml folded blocks, 1.1', (v) => stringify(v, { blockQuote: 'folded', lineWidth: 30, version: '1.1' })],
    ['js-yaml', (v) => dump(v, { lineWidth: 40 })],
    ['js-yaml flow', (v) => dump(v, { flowLevel: 1 })],
    ['JSON', (v) => JSON.stringify(v, null, 2)],
    ['multi-document', (v) => `# c\n${stringify(v)}---\n${dump(v)}--- # c\n${JSON.stringify(v)}\n`],
  ];

  it.each(writers)('agrees on generated documents written as %s', (_name, write) => {
    let answered = 0;
    fc.assert(
      fc.property(doc, (v) => {
        let text: string;
        try {
          text = write(v);
        } catch {
          return; // a writer that cannot write this value
        }
        if (agrees(text)) answered++;
      }),
      { numRuns: 250 },
    );
    expect(answered).toBeGreaterThan(50);
  }, propertyTimeout(250));

  /** FUZZ_RUNS searches longer by hand; the timeout grows with it. */
  const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
  const EDITS = [':', ' ', '  ', '\n', '-', '- ', '#', "'", '"', '[', ']', '{', '}', ',', '|', '>', '?', '\t', '\\', '!', '&', '*', '%', '@', '`', '---\n', '...\n', 'x', '0', '.', '\r\n'];
  it('never answers where the reference reports an error, on random edits of valid YAML', () => {
    const edited = fc
      .tuple(doc, fc.constantFrom(...writers.map(([, w]) => w)), fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom(...EDITS)), { minLength: 1, maxLength: 4 }))
      .map(([v, write, edits]) => {
        let text = write(v);
        for (const [at, op, s] of edits) {
          const i = text.length === 0 ? 0 : at % text.length;
          text = op === 0 ? text.slice(0, i) + s + text.slice(i) : op === 1 ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + s + text.slice(i + 1);
        }
        return text;
      });
    let answered = 0;
    fc.assert(
      fc.property(edited, (text) => {
        if (agrees(text)) answered++;
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(answered).toBeGreaterThan(100);
  }, propertyTimeout(FUZZ_RUNS));

  it('reads machine-printed JSON (compact or any indent) with JSON.parse, agreeing with the reference', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('\u2028', '\u0085', '\u007f', 'é', '😀', '\\/', 'on', 'null', '1e5', '__proto__'));
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(text, tie('v'), { maxKeys: 4 })),
    })).v;
    let viaJson = 0;
    fc.assert(
      fc.property(fc.dictionary(text, value, { minKeys: 1, maxKeys: 6 }), fc.constantFrom(0, 2, 3, 4), fc.boolean(), (v, indent, newline) => {
        const printed = `${JSON.stringify(v, null, indent)}${newline ? '\n' : ''}`;
        if (machineJson(printed, MAX_NESTING_DEPTH)) viaJson++;
        agrees(printed);
      }),
      { numRuns: 1000 },
    );
    expect(viaJson).toBeGreaterThan(150);
  }, propertyTimeout(1000));

  it.each([
    ['a duplicate key', '{\n  "a": 1,\n  "a": 2\n}'],
    ['another spacing than JSON.stringify', '{ "a": 1 }'],
    ['a number spelled another way', '{"a":1.0}'],
    ['an exponent (a string in YAML 1.1)', '{"a":1e+21}'],
    ['an escape spelled another way', '{"a":"\\u0041"}'],
    ['a YAML 1.1 line break in a string', '{"a":"x\u2028y"}'],
    ['not an object', '[1]'],
    ['a leading comment', '# c\n{"a":1}'],
    ['trailing text', '{"a":1}\n---\n{"b":2}\n'],
  ])('leaves JSON to the YAML reading when it has %s', (_, json) => {
    expect(machineJson(json, MAX_NESTING_DEPTH)).toBeUndefined();
    agrees(json);
  });

  it('reads a deeply nested JSON file the YAML way, which reports it', () => {
    const deep = `{"a":${'['.repeat(MAX_NESTING_DEPTH + 5)}${']'.repeat(MAX_NESTING_DEPTH + 5)}}`;
    expect(machineJson(deep, MAX_NESTING_DEPTH)).toBeUndefined();
    expect(parseManifests(deep, { file: 'deep.json' }).diagnostics.map((d) => d.code)).toEqual(['too-deep']);
  });

  it('gives parseManifests the same objects, locations and diagnostics as the reference path', () => {
    // A List needs its items located, so it goes the reference way; a plain manifest the fast way.
    const text = '# c\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {on: yes}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';
    expect(fastParseAll(text, MAX_NESTING_DEPTH)).toBeDefined();
    const { objects, diagnostics } = parseManifests(text, { file: 'f.yaml' });
    expect(diagnostics).toEqual([{ severity: 'error', code: 'invalid-field', message: 'ConfigMap a: metadata.labels["true"] must be a string, got true (quote it)', location: { file: 'f.yaml', documentIndex: 0, line: 3, column: 1 } }]);
    expect(objects.map((o) => [o.key.name, o.source])).toEqual([['b', { file: 'f.yaml', documentIndex: 1, line: 9, column: 1 }]]);
  });
});
