/**
 * The desktop shell: one window, the engine in the main process, secure defaults. It only
 * launches things; all behaviour lives in core/ (engine) and renderer/ (UI).
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COMMAND_CHANNELS, COMMAND_IDS } from '../core/api/channels.js';
import { createHandlers } from '../core/api/handlers.js';
import { startParsePool } from '../core/manifest/parse-pool.js';
import { useUserDiskCache } from '../core/disk-cache/user-cache.js';
import { folderDialog } from './folder-dialog.js';
import { commandListener, forwardEvents } from './ipc.js';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, isAllowedNavigation, isExternalLinkAllowed, isPermissionAllowed, RENDERER_INDEX_URL, rendererFileFor, secureWebPreferences } from './security.js';
import { startupFromArgs } from './startup.js';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const rendererIndex = RENDERER_INDEX_URL;
const preload = fileURLToPath(new URL('./preload.cjs', import.meta.url));

// Before ready: the renderer's own scheme (a real origin for CSP 'self' and Monaco's module worker).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // `--repo`, `--app`, `--rev`, `--context` on the command line: what the window opens first (as `slipway serve`).
  let window: BrowserWindow | undefined;
  // The native folder dialog, over the window (the renderer asks through the engine's chooseFolder).
  const chooseFolder = folderDialog((options) => (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)));
  const handlers = createHandlers({ transport: 'electron', startup: startupFromArgs(process.argv.slice(1), process.cwd()), chooseFolder });
  startParsePool(); // a long-lived engine: parse large revisions on every core
  useUserDiskCache(); // its first plans read what earlier processes (the CLI too) parsed, listed and discovered

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, rendererIndex)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLinkAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  // One channel per contract command: sender checked, payload validated with the contract's schema.
  for (const id of COMMAND_IDS) ipcMain.handle(COMMAND_CHANNELS[id], commandListener(handlers, id, rendererIndex));

  // Engine events (apply progress) go to our window only, and only while it shows our page.
  const stopEvents = forwardEvents(handlers.events, () => window?.webContents, rendererIndex);

  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, (request) => {
      const file = rendererFileFor(request.url, rendererDir);
      return file ? net.fetch(pathToFileURL(file).href) : new Response('not found', { status: 404 });
    });
    // Only notifications, only for our page (Electron would grant any permission a page asks for).
    session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(isPermissionAllowed(permission, contents.getURL(), rendererIndex)));
    session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, rendererIndex));
    window = new BrowserWindow({ width: 1400, height: 900, title: 'Slipway', show: false, webPreferences: secureWebPreferences(preload) });
    window.once('ready-to-show', () => window?.show());
    void window.loadURL(rendererIndex);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    stopEvents();
    void handlers.close();
  });
}
