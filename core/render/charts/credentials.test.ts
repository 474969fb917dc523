import { describe, expect, it } from 'vitest';
import { matchCredential, parseCredentialsFile, parseDockerConfig, type CredentialEntry } from './credentials.js';

const basic = (username: string): CredentialEntry['credential'] => ({ kind: 'basic', username, password: 'pw' });

describe('matchCredential', () => {
  const entries: CredentialEntry[] = [
    { url: 'https://charts.example.com', credential: basic('all') },
    { url: 'https://charts.example.com/team/', credential: basic('team') },
    { url: 'oci://ghcr.io/org', credential: basic('oci') },
  ];
  it.each([
    ['https://charts.example.com', 'all'],
    ['https://charts.example.com/other', 'all'],
    ['https://charts.example.com/team', 'team'],
    ['https://charts.example.com/teamx', 'all'],
    ['https://charts.example.community', undefined],
    ['oci://ghcr.io/org/charts', 'oci'],
    ['ghcr.io/org', 'oci'],
    ['oci://ghcr.io/other', undefined],
  ])('%s → %s', (url, who) => {
    const c = matchCredential(entries, url);
    expect(c && c.kind === 'basic' ? c.username : undefined).toBe(who);
  });
});

describe('parseCredentialsFile', () => {
  it('reads inline and environment secrets', () => {
    const text = 'repositories:\n  - url: https://a\n    username: u\n    passwordEnv: A_PW\n  - url: oci://r\n    bearerTokenEnv: R_TOKEN\n  - url: https://b\n    username: v\n    password: inline\n';
    expect(parseCredentialsFile(text, { file: 'c.yaml', env: { A_PW: 'p1', R_TOKEN: 't1' } })).toEqual([
      { url: 'https://a', credential: { kind: 'basic', username: 'u', password: 'p1' } },
      { url: 'oci://r', credential: { kind: 'bearer', token: 't1' } },
      { url: 'https://b', credential: { kind: 'basic', username: 'v', password: 'inline' } },
    ]);
  });
  it.each([
    ['repositories:\n  - url: https://a\n    username: u\n    passwordEnv: MISSING\n', /MISSING, which is not set/],
    ['repositories:\n  - url: https://a\n    username: u\n', /needs username and password/],
    ['repositories: [', /not YAML/],
    ['repositories:\n  - url: https://a\n    pasword: x\n', /c\.yaml/],
  ])('refuses %j', (text, message) => {
    expect(() => parseCredentialsFile(text, { file: 'c.yaml', env: {} })).toThrow(message);
  });
  it('never puts a secret in its error', () => {
    try {
      parseCredentialsFile('repositories:\n  - url: https://a\n    password: CANARY\n', { file: 'c.yaml', env: {} });
    } catch (e) {
      expect(String(e)).not.toContain('CANARY');
    }
  });
});

describe('parseDockerConfig', () => {
  it('reads auths as oci:// entries', () => {
    const auth = Buffer.from('me:secret').toString('base64');
    expect(parseDockerConfig(JSON.stringify({ auths: { 'https://reg.example.com/v1/': { auth }, 'other:5000': { username: 'a', password: 'b' } } }))).toEqual([
      { url: 'oci://reg.example.com', credential: { kind: 'basic', username: 'me', password: 'secret' } },
      { url: 'oci://other:5000', credential: { kind: 'basic', username: 'a', password: 'b' } },
    ]);
  });
  it('ignores what it cannot read', () => expect(parseDockerConfig('nope')).toEqual([]));
});
