/**
 * The shell's IPC answer to one contract command, without Electron itself so it is unit-tested:
 * refuse frames that are not our page, then hand the payload to the engine's dispatch, which
 * validates it with the command's schema (as the HTTP transport does). The reply is an
 * { ok, value | error } envelope because Electron keeps only the message of a thrown error.
 */
import { EVENT_CHANNEL } from '../core/api/channels.js';
import type { CommandId, Reply } from '../core/api/contract.js';
import { dispatchCommand } from '../core/api/dispatch.js';
import type { EventSource } from '../core/api/events.js';
import type { CommandHandlers } from '../core/api/contract.js';
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

/** The part of Electron's WebContents events are sent to. */
export interface EventTarget {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: string, payload: unknown): void;
}

/**
 * Carries engine events (validated by the engine's event hub) to the window, and only while it
 * shows our own page: a window that navigated elsewhere gets nothing. Returns the unsubscribe.
 */
export function forwardEvents(events: EventSource, target: () => EventTarget | undefined, rendererIndexUrl: string): () => void {
  return events.subscribe((event) => {
    const contents = target();
    if (!contents || contents.isDestroyed() || !isTrustedSender(contents.getURL(), rendererIndexUrl)) return;
    contents.send(EVENT_CHANNEL, event);
  });
}
