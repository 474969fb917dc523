// Runs sandboxed before the page: exposes one named function per contract command, never
// ipcRenderer itself. Each returns the engine's { ok, value | error } reply; main validates the
// request with the contract's schema and checks the sender. Only the channel names are bundled
// here (core/api/channels.ts has no dependencies).
import { contextBridge, ipcRenderer } from 'electron';
import { COMMAND_CHANNELS, COMMAND_IDS, type CommandId } from '../core/api/channels.js';

const bridge = Object.fromEntries(COMMAND_IDS.map((id) => [id, (request?: unknown): Promise<unknown> => ipcRenderer.invoke(COMMAND_CHANNELS[id], request ?? {})])) as Record<
  CommandId,
  (request?: unknown) => Promise<unknown>
>;

contextBridge.exposeInMainWorld('slipway', bridge);
