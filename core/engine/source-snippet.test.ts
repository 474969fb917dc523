import { describe, expect, it } from 'vitest';
import { hiddenBecause, maskLines, snippetOf } from './source-snippet.js';

const BROKEN = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: bad', 'data:', '  a: [1, 2', '  b: 3', ''].join('\n');

describe('snippetOf', () => {
  it.each<[string, number, number, { startLine: number; lines: string[] }]>([
    ['the line with three lines either side', 6, 3, { startLine: 3, lines: ['metadata:', '  name: bad', 'data:', '  a: [1, 2', '  b: 3'] }],
    ['the first line', 1, 2, { startLine: 1, lines: ['apiVersion: v1', 'kind: ConfigMap', 'metadata:'] }],
    ['the last line (no empty line after the final newline)', 7, 1, { startLine: 6, lines: ['  a: [1, 2', '  b: 3'] }],
    ['a line past the end: the end', 99, 1, { startLine: 6, lines: ['  a: [1, 2', '  b: 3'] }],
  ])('%s', (_what, line, context, expected) => {
    expect(snippetOf('apps/web/bad.yaml', BROKEN, line, context)).toEqual({ file: 'apps/web/bad.yaml', line, ...expected });
  });

  it('reads Windows line ends', () => {
    expect(snippetOf('a.yaml', 'a: 1\r\nb: [\r\nc: 3\r\n', 2, 0)).toEqual({ file: 'a.yaml', line: 2, startLine: 2, lines: ['b: ['] });
  });

  it('never shows a file that declares a Secret, wherever the line is', () => {
    const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', '---', 'apiVersion: v1', 'kind: Secret', 'stringData:', '  password: [hunter2'].join('\n');
    const snippet = snippetOf('apps/web/all.yaml', text, 2);
    expect(snippet).toEqual({ file: 'apps/web/all.yaml', line: 2, hidden: 'the file declares a Secret: its values are never shown' });
    expect(JSON.stringify(snippet)).not.toContain('hunter2');
  });
});

describe('hiddenBecause', () => {
  it.each<[string, string, string, string | undefined]>([
    ['a ConfigMap', 'apps/web/cm.yaml', 'kind: ConfigMap\n', undefined],
    ['a Secret', 'apps/web/s.yaml', 'apiVersion: v1\nkind: Secret\n', 'the file declares a Secret: its values are never shown'],
    ['a Secret, kind quoted and commented', 'apps/web/s.yaml', '"kind": "Secret" # db\n', 'the file declares a Secret: its values are never shown'],
    ['a Secret in a JSON list item', 'apps/web/s.yaml', 'items:\n- kind: Secret\n', 'the file declares a Secret: its values are never shown'],
    ['a SecretStore is no Secret', 'apps/web/store.yaml', 'kind: SecretStore\n', undefined],
    ['a kustomization with a secretGenerator', 'apps/web/kustomization.yaml', 'secretGenerator:\n- name: db\n  literals: [password=x]\n', 'the file generates Secrets (secretGenerator): its values are never shown'],
    ['an env file', 'apps/web/db.env', 'PASSWORD=x\n', 'an env file may hold Secret values: it is never shown'],
    ['a .env file', 'apps/web/.env', 'PASSWORD=x\n', 'an env file may hold Secret values: it is never shown'],
    ['a SOPS-encrypted file', 'apps/web/values.enc.yaml', 'db: ENC[AES256_GCM,data:x]\nsops:\n  version: 3.9.0\n', 'the file is encrypted (SOPS)'],
  ])('%s', (_what, path, text, expected) => {
    expect(hiddenBecause(path, text)).toBe(expected);
  });
});

describe('maskLines', () => {
  it.each<[string, string[], string[]]>([
    ['plain lines as they are', ['replicas: 2', '  image: web:1'], ['replicas: 2', '  image: web:1']],
    ['a credential value masked', ['  password: hunter2', '  dbPassword: "x y"', '  apiKey: abc', '  AUTH_TOKEN=abc'], ['  password: (hidden)', '  dbPassword: (hidden)', '  apiKey: (hidden)', '  AUTH_TOKEN=(hidden)']],
    ['a credential key without a value (a mapping below) kept', ['  secretKeyRef:', '    name: db'], ['  secretKeyRef:', '    name: db']],
    ['a block scalar under a credential key masked to its end', ['privateKey: |', '  -----BEGIN KEY-----', '  abc', '', 'next: 1'], ['privateKey: |', '  (hidden)', '  (hidden)', '', 'next: 1']],
    ['a very long line cut', ['x: ' + 'a'.repeat(300)], ['x: ' + 'a'.repeat(237) + '…']],
  ])('%s', (_what, lines, expected) => {
    expect(maskLines(lines)).toEqual(expected);
  });
});
