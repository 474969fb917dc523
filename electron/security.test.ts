import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, isExternalLinkAllowed, isPermissionAllowed, isTrustedSender, RENDERER_INDEX_URL, rendererFileFor, secureWebPreferences } from './security.js';

const index = RENDERER_INDEX_URL;
const dir = '/opt/slipway/resources/app.asar/dist/renderer';

describe('electron security', () => {
  it('turns on isolation and sandbox and off node integration', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  });

  it.each([
    [index, true],
    [`${index}#/history`, true],
    ['file:///etc/passwd', false],
    ['file:///opt/slipway/resources/app.asar/dist/renderer/index.html', false],
    ['app://other/index.html', false],
    ['app://slipway/other.html', false],
    ['app://user:pw@slipway/index.html', false],
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
    ['app://slipway/assets/x.js', false],
  ])('allows navigation to %s: %s', (url, expected) => {
    expect(isAllowedNavigation(url, index)).toBe(expected);
  });

  it.each([
    ['app://slipway/index.html', `${dir}/index.html`],
    ['app://slipway/', `${dir}/index.html`],
    ['app://slipway/assets/index-abc.js?v=1#x', `${dir}/assets/index-abc.js`],
    ['app://slipway/assets/a%20b.css', `${dir}/assets/a b.css`],
    ['app://slipway/../../../etc/passwd', `${dir}/etc/passwd`], // the URL parser resolves the dots first: still inside
    ['app://slipway/assets/..%2f..%2f..%2fetc%2fpasswd', undefined],
    ['app://slipway/%2e%2e/%2e%2e/etc/passwd', `${dir}/etc/passwd`],
    ['app://slipway/assets/%2e%2e%2f%2e%2e%2fpackage.json', undefined],
    ['app://slipway/a%5c..%5c..%5cx', undefined],
    ['app://slipway/a%00.js', undefined],
    ['app://slipway/assets//x.js', undefined],
    ['app://slipway/%E0%A4%A', undefined],
    ['app://other/index.html', undefined],
    ['file:///etc/passwd', undefined],
  ])('serves %s from %s', (url, file) => {
    expect(rendererFileFor(url, dir)).toBe(file);
  });

  it.each([
    ['https://kubernetes.io/docs/', true],
    ['http://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
  ])('opens %s externally: %s', (url, expected) => {
    expect(isExternalLinkAllowed(url)).toBe(expected);
  });

  it.each([
    ['notifications', index, true],
    ['notifications', `${index}#/history`, true],
    ['notifications', 'https://evil.example/index.html', false],
    ['notifications', undefined, false],
    ['media', index, false],
    ['geolocation', index, false],
    ['clipboard-read', index, false],
    ['openExternal', index, false],
  ])('permission %s for %s: %s', (permission, url, expected) => {
    expect(isPermissionAllowed(permission, url, index)).toBe(expected);
  });
});
