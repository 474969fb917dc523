/**
 * The engine's event stream: handlers publish, transports subscribe (a WebSocket per browser page,
 * webContents.send to the Electron window). Every event is validated with the contract's schema
 * before any listener sees it, so a transport only ever carries events of the contract.
 */
import { describeIssues, engineEventSchema, type EngineEvent } from './contract.js';

export type EventListener = (event: EngineEvent) => void;

/** What a transport needs: subscribe, and stop. */
export interface EventSource {
  subscribe(listener: EventListener): () => void;
}

export interface EventHub extends EventSource {
  /** Validates and delivers; an event that does not match the contract is dropped and logged (a bug). */
  publish(event: EngineEvent): void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    publish(event) {
      const parsed = engineEventSchema.safeParse(event);
      if (!parsed.success) {
        console.error(`slipway engine: dropped an event that does not match the contract: ${describeIssues(parsed.error)}`);
        return;
      }
      for (const listener of [...listeners]) {
        try {
          listener(parsed.data);
        } catch (err) {
          console.error('slipway engine: an event listener failed:', err);
        }
      }
    },
  };
}
