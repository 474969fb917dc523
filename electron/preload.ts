// Runs sandboxed before the page: exposes named functions only, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { COMMANDS, type EngineInfo } from '../core/api/contract.js';

contextBridge.exposeInMainWorld('slipway', {
  engineInfo: (): Promise<EngineInfo> => ipcRenderer.invoke(COMMANDS.engineInfo) as Promise<EngineInfo>,
});
