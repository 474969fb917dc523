/**
 * HostApi implementations. Components receive one through HostContext and never ask which
 * transport they run on; only main.tsx chooses.
 */
import { createContext, useContext } from 'react';
import type { EngineInfo, HostApi } from '../../core/api/contract.js';

/** What the Electron preload exposes on window.slipway (named functions only). */
export interface PreloadBridge {
  engineInfo(): Promise<EngineInfo>;
}

declare global {
  interface Window {
    slipway?: PreloadBridge;
  }
}

export function electronHost(bridge: PreloadBridge): HostApi {
  return { engineInfo: () => bridge.engineInfo() };
}

async function post<T>(command: string): Promise<T> {
  const res = await fetch(`/api/${command}`, { method: 'POST', credentials: 'same-origin' });
  if (!res.ok) throw new Error(`engine: ${command} failed (${res.status}): ${await res.text()}`);
  return (await res.json()) as T;
}

export function httpHost(): HostApi {
  return { engineInfo: () => post<EngineInfo>('engine-info') };
}

export const HostContext = createContext<HostApi | null>(null);

export function useHost(): HostApi {
  const host = useContext(HostContext);
  if (!host) throw new Error('HostContext is missing: render the app inside <HostContext.Provider>');
  return host;
}
