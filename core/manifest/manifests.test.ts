import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectGoldenJson } from '../../test/support/golden.js';
import { MAX_MANIFEST_BYTES, MAX_NESTING_DEPTH, nestingDepth, parseManifests } from './manifests.js';

const dir = new URL('./testdata/', import.meta.url);
const fixtures = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.golden.json')).sort();

describe('parseManifests', () => {
  it.each(fixtures)('%s', (name) => {
    const { objects, diagnostics } = parseManifests(readFileSync(new URL(name, dir)), { file: `manifests/${name}` });
    expectGoldenJson(new URL(`${name}.golden.json`, dir).pathname, { objects, diagnostics });
  });

  it('refuses a file over 5 MiB', () => {
    const big = new Uint8Array(MAX_MANIFEST_BYTES + 1).fill(0x20);
    expect(parseManifests(big, { file: 'big.yaml' }).diagnostics).toEqual([
      { severity: 'error', code: 'file-too-large', message: 'file is 5.0 MiB; manifests larger than 5 MiB are refused', location: { file: 'big.yaml' } },
    ]);
  });

  it('refuses binary content with a manifest extension', () => {
    const bin = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]);
    expect(parseManifests(bin, { file: 'logo.yaml' })).toEqual({
      objects: [],
      diagnostics: [{ severity: 'error', code: 'binary-file', message: 'file has a manifest extension but binary content', location: { file: 'logo.yaml' } }],
    });
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    const { diagnostics } = parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n${lines.join('\n')}\n`, { file: 'bomb.yaml' });
    expect(diagnostics).toMatchObject([{ severity: 'error', code: 'yaml-syntax' }]);
  });

  const deepFlow = (depth: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  const deepBlock = (depth: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nspec:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 1)}a:\n`).join('')}${' '.repeat(depth + 1)}leaf: 1\n`;

  it.each([
    ['flow', deepFlow, MAX_NESTING_DEPTH],
    ['flow', deepFlow, 5000],
    ['flow', deepFlow, 100_000],
    ['block', deepBlock, MAX_NESTING_DEPTH],
    ['block', deepBlock, 2000],
  ])('refuses %s nesting %i levels deep with one error at the document, never a stack overflow', (_style, make, depth) => {
    expect(parseManifests(make(depth), { file: 'deep.yaml' })).toEqual({
      objects: [],
      diagnostics: [{ severity: 'error', code: 'too-deep', message: `the document is nested more than ${MAX_NESTING_DEPTH} levels deep; Slipway refuses it (a generated or corrupted file?)`, location: { file: 'deep.yaml', documentIndex: 0, line: 1, column: 1 } }],
    });
  });

  it('accepts nesting up to the limit', () => {
    // The object itself and data are two levels: the flow lists fill the rest.
    const { objects, diagnostics } = parseManifests(deepFlow(MAX_NESTING_DEPTH - 2), { file: 'deep.yaml' });
    expect(diagnostics).toEqual([]);
    expect(nestingDepth(objects[0]!.manifest)).toBe(MAX_NESTING_DEPTH);
  });

  it.each([
    [null, 0],
    ['x', 0],
    [{}, 1],
    [[[], { a: [1] }], 3],
  ])('nestingDepth(%j) is %i', (value, depth) => {
    expect(nestingDepth(value)).toBe(depth);
  });
});
