/**
 * Regenerates core/render/testdata/sops/: files encrypted by the real sops (ensureSopsTools) with
 * test-only age keys, and for each the result of the path Slipway had before in-process decryption:
 * the object as parseManifests reads it, as JSON on the stdin of `sops decrypt --input-type json
 * --output-type json`. sops' output is the golden; a failure is recorded with sops' exit code and
 * the class Slipway gives it (classifySopsFailure). core/render/sops-inprocess.test.ts checks the
 * in-process path against every case, without running sops.
 *
 * Usage: npx tsx test/cluster/gen-sops-fixtures.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '../../core/manifest/manifests.js';
import { classifySopsFailure } from '../../core/render/sops.js';
import { ensureSopsTools } from './sops-tools.js';

const out = fileURLToPath(new URL('../../core/render/testdata/sops/', import.meta.url));

/** Every value type sops writes, nested maps, arrays (of scalars, maps and arrays), null, "", comments, unicode. */
const TYPES = `apiVersion: v1
kind: ConfigMap
metadata:
  name: types
  labels:
    app: demo
data:
  # a comment sops encrypts too (outside the MAC)
  text: hello, world
  empty: ""
  unicode: "grüße, 世界 🚀"
  multiline: |
    line one
    line two
  int: 42
  negative: -7
  float: 1.5
  tiny: 0.000001
  beyond_doubles: 9007199254740993
  on_flag: true
  off_flag: false
  nothing: null
  list:
    - a
    - 2
    - 2.5
    - false
    - nested: [x, y]
    - [deep, [deeper]]
  map:
    inner:
      key: value
  plain_unencrypted: left as is
  count_unencrypted: 3
  ratio_unencrypted: 0.25
  big_unencrypted: 1.0e+21
  flag_unencrypted: true
`;

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
  labels:
    tier: backend
type: Opaque
stringData:
  password: correct horse battery staple
  port: "5432"
data:
  token: c2VjcmV0LXRva2Vu
`;

const SUFFIXES = `apiVersion: v1
kind: Secret
metadata:
  name: suffixes
stringData:
  user_plain: admin
  password_secret: s3cret
  nested_secret:
    a: 1
    b: [x, y]
  note: visible
`;

/** A small Secret: two values, everything encrypted (the default rule). */
const SMALL = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: small\nstringData:\n  a: one\n  b: two\n';

interface Case {
  readonly name: string;
  readonly why: string;
  /** The plaintext, and sops' flags (before and after `encrypt`). */
  readonly plain: string;
  readonly ext?: 'yaml' | 'json';
  readonly global?: readonly string[];
  readonly flags?: readonly string[];
  /** .sops.yaml for the rules only a config can give (key groups, comment regexes). */
  readonly config?: (recipients: Recipients) => string;
  /** Recipients: the test key (default), or others too. */
  readonly to?: (r: Recipients) => readonly string[];
  /** A change to the encrypted text before decryption (tampering), as a user or a tool might make it. */
  readonly edit?: (encrypted: string) => string;
  /** The key file decryption gets (default age-key.txt). */
  readonly keys?: string;
  /** False where the in-process path hands the file to the binary. */
  readonly inProcess?: false;
}

interface Recipients {
  readonly main: string;
  readonly other: string;
}

const CASES: readonly Case[] = [
  { name: 'types', why: 'every value type, nested maps and arrays, comments, null, "", the default _unencrypted suffix', plain: TYPES },
  {
    name: 'types-json',
    why: 'a JSON file: sops reads every number as a float64',
    plain: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'types-json' }, data: { n: 3, f: 0.1, big: 1e21, b: true, s: 'x', list: [1, 'two', null, { k: [2] }] } }, null, 2),
    ext: 'json',
  },
  { name: 'encrypted-regex', why: "Flux's usual --encrypted-regex ^(data|stringData)$", plain: SECRET, flags: ['--encrypted-regex', '^(data|stringData)$'] },
  { name: 'encrypted-regex-flags', why: 'a Go inline flag (?i) in the regex', plain: SECRET, flags: ['--encrypted-regex', '(?i)^(DATA|STRINGDATA)$'] },
  { name: 'unencrypted-regex', why: '--unencrypted-regex', plain: SECRET, flags: ['--unencrypted-regex', '^(apiVersion|kind|metadata|type)$'] },
  { name: 'unencrypted-suffix', why: 'a custom --unencrypted-suffix', plain: SUFFIXES, flags: ['--unencrypted-suffix', '_plain'] },
  { name: 'encrypted-suffix', why: '--encrypted-suffix: only keys ending in it, and all below them', plain: SUFFIXES, flags: ['--encrypted-suffix', '_secret'] },
  { name: 'mac-only-encrypted', why: '--mac-only-encrypted: the MAC covers only encrypted values', plain: SECRET, global: ['--mac-only-encrypted'], flags: ['--encrypted-regex', '^(data|stringData)$'] },
  {
    name: 'mac-only-encrypted-relabelled',
    why: 'mac_only_encrypted: a transformer may change unencrypted values (a label, the namespace)',
    plain: SECRET,
    global: ['--mac-only-encrypted'],
    flags: ['--encrypted-regex', '^(data|stringData)$'],
    edit: (e) => e.replace('namespace: shop', 'namespace: staging').replace('tier: backend', 'tier: backend\n        team: payments'),
  },
  { name: 'two-recipients', why: 'encrypted for another recipient first: the stanza for our key is the second', plain: SECRET, to: (r) => [r.other, r.main], flags: ['--encrypted-regex', '^(data|stringData)$'] },
  { name: 'multiple-identities', why: 'a key file with comments and two identities, ours the second', plain: SECRET, flags: ['--encrypted-regex', '^(data|stringData)$'], keys: 'two-keys.txt' },
  { name: 'tampered-unencrypted', why: 'an unencrypted value changed after encryption', plain: SECRET, flags: ['--encrypted-regex', '^(data|stringData)$'], edit: (e) => e.replace('name: db', 'name: db2') },
  { name: 'tampered-encrypted-swapped', why: 'two encrypted values swapped: each was sealed for its own path', plain: SMALL, edit: swapValues },
  { name: 'tampered-mac', why: "the MAC's ciphertext changed", plain: SMALL, edit: (e) => e.replace(/mac: ENC\[AES256_GCM,data:(.)/, (_, c: string) => `mac: ENC[AES256_GCM,data:${c === 'A' ? 'B' : 'A'}`) },
  { name: 'tampered-ciphertext', why: "a value's ciphertext changed", plain: SMALL, edit: (e) => e.replace(/^( +a): ENC\[AES256_GCM,data:(.)/m, (_, k: string, c: string) => `${k}: ENC[AES256_GCM,data:${c === 'A' ? 'B' : 'A'}`) },
  { name: 'wrong-key', why: 'encrypted for another key only', plain: SECRET, to: (r) => [r.other], keys: 'age-key.txt' },
  {
    name: 'unencrypted-comment-regex',
    why: 'a comment rule: JSON has no comments, so the value it left plain is read as ciphertext',
    plain: SMALL.replace('  b: two', '  # keep-plain\n  b: two'),
    config: (r) => `creation_rules:\n  - age: ${r.main}\n    unencrypted_comment_regex: keep-plain\n`,
  },
  {
    name: 'key-groups',
    why: 'two key groups (Shamir): the binary decrypts it',
    plain: SMALL,
    inProcess: false,
    config: (r) => `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [${r.main}]\n      - age: [${r.main}]\n`,
  },
];

function swapValues(e: string): string {
  const a = /^ +a: (ENC\[.*\])$/m.exec(e)![1]!;
  const b = /^ +b: (ENC\[.*\])$/m.exec(e)![1]!;
  return e.replace(`a: ${a}`, `a: ${b}`).replace(`b: ${b}`, `b: ${a}`);
}

const tools = await ensureSopsTools((m) => console.error(m));
const work = mkdtempSync(join(tmpdir(), 'slipway-sops-fixtures-'));
try {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) rmSync(join(out, f));
  const keygen = (file: string): string => {
    spawnSync(tools.ageKeygen, ['-o', join(out, file)], { stdio: 'ignore' });
    return /public key: (age1[0-9a-z]+)/.exec(readFileSync(join(out, file), 'utf8'))![1]!;
  };
  const r: Recipients = { main: keygen('age-key.txt'), other: keygen('other-key.txt') };
  writeFileSync(join(out, 'two-keys.txt'), `# two identities: another one first, then the test key\n${readFileSync(join(out, 'other-key.txt'), 'utf8')}\n${readFileSync(join(out, 'age-key.txt'), 'utf8')}`);
  const env = { PATH: process.env.PATH ?? '', HOME: work, SOPS_AGE_KEY: '', SOPS_AGE_KEY_FILE: '' };

  const expected: unknown[] = [];
  for (const c of CASES) {
    const ext = c.ext ?? 'yaml';
    const dir = mkdtempSync(join(work, `${c.name}-`));
    const plainFile = join(dir, `plain.${ext}`);
    writeFileSync(plainFile, c.plain);
    const args = [...(c.global ?? []), ...(c.config ? ['--config', join(dir, '.sops.yaml')] : []), 'encrypt', ...(c.config ? [] : ['--age', (c.to?.(r) ?? [r.main]).join(',')]), ...(c.flags ?? []), plainFile];
    if (c.config) writeFileSync(join(dir, '.sops.yaml'), c.config(r));
    const enc = spawnSync(tools.sops, args, { cwd: dir, env, encoding: 'utf8' });
    if (enc.status !== 0) throw new Error(`${c.name}: sops encrypt failed: ${enc.stderr}`);
    const encrypted = c.edit ? c.edit(enc.stdout) : enc.stdout;
    if (c.edit && encrypted === enc.stdout) throw new Error(`${c.name}: the edit changed nothing`);
    const file = `${c.name}.enc.${ext}`;
    writeFileSync(join(out, file), encrypted);

    // What Slipway's binary path hands sops: the parsed object as JSON.
    const parsed = parseManifests(encrypted, { file });
    if (parsed.objects.length !== 1) throw new Error(`${c.name}: expected one object, got ${parsed.objects.length}`);
    const keys = c.keys ?? 'age-key.txt';
    const dec = spawnSync(tools.sops, ['decrypt', '--input-type', 'json', '--output-type', 'json'], {
      cwd: work,
      env: { ...env, SOPS_AGE_KEY_FILE: join(out, keys) },
      input: JSON.stringify(parsed.objects[0]!.manifest),
      encoding: 'utf8',
    });
    const golden = `${c.name}.decrypted.json`;
    if (dec.status === 0) writeFileSync(join(out, golden), dec.stdout);
    const result = dec.status === 0 ? { decrypted: golden } : { failure: classifySopsFailure(dec.status, dec.stderr), sopsExitCode: dec.status, sopsSaid: dec.stderr.trim().split('\n').at(-1) };
    expected.push({ name: c.name, why: c.why, file, keys, ...(c.inProcess === false && { inProcess: false }), ...result });
    console.error(`${c.name}: ${dec.status === 0 ? 'decrypted' : `failed (${dec.status})`}`);
  }
  writeFileSync(join(out, 'cases.json'), `${JSON.stringify({ generatedBy: 'test/cluster/gen-sops-fixtures.ts', sops: tools.sops.split('/').at(-2), cases: expected }, null, 2)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
