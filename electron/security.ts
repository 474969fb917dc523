/**
 * The shell's security decisions, kept as pure functions so they are unit-tested without the
 * Electron binary.
 */
import { resolve, sep } from 'node:path';

/** webPreferences for every window: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preloadPath: string): {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  webviewTag: false;
  spellcheck: false;
} {
  return { preload: preloadPath, contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webviewTag: false, spellcheck: false };
}

/**
 * The renderer is served from its own privileged scheme, not file://: a real origin for its CSP
 * ('self'), module workers (Monaco) that file:// pages may not start, and no access to other files.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'slipway';
export const RENDERER_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
/** For protocol.registerSchemesAsPrivileged, before the app is ready. */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

function samePage(url: string | undefined, rendererIndexUrl: string): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    const ours = new URL(rendererIndexUrl);
    return u.protocol === ours.protocol && u.host === ours.host && u.pathname === ours.pathname && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** IPC is answered only for frames showing our own page (the renderer's index on the app scheme). */
export function isTrustedSender(senderUrl: string | undefined, rendererIndexUrl: string): boolean {
  return samePage(senderUrl, rendererIndexUrl);
}

/** The window may not navigate anywhere: in-app routing is client-side. */
export function isAllowedNavigation(targetUrl: string, rendererIndexUrl: string): boolean {
  return samePage(targetUrl, rendererIndexUrl);
}

/**
 * The file an app-scheme request may read: only under the renderer's build folder, on our host,
 * never through `..`, encoded separators or NUL. Undefined means 404.
 */
export function rendererFileFor(requestUrl: string, rendererDir: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (path === '/' || path === '') path = '/index.html';
  const parts = path.split('/').slice(1);
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) return undefined;
  const root = resolve(rendererDir);
  const file = resolve(root, ...parts);
  return file.startsWith(root + sep) ? file : undefined;
}

/** Links that should open in the user's browser instead (documentation); everything else is denied. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Permissions the page may have: Electron grants every request (camera, geolocation, …) unless a
 * handler says otherwise, and the page needs only notifications (drift, a finished apply, an
 * unreachable cluster), and only for our own page.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, rendererIndexUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && samePage(requestingUrl, rendererIndexUrl);
}
