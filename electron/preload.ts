// Runs sandboxed before the page: exposes one named function per contract command, never
// ipcRenderer itself. Each returns the engine's { ok, value | error } reply; main validates the
// request with the contract's schema and checks the sender. Only the channel names are bundled
// here (core/api/channels.ts has no dependencies). Engine events arrive from main only (validated
// there by the engine's event hub); `onEvent` hands them to the page and returns the unsubscribe.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { COMMAND_CHANNELS, COMMAND_IDS, EVENT_CHANNEL, type CommandId } from '../core/api/channels.js';

const bridge = Object.fromEntries(COMMAND_IDS.map((id) => [id, (request?: unknown): Promise<unknown> => ipcRenderer.invoke(COMMAND_CHANNELS[id], request ?? {})])) as Record<
  CommandId,
  (request?: unknown) => Promise<unknown>
>;

function onEvent(listener: (event: unknown) => void): () => void {
  const handler = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, handler);
  return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
}

contextBridge.exposeInMainWorld('slipway', { ...bridge, onEvent });
