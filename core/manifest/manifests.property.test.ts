/**
 * Properties of manifest loading (fast-check): on any text, any JSON value written as JSON or as
 * YAML, parseManifests returns objects and diagnostics — it never throws and never takes long.
 * Generated inputs are small (text up to 500 characters), so a parse costs microseconds to a few
 * ms; a blow-up (alias expansion, backtracking) shows in CPU time, which other processes do not add to.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { propertyTimeout } from '../../test/support/timeouts.js';
import { parseManifests } from './manifests.js';

/** Well above a normal parse (microseconds to a few ms of CPU), far below a hang. */
const MAX_CPU_MS = 2000;

/** CPU time of this process in ms: unlike the wall clock, a busy machine does not stretch it. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function boundedParse(content: string | Uint8Array): ReturnType<typeof parseManifests> {
  const started = cpuMs();
  const result = parseManifests(content, { file: 'prop.yaml' });
  const spent = cpuMs() - started;
  if (spent > MAX_CPU_MS) throw new Error(`parseManifests used ${spent.toFixed(0)} ms of CPU on ${content.length} characters or bytes`);
  return result;
}

/** Every object it returns names its file and carries what the key says. */
function wellFormed(result: ReturnType<typeof parseManifests>): void {
  for (const o of result.objects) {
    expect(o.source.file).toBe('prop.yaml');
    expect(o.manifest.kind).toBe(o.key.kind);
    expect(typeof o.key.name).toBe('string');
  }
  for (const d of result.diagnostics) expect(d.message.length).toBeGreaterThan(0);
}

/** Text that looks like YAML more often than uniform noise does. */
const yamlish = fc
  .array(fc.oneof(fc.string(), fc.constantFrom('---\n', '\n', ': ', '- ', '  ', '[', ']', '{', '}', '&a ', '*a', '<<: ', '!!binary ', '? ', '|\n', '>-\n', '"', "'", '#', 'apiVersion: v1\n', 'kind: ConfigMap\n', 'metadata:\n  name: x\n', '%YAML 1.1\n', '\t', '\u0000', '\ufeff')), { maxLength: 60 })
  .map((parts) => parts.join(''));

const manifestLike = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom('v1', 'apps/v1', 'example.com/v1'), fc.jsonValue()),
    kind: fc.oneof(fc.constantFrom('ConfigMap', 'Secret', 'List', 'Namespace'), fc.jsonValue()),
    metadata: fc.oneof(fc.record({ name: fc.oneof(fc.string(), fc.jsonValue()), namespace: fc.jsonValue(), labels: fc.jsonValue() }, { requiredKeys: [] }), fc.jsonValue()),
    data: fc.jsonValue(),
    items: fc.array(fc.jsonValue(), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('parseManifests (properties)', () => {
  it('never throws and never hangs on arbitrary text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 500 }), yamlish), (text) => wellFormed(boundedParse(text))), { numRuns: 500 });
  }, propertyTimeout(500));

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => wellFormed(boundedParse(bytes))), { numRuns: 300 });
  }, propertyTimeout(300));

  it.each([
    ['JSON', (v: unknown) => JSON.stringify(v)],
    ['YAML', (v: unknown) => stringify(v)],
    ['multi-document YAML', (v: unknown) => `${stringify(v)}---\n${stringify(v)}`],
  ])('never throws on JSON-like values written as %s', (_what, write) => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), manifestLike), (value) => wellFormed(boundedParse(write(value)))), { numRuns: 300 });
  }, propertyTimeout(300));

  it('reads back exactly the manifest it was given as JSON', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const manifest = fc.record({
      apiVersion: fc.constantFrom('v1', 'apps/v1'),
      kind: fc.constantFrom('ConfigMap', 'Deployment'),
      metadata: fc.record({ name: fc.string({ minLength: 1 }), labels: fc.dictionary(fc.string(), fc.string()) }),
      spec: fc.dictionary(fc.string(), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }))),
    });
    fc.assert(
      fc.property(manifest, (m) => {
        const { objects, diagnostics } = boundedParse(JSON.stringify(m));
        expect(diagnostics).toEqual([]);
        expect(objects.map((o) => o.manifest)).toEqual([m]);
      }),
      { numRuns: 300 },
    );
  }, propertyTimeout(300));
});
