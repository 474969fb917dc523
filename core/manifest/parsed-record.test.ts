import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from './manifests.js';
import { decodeParsed, encodeParsed, PARSER_VERSION } from './parsed-record.js';

const dir = new URL('./testdata/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.golden.json')).sort();

describe('parsed records', () => {
  it.each(fixtures)('%s reads back as parseManifests gave it, at any path', (name) => {
    const bytes = readFileSync(new URL(name, dir));
    const text = encodeParsed(parseManifests(bytes, { file: 'first/place.yaml' }));
    expect(text).toBeDefined();
    expect(text).not.toContain('first/place.yaml');
    expect(decodeParsed(text!, `elsewhere/${name}`)).toEqual(parseManifests(bytes, { file: `elsewhere/${name}` }));
  });

  it.each([
    ['infinity', 'size: .inf'],
    ['NaN', 'size: .nan'],
    ['minus zero', 'size: -0.0'],
    ['binary', 'blob: !!binary aGVsbG8='],
  ])('does not record a file holding a value JSON changes (%s)', (_, value) => {
    const parsed = parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  ${value}\n`, { file: 'x.yaml' });
    expect(parsed.objects).toHaveLength(1);
    expect(encodeParsed(parsed)).toBeUndefined();
  });

  it('reads a damaged record as no record', () => {
    expect(decodeParsed('{"objects": [', 'x.yaml')).toBeUndefined();
    expect(decodeParsed('{"objects": 1, "diagnostics": []}', 'x.yaml')).toBeUndefined();
    expect(decodeParsed('null', 'x.yaml')).toBeUndefined();
  });
});

/**
 * Records are kept by PARSER_VERSION: a process must never read a record an older parser wrote
 * with other answers. This fingerprint of parseManifests' answers for the fixtures changes when
 * the parser does, and then PARSER_VERSION must change with it.
 */
describe('PARSER_VERSION', () => {
  const golden = new URL('parser-version.golden.json', dir).pathname;

  it('changes whenever parseManifests answers differently', () => {
    const hash = createHash('sha256');
    for (const name of fixtures) hash.update(`${name}\n${JSON.stringify(parseManifests(readFileSync(new URL(name, dir)), { file: name }))}\n`);
    const fingerprint = hash.digest('hex');
    const recorded = existsSync(golden) ? (JSON.parse(readFileSync(golden, 'utf8')) as { parserVersion: number; fingerprint: string }) : undefined;
    if (recorded?.fingerprint === fingerprint) return;
    if (recorded && recorded.parserVersion >= PARSER_VERSION) {
      throw new Error(`parseManifests answers differently for core/manifest/testdata, but PARSER_VERSION is still ${PARSER_VERSION}: raise it (core/manifest/parsed-record.ts), so disk caches written by this version are not read, then run with UPDATE_GOLDEN=1`);
    }
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`${golden} records another parser: run with UPDATE_GOLDEN=1 to record PARSER_VERSION ${PARSER_VERSION}`);
    writeFileSync(golden, `${JSON.stringify({ parserVersion: PARSER_VERSION, fingerprint }, null, 2)}\n`);
  });
});
