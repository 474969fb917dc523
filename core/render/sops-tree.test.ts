import { describe, expect, it } from 'vitest';
import { goFloat, goRegExp, readSopsMetadata, rfc3339, type SopsMetadata } from './sops-tree.js';

// Expected strings printed by Go's strconv.FormatFloat(f, 'f', -1, 64) and time.Parse/Format(RFC3339).
describe('goFloat (strconv.FormatFloat(f, \'f\', -1, 64), what sops hashes for a number)', () => {
  it.each<[number, string]>([
    [3, '3'],
    [-7, '-7'],
    [0, '0'],
    [-0, '-0'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [0.000001, '0.000001'],
    [1e-7, '0.0000001'],
    [123.456, '123.456'],
    [1e21, '1000000000000000000000'],
    [2 ** 60, '1152921504606847000'],
    [1.7976931348623157e308, `17976931348623157${'0'.repeat(292)}`],
    [5e-324, `0.${'0'.repeat(323)}5`],
    [1.0000000000000002, '1.0000000000000002'],
    [123456789.12345679, '123456789.12345679'],
    [9.999999999999999e22, '100000000000000000000000'],
  ])('%s → %s', (n, expected) => expect(goFloat(n)).toBe(expected));
});

describe('rfc3339 (lastmodified as Go re-prints it: the MAC additional data)', () => {
  it.each<[string, string | undefined]>([
    ['2026-12-05T12:06:33Z', '2026-12-05T12:06:33Z'],
    ['2026-12-05T12:06:33.123456Z', '2026-12-05T12:06:33Z'],
    ['2026-12-05T12:06:33+00:00', '2026-12-05T12:06:33Z'],
    ['2026-12-05T13:06:33+01:00', '2026-12-05T13:06:33+01:00'],
    ['2026-12-05T12:06:33,5Z', '2026-12-05T12:06:33Z'],
    ['2026-12-05 12:06:33Z', undefined],
    ['yesterday', undefined],
  ])('%s → %s', (s, expected) => expect(rfc3339(s)).toBe(expected));
});

describe('goRegExp (a crypt rule regex, or undefined where JavaScript would read it otherwise)', () => {
  it.each<[string, string, boolean | undefined]>([
    ['^(data|stringData)$', 'stringData', true],
    ['^(data|stringData)$', 'metadata', false],
    ['password', 'db_password_x', true],
    ['(?i)^DATA$', 'data', true],
    ['(?is)^a.b$', 'A\nB', true],
    ['^data\\z', 'data', undefined],
    ['\\pL', 'a', undefined],
    ['[[:alpha:]]', 'a', undefined],
    ['(?P<x>a)', 'a', undefined],
    ['(?i:a)', 'a', undefined],
  ])('%s on %j', (source, key, expected) => expect(goRegExp(source)?.test(key)).toBe(expected));
});

describe('readSopsMetadata', () => {
  const age = [{ recipient: 'age1x', enc: '-----BEGIN AGE ENCRYPTED FILE-----' }];
  const base = { age, lastmodified: '2026-12-05T12:06:33Z', mac: 'ENC[…]', version: '3.13.3' };
  const read = (extra: Record<string, unknown>): SopsMetadata => {
    const m = readSopsMetadata({ ...base, ...extra });
    if ('unsupported' in m) throw new Error(m.unsupported);
    return m;
  };

  it.each<[string, Record<string, unknown>, readonly string[], boolean]>([
    ['no rule: the default _unencrypted suffix', {}, ['data', 'x'], true],
    ['no rule, a key with the default suffix on the path', {}, ['data', 'x_unencrypted', 'y'], false],
    ['unencrypted_suffix', { unencrypted_suffix: '_plain' }, ['user_plain'], false],
    ['encrypted_suffix: not on the path', { encrypted_suffix: '_secret' }, ['note'], false],
    ['encrypted_suffix: an ancestor ends with it', { encrypted_suffix: '_secret' }, ['nested_secret', 'a'], true],
    ['encrypted_regex', { encrypted_regex: '^(data|stringData)$' }, ['stringData', 'password'], true],
    ['encrypted_regex: no key on the path matches', { encrypted_regex: '^(data|stringData)$' }, ['metadata', 'name'], false],
    ['unencrypted_regex', { unencrypted_regex: '^metadata$' }, ['metadata', 'name'], false],
    ['unencrypted_comment_regex: JSON has no comments', { unencrypted_comment_regex: 'plain' }, ['a'], true],
    ['encrypted_comment_regex: JSON has no comments', { encrypted_comment_regex: 'secret' }, ['a'], false],
  ])('%s', (_, extra, path, expected) => expect(read(extra).rule.encrypted(path)).toBe(expected));

  it('reads the MAC, its additional data and mac_only_encrypted', () => {
    const m = read({ lastmodified: '2026-12-05T12:06:33.5+00:00', mac_only_encrypted: true });
    expect([m.mac, m.macAad, m.macOnlyEncrypted]).toEqual(['ENC[…]', '2026-12-05T12:06:33Z', true]);
    expect(read({ mac: undefined }).mac).toBe('');
  });

  it.each<[string, Record<string, unknown>, { age: number; others: number }[]]>([
    ['age only', {}, [{ age: 1, others: 0 }]],
    ['age and PGP in one group', { pgp: [{ fp: 'F' }] }, [{ age: 1, others: 1 }]],
    ['a key type this version does not know counts as another', { barbican: [{ x: 1 }] }, [{ age: 1, others: 1 }]],
    ['the flat lists win over key_groups', { key_groups: [{ age }, { age }] }, [{ age: 1, others: 0 }]],
    ['key_groups without flat lists', { age: null, key_groups: [{ age }, { kms: [{ arn: 'a' }] }] }, [{ age: 1, others: 0 }, { age: 0, others: 1 }]],
  ])('key groups: %s', (_, extra, expected) => expect(read(extra).groups.map((g) => ({ age: g.age.length, others: g.others }))).toEqual(expected));

  it.each<[string, unknown]>([
    ['not a map', 'sops'],
    ['lastmodified not RFC 3339', { ...base, lastmodified: 'today' }],
    ['two crypt rules (sops refuses the file)', { ...base, encrypted_regex: 'a', unencrypted_suffix: '_x' }],
    ['a regex JavaScript reads otherwise', { ...base, encrypted_regex: '\\Adata\\z' }],
    ['mac_only_encrypted as a string', { ...base, mac_only_encrypted: 'true' }],
    ['no keys at all', { lastmodified: base.lastmodified, mac: 'x' }],
    ['an age key without enc', { ...base, age: [{ recipient: 'age1x' }] }],
  ])('left to the binary: %s', (_, sops) => expect(readSopsMetadata(sops)).toHaveProperty('unsupported'));
});
