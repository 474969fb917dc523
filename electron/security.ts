/**
 * The shell's security decisions, kept as pure functions so they are unit-tested without the
 * Electron binary.
 */

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

/** IPC is answered only for frames showing our own page (file:// under the renderer directory). */
export function isTrustedSender(senderUrl: string | undefined, rendererIndexUrl: string): boolean {
  if (!senderUrl) return false;
  try {
    const sender = new URL(senderUrl);
    const ours = new URL(rendererIndexUrl);
    return sender.protocol === 'file:' && ours.protocol === 'file:' && sender.pathname === ours.pathname;
  } catch {
    return false;
  }
}

/** The window may not navigate anywhere: in-app routing is client-side. */
export function isAllowedNavigation(targetUrl: string, rendererIndexUrl: string): boolean {
  try {
    const t = new URL(targetUrl);
    const ours = new URL(rendererIndexUrl);
    return t.protocol === 'file:' && t.pathname === ours.pathname;
  } catch {
    return false;
  }
}

/** Links that should open in the user's browser instead (documentation); everything else is denied. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
