import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ageKeySources, bech32Decode, bech32Encode, isX25519Recipient, loadAgeIdentities, parseAgeKeys, userConfigDir } from './sops-age.js';
import { sopsEnv } from './sops.js';

const testdata = new URL('./testdata/sops/', import.meta.url);
/** An age-keygen key file: "# created", "# public key: age1…", "AGE-SECRET-KEY-1…". */
const keyFile = (name: string): { text: string; secret: string; recipient: string } => {
  const text = readFileSync(new URL(name, testdata), 'utf8');
  return { text, secret: /^AGE-SECRET-KEY-1\S+$/m.exec(text)![0], recipient: /public key: (age1\S+)/.exec(text)![1]! };
};
const main = keyFile('age-key.txt');
const other = keyFile('other-key.txt');

const tmp = mkdtempSync(join(tmpdir(), 'slipway-sops-age-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bech32', () => {
  it('reads an age-keygen secret key, and writes it back the same', () => {
    const bytes = bech32Decode(main.secret, 'age-secret-key-');
    expect(bytes).toHaveLength(32);
    expect(bech32Encode('age-secret-key-', bytes!).toUpperCase()).toBe(main.secret);
  });
  it.each([
    ['a changed character (checksum)', main.secret.slice(0, 20) + (main.secret[20] === 'Q' ? 'P' : 'Q') + main.secret.slice(21)],
    ['mixed case', main.secret.slice(0, 30) + main.secret.slice(30).toLowerCase()],
    ['another prefix', main.recipient],
  ])('refuses %s', (_, s) => expect(bech32Decode(s, 'age-secret-key-')).toBeUndefined());
});

describe('parseAgeKeys (one source, as sops reads it)', () => {
  it.each<[string, string, number, boolean]>([
    ['an age-keygen file (comments, one key)', main.text, 1, true],
    ['two keys, blank lines and CRLF', `${other.text}\r\n\r\n${main.text.replaceAll('\n', '\r\n')}`, 2, true],
    ['SOPS_AGE_KEY with only the key', main.secret, 1, true],
    ['nothing', '', 0, true],
    ['a plugin identity: left to the binary', `${main.text}AGE-PLUGIN-YUBIKEY-1QQQQ\n`, 0, false],
    ['a post-quantum key: left to the binary', `${main.text}AGE-SECRET-KEY-PQ-1QQQQ\n`, 0, false],
    ['a broken key (sops refuses the whole source)', `${main.text}AGE-SECRET-KEY-1QQQQ\n`, 0, false],
    ['a passphrase-encrypted key file', '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n', 0, false],
    ['an indented key (sops refuses it)', `  ${main.secret}\n`, 0, false],
  ])('%s', (_, text, count, complete) => {
    const parsed = parseAgeKeys(text);
    expect([parsed.keys.length, parsed.complete]).toEqual([count, complete]);
  });
});

describe('where the keys are (sops age/keysource.go, Go os.UserConfigDir)', () => {
  it.each<[string, NodeJS.ProcessEnv, NodeJS.Platform, string | undefined]>([
    ['Linux', { HOME: '/home/me' }, 'linux', '/home/me/.config'],
    ['Linux with XDG_CONFIG_HOME', { HOME: '/home/me', XDG_CONFIG_HOME: '/xdg' }, 'linux', '/xdg'],
    ['a relative XDG_CONFIG_HOME (Go refuses it)', { HOME: '/home/me', XDG_CONFIG_HOME: 'xdg' }, 'linux', undefined],
    ['macOS', { HOME: '/Users/me' }, 'darwin', '/Users/me/Library/Application Support'],
    ['macOS with XDG_CONFIG_HOME (sops honours it there too)', { HOME: '/Users/me', XDG_CONFIG_HOME: '/xdg' }, 'darwin', '/xdg'],
    ['no HOME', {}, 'linux', undefined],
  ])('%s', (_, env, platform, expected) => expect(userConfigDir(env, platform)).toBe(expected));

  it('reads SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default file; SOPS_AGE_KEY_CMD is for the binary', () => {
    expect(ageKeySources({ HOME: '/h', SOPS_AGE_KEY: 'k', SOPS_AGE_KEY_FILE: '/f' }, 'linux')).toEqual({ texts: ['k'], files: ['/f', '/h/.config/sops/age/keys.txt'], complete: true });
    expect(ageKeySources({ HOME: '/h', SOPS_AGE_KEY_CMD: 'pass age' }, 'linux').complete).toBe(false);
  });
});

describe('loadAgeIdentities', () => {
  const home = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmp, 'home-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  it.each<[string, (h: string) => NodeJS.ProcessEnv, Record<string, string>, string[], boolean]>([
    ['SOPS_AGE_KEY with several lines', (h) => ({ HOME: h, SOPS_AGE_KEY: `${other.secret}\n${main.secret}\n` }), {}, [other.recipient, main.recipient], true],
    ['SOPS_AGE_KEY_FILE', (h) => ({ HOME: h, SOPS_AGE_KEY_FILE: join(h, 'k.txt') }), { 'k.txt': main.text }, [main.recipient], true],
    ['~/.config/sops/age/keys.txt', (h) => ({ HOME: h }), { '.config/sops/age/keys.txt': main.text }, [main.recipient], true],
    ['the key file in settings (through sopsEnv)', (h) => sopsEnv({ HOME: h, SOPS_AGE_KEY_FILE: join(h, 'env.txt') }, join(h, 'settings.txt')), { 'settings.txt': main.text, 'env.txt': other.text }, [main.recipient], true],
    ['every source at once, the same key twice', (h) => ({ HOME: h, SOPS_AGE_KEY: main.secret, SOPS_AGE_KEY_FILE: join(h, 'k.txt') }), { 'k.txt': `${main.text}${other.text}`, '.config/sops/age/keys.txt': main.text }, [main.recipient, other.recipient], true],
    ['a key file that is missing', (h) => ({ HOME: h, SOPS_AGE_KEY_FILE: join(h, 'missing.txt') }), {}, [], true],
    ['SOPS_AGE_KEY_CMD', (h) => ({ HOME: h, SOPS_AGE_KEY: main.secret, SOPS_AGE_KEY_CMD: 'pass show age' }), {}, [main.recipient], false],
  ])('%s', async (_, env, files, recipients, complete) => {
    const ids = await loadAgeIdentities(env(home(files)));
    expect([[...ids.recipients].sort(), ids.count, ids.complete]).toEqual([[...recipients].sort(), recipients.length, complete]);
  });
});

describe('isX25519Recipient (sops tells plugins apart by a second "1")', () => {
  it.each<[string, boolean]>([
    [main.recipient, true],
    [` ${main.recipient} `, true],
    ['age1yubikey1qwe9ju0w9kdz', false],
    ['age1pq1qqqqqqqq', false],
    ['ssh-ed25519 AAAAC3Nza', false],
  ])('%s', (r, expected) => expect(isX25519Recipient(r)).toBe(expected));
});
