/**
 * In-process SOPS decryption (core/render/sops-age.ts, sops-tree.ts) against the real sops, on
 * documents fast-check makes up: each is encrypted by sops with a random crypt rule (and
 * mac_only_encrypted or not), sometimes edited afterwards as a person or a tool might, then
 * decrypted both ways — `sops decrypt` on the JSON Slipway hands it, and decryptInProcess — which
 * must give the same object in the same key order, or fail the same way. No cluster is used.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifests } from '../../core/manifest/manifests.js';
import type { SlipwayError } from '../../core/model/diagnostics.js';
import { loadAgeIdentities, type AgeIdentities } from '../../core/render/sops-age.js';
import { classifySopsFailure, decryptInProcess, type SopsFailure } from '../../core/render/sops.js';
import { ensureSopsTools, type SopsTools } from '../cluster/sops-tools.js';

const tmp = mkdtempSync(join(tmpdir(), 'slipway-sops-inprocess-'));
let tools: SopsTools;
let keyFile: string;
let recipient: string;
let identities: Promise<AgeIdentities>;

beforeAll(async () => {
  tools = await ensureSopsTools((m) => console.log(m));
  mkdirSync(join(tmp, 'home'));
  keyFile = join(tmp, 'age-key.txt');
  spawnSync(tools.ageKeygen, ['-o', keyFile], { stdio: 'ignore' });
  recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))![1]!;
  identities = loadAgeIdentities({ HOME: join(tmp, 'home'), SOPS_AGE_KEY_FILE: keyFile });
}, 1_200_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Keys the rules look at, and any others. */
const key = fc.oneof(fc.constantFrom('data', 'stringData', 'password_secret', 'user_plain', 'x_unencrypted', 'name', 'a', 'b', '1', '__proto__'), fc.string({ minLength: 1, maxLength: 6 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }));
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
}));

const RULES: readonly (readonly string[])[] = [[], ['--encrypted-regex', '^(data|stringData)$'], ['--unencrypted-regex', '^(metadata|kind|apiVersion)$'], ['--encrypted-suffix', '_secret'], ['--unencrypted-suffix', '_plain']];
type Edit = 'none' | 'label' | 'first-plain-string' | 'swap-first-two';

const doc = fc.record({
  data: fc.dictionary(key, tree, { maxKeys: 5 }),
  stringData: fc.option(fc.dictionary(key, tree, { maxKeys: 3 }), { nil: undefined }),
  rule: fc.constantFrom(...RULES),
  macOnly: fc.boolean(),
  edit: fc.constantFrom<Edit>('none', 'none', 'none', 'label', 'first-plain-string', 'swap-first-two'),
});

/** An edit of the encrypted JSON text, as a person or a kustomize transformer might make it. */
function edit(encrypted: Record<string, unknown>, how: Edit): Record<string, unknown> {
  if (how === 'none') return encrypted;
  if (how === 'label') return { ...encrypted, metadata: { ...(encrypted.metadata as object), labels: { team: 'payments' } } };
  const text = JSON.stringify(encrypted);
  if (how === 'first-plain-string') return JSON.parse(text.replace(/"(name|a|b)":"(?!ENC\[)([^"\\]*)"/, '"$1":"$2-edited"')) as Record<string, unknown>;
  const encs = [...text.matchAll(/"ENC\[AES256_GCM,[^"]*\]"/g)].map((m) => m[0]).filter((e) => !e.includes('type:comment'));
  if (encs.length < 2 || encs[0] === encs[1]) return encrypted;
  return JSON.parse(text.replace(encs[0]!, '\u0000').replace(encs[1]!, encs[0]!).replace('\u0000', encs[1]!)) as Record<string, unknown>;
}

type Outcome = { readonly decrypted: string } | { readonly failure: SopsFailure };
const FAILURE_OF_CODE: Readonly<Record<string, SopsFailure>> = { 'sops-no-key': 'no-key', 'sops-mac-mismatch': 'mac-mismatch', 'sops-failed': 'other' };

describe('in-process SOPS decryption against the real sops', () => {
  it(
    'gives what `sops decrypt` gives, or fails as it fails, for made-up documents, rules and edits',
    async () => {
      let n = 0;
      let decrypted = 0;
      await fc.assert(
        fc.asyncProperty(doc, async (d) => {
          const dir = join(tmp, `case-${n++}`);
          mkdirSync(dir);
          const plain = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `case-${n}` }, data: d.data, ...(d.stringData && { stringData: d.stringData }) };
          writeFileSync(join(dir, 'plain.json'), JSON.stringify(plain));
          const env = { PATH: process.env.PATH ?? '', HOME: join(tmp, 'home') };
          const enc = spawnSync(tools.sops, [...(d.macOnly ? ['--mac-only-encrypted'] : []), 'encrypt', '--age', recipient, ...d.rule, join(dir, 'plain.json')], { cwd: dir, env, encoding: 'utf8' });
          expect(enc.status, enc.stderr).toBe(0);
          const edited = edit(JSON.parse(enc.stdout) as Record<string, unknown>, d.edit);
          const parsed = parseManifests(JSON.stringify(edited), { file: 'case.json' });
          expect(parsed.objects).toHaveLength(1);
          const object = parsed.objects[0]!;

          const bin = spawnSync(tools.sops, ['decrypt', '--input-type', 'json', '--output-type', 'json'], { cwd: dir, env: { ...env, SOPS_AGE_KEY_FILE: keyFile }, input: JSON.stringify(object.manifest), encoding: 'utf8' });
          const binary: Outcome = bin.status === 0 ? { decrypted: JSON.stringify(JSON.parse(bin.stdout)) } : { failure: classifySopsFailure(bin.status, bin.stderr) };
          const inProcess: Outcome | 'binary' = await decryptInProcess(object, () => identities).then(
            (r) => (r === 'binary' ? r : { decrypted: JSON.stringify(r.manifest) }),
            (e: SlipwayError) => ({ failure: FAILURE_OF_CODE[e.code] ?? (e.code as SopsFailure) }),
          );
          expect(inProcess, `sops said: ${bin.stderr.trim().split('\n').at(-1)}`).toEqual(binary);
          if ('decrypted' in binary) decrypted++;
        }),
        { numRuns: 60, endOnFailure: true },
      );
      // Most cases decrypt: the property is not only about failures.
      expect(decrypted).toBeGreaterThan(20);
    },
    600_000,
  );
});
