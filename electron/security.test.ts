import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isExternalLinkAllowed, isTrustedSender, secureWebPreferences } from './security.js';

const index = 'file:///opt/slipway/resources/app.asar/dist/renderer/index.html';

describe('electron security', () => {
  it('turns on isolation and sandbox and off node integration', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  });

  it.each([
    [index, true],
    [`${index}#/history`, true],
    ['file:///etc/passwd', false],
    ['https://evil.example/index.html', false],
    ['devtools://devtools/bundled/index.html', false],
    [undefined, false],
    ['not a url', false],
  ])('trusts IPC from %s: %s', (sender, expected) => {
    expect(isTrustedSender(sender, index)).toBe(expected);
  });

  it.each([
    [`${index}?x=1`, true],
    ['https://example.com/', false],
    ['file:///tmp/other.html', false],
  ])('allows navigation to %s: %s', (url, expected) => {
    expect(isAllowedNavigation(url, index)).toBe(expected);
  });

  it.each([
    ['https://kubernetes.io/docs/', true],
    ['http://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
  ])('opens %s externally: %s', (url, expected) => {
    expect(isExternalLinkAllowed(url)).toBe(expected);
  });
});
