/** A new stream id for startLogs or watchLiveTree (the caller picks it, so it can take the stream's events before the start answers). */
export function newStreamId(prefix: string): string {
  const c = globalThis.crypto;
  const random = typeof c?.randomUUID === 'function' ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  return `${prefix}-${random}`;
}
