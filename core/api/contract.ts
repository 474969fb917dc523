/**
 * The one typed contract between the engine and its front doors (Electron IPC, HTTP/WebSocket,
 * in-memory for component tests). Every command is listed here once, with a runtime schema for
 * its result, because payloads cross process boundaries. Later issues add plan, apply, history…
 *
 * The renderer imports only the types from this module (`import type`); schemas are used by the
 * transports.
 */
import { z } from 'zod';

export const engineInfoSchema = z.object({
  version: z.string(),
  /** Node's platform of the engine process, e.g. "linux". */
  platform: z.string(),
  /** Which front door is serving this renderer. */
  transport: z.enum(['electron', 'http', 'memory']),
});
export type EngineInfo = z.infer<typeof engineInfoSchema>;

/** What the renderer may ask of the engine. Implemented by each transport's client side. */
export interface HostApi {
  engineInfo(): Promise<EngineInfo>;
}

/** Command names as they travel over IPC channels and HTTP paths. */
export const COMMANDS = { engineInfo: 'engine-info' } as const;
export type CommandName = (typeof COMMANDS)[keyof typeof COMMANDS];
