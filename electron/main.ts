/**
 * The desktop shell: one window, the engine in the main process, secure defaults. It only
 * launches things; all behaviour lives in core/ (engine) and renderer/ (UI).
 */
import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { COMMAND_CHANNELS, COMMAND_IDS } from '../core/api/channels.js';
import { createHandlers } from '../core/api/handlers.js';
import { commandListener, forwardEvents } from './ipc.js';
import { isAllowedNavigation, isExternalLinkAllowed, secureWebPreferences } from './security.js';

const rendererIndex = pathToFileURL(fileURLToPath(new URL('../renderer/index.html', import.meta.url))).href;
const preload = fileURLToPath(new URL('./preload.cjs', import.meta.url));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const handlers = createHandlers({ transport: 'electron' });
  let window: BrowserWindow | undefined;

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
