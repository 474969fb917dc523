import { describe, expect, it } from 'vitest';
import { COMMAND_CHANNELS, COMMAND_IDS, commands, EVENT_CHANNEL } from '../core/api/contract.js';
import { createEventHub } from '../core/api/events.js';
import { createHandlers } from '../core/api/handlers.js';
import { commandListener, forwardEvents } from './ipc.js';
import { RENDERER_INDEX_URL } from './security.js';

const index = RENDERER_INDEX_URL;
const handlers = createHandlers({ transport: 'electron' });
const ours = { senderFrame: { url: `${index}#/plan` } };

describe('electron IPC', () => {
  it('has one channel per contract command', () => {
    expect(COMMAND_IDS).toEqual(Object.keys(commands));
    expect(new Set(Object.values(COMMAND_CHANNELS)).size).toBe(COMMAND_IDS.length);
  });

  it('answers our page through the engine dispatch', async () => {
    expect(await commandListener(handlers, 'engineInfo', index)(ours, {})).toMatchObject({ ok: true, value: { transport: 'electron' } });
  });

  it.each([
    ['another file', { senderFrame: { url: 'file:///tmp/evil.html' } }],
    ['another page of our scheme', { senderFrame: { url: 'app://slipway/evil.html' } }],
    ['a web page', { senderFrame: { url: 'https://evil.example/' } }],
    ['no frame', { senderFrame: null }],
  ])('refuses IPC from %s', async (_what, event) => {
    expect(await commandListener(handlers, 'engineInfo', index)(event, {})).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
  });

  it('validates payloads with the contract schema, naming the field and not the value', async () => {
    const reply = await commandListener(handlers, 'openRepository', index)(ours, { path: ['secret-value-1234'] });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringContaining('path') } });
    expect(JSON.stringify(reply)).not.toContain('secret-value-1234');
    expect(await commandListener(handlers, 'listRevisions', index)(ours, 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('carries engine errors with their code', async () => {
    expect(await commandListener(handlers, 'listApps', index)(ours, { repoId: 'repo-none', rev: 'main' })).toMatchObject({ ok: false, error: { code: 'unknown-repository', hint: expect.any(String) } });
  });
});

describe('electron engine events', () => {
  const event = { type: 'apply-finished', runId: 'run-1', status: 'succeeded', elapsedMs: 10 } as const;
  const target = (url: string, destroyed = false): { sent: unknown[]; isDestroyed: () => boolean; getURL: () => string; send: (c: string, p: unknown) => void } => {
    const sent: unknown[] = [];
    return { sent, isDestroyed: () => destroyed, getURL: () => url, send: (channel, payload) => sent.push([channel, payload]) };
  };

  it('sends validated events to our window on the event channel', () => {
    const hub = createEventHub();
    const win = target(`${index}#/history`);
    const stop = forwardEvents(hub, () => win, index);
    hub.publish(event);
    hub.publish({ ...event, status: 'exploded' } as unknown as typeof event);
    expect(win.sent).toEqual([[EVENT_CHANNEL, event]]);
    stop();
    hub.publish(event);
    expect(win.sent).toHaveLength(1);
  });

  it.each([
    ['a window that navigated away', target('https://evil.example/')],
    ['a destroyed window', target(index, true)],
  ])('sends nothing to %s', (_what, win) => {
    const hub = createEventHub();
    forwardEvents(hub, () => win, index);
    hub.publish(event);
    expect(win.sent).toEqual([]);
  });

  it('refuses apply payloads from untrusted frames and invalid ones from ours', async () => {
    expect(await commandListener(handlers, 'apply', index)({ senderFrame: { url: 'https://evil.example/' } }, { planId: 'plan-0123456789abcdef' })).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
    expect(await commandListener(handlers, 'apply', index)(ours, { plan: {} })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });
});
