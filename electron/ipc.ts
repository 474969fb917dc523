/**
 * The shell's IPC answer to one contract command, without Electron itself so it is unit-tested:
 * refuse frames that are not our page, then hand the payload to the engine's dispatch, which
 * validates it with the command's schema (as the HTTP transport does). The reply is an
 * { ok, value | error } envelope because Electron keeps only the message of a thrown error.
 */
import type { CommandId, Reply } from '../core/api/contract.js';
import { dispatchCommand } from '../core/api/dispatch.js';
import type { CommandHandlers } from '../core/api/handlers.js';
import { isTrustedSender } from './security.js';

/** The part of Electron's IpcMainInvokeEvent this needs. */
export interface InvokeEvent {
  readonly senderFrame?: { readonly url: string } | null;
}

export function commandListener(handlers: CommandHandlers, id: CommandId, rendererIndexUrl: string): (event: InvokeEvent, request: unknown) => Promise<Reply<unknown>> {
  return async (event, request) => {
    if (!isTrustedSender(event.senderFrame?.url, rendererIndexUrl)) return { ok: false, error: { code: 'untrusted-sender', message: 'refused: IPC from a frame that is not the Slipway page' } };
    return dispatchCommand(handlers, id, request);
  };
}
