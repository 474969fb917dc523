/**
 * The engine side of the contract: one set of handlers that both transports (Electron IPC and
 * the HTTP server) call. Transports never implement commands themselves.
 */
import { SLIPWAY_VERSION } from '../version.js';
import { COMMANDS, engineInfoSchema, type CommandName, type EngineInfo } from './contract.js';

export type Transport = EngineInfo['transport'];

export interface EngineHandlers {
  readonly [COMMANDS.engineInfo]: () => Promise<EngineInfo>;
}

export function createHandlers(opts: { transport: Transport }): EngineHandlers {
  return {
    [COMMANDS.engineInfo]: async () => engineInfoSchema.parse({ version: SLIPWAY_VERSION, platform: process.platform, transport: opts.transport }),
  };
}

export function isCommandName(name: string): name is CommandName {
  return (Object.values(COMMANDS) as string[]).includes(name);
}
