/**
 * The Logs panel against the in-memory host: the stream it asks for, lines batched into the
 * bounded buffer, the container picker, Follow and Previous, the search, the engine's skipped
 * lines, and what it says when the Pod is gone or the log fails.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { engineEventSchema, type EngineEvent } from '../../../core/api/contract.js';
import { EngineError } from '../host.js';
import { renderWithHost, testHost, type Handlers, type TestHost } from '../testing/host.js';
import { logsAnswer } from '../testing/liveFixtures.js';
import { FLUSH_MS } from '../workspace/usePodLogs.js';
import { PodLogs } from './PodLogs.js';

const handlers: Handlers = { startLogs: (r) => logsAnswer(r.streamId, r.container), stopLogs: () => ({ stopped: true }) };

async function view(h: Handlers = handlers, podGone = false) {
  const host = testHost(h);
  const r = renderWithHost(<PodLogs context="staging" namespace="shop" pod="web-7d4-abcde" podGone={podGone} />, host);
  await waitFor(() => expect(host.requests('startLogs')).toHaveLength(1));
  return { host, user: userEvent.setup(), rerender: (gone: boolean) => r.rerender(<PodLogs context="staging" namespace="shop" pod="web-7d4-abcde" podGone={gone} />) };
}

const stream = (host: TestHost, i = -1): string => host.requests('startLogs').at(i)!.streamId;
const send = (host: TestHost, e: EngineEvent): void => act(() => host.emit(engineEventSchema.parse(e)));
const lines = (host: TestHost, texts: string[], dropped = 0, i = -1): void => send(host, { type: 'log-lines', streamId: stream(host, i), lines: texts, dropped });
const flushed = (): Promise<void> => act(() => new Promise<void>((r) => setTimeout(r, FLUSH_MS + 20)));
const shown = (): string[] => screen.queryAllByTestId(/^log-(line|skipped)$/).map((l) => l.textContent ?? '');

describe('PodLogs', () => {
  it("follows the Pod's default container from its tail, and shows the lines in batches", async () => {
    const { host } = await view();
    expect(host.requests('startLogs')[0]).toEqual({ streamId: expect.stringMatching(/^logs-/), context: 'staging', namespace: 'shop', pod: 'web-7d4-abcde', follow: true, tailLines: 10_000 });
    await waitFor(() => expect(screen.getByTestId('pod-logs').dataset.status).toBe('reading'));
    lines(host, ['starting', 'listening on :8080']);
    lines(host, ['GET /healthz 200']);
    expect(shown()).toEqual([]); // gathered until the next flush
    await flushed();
    expect(shown()).toEqual(['starting', 'listening on :8080', 'GET /healthz 200']);
    expect(screen.getByTestId('logs-count').textContent).toBe("3 lines · web, the Pod's default container");
  });

  it('the container picker lists the containers and init containers; another one is a new stream', async () => {
    const { host, user } = await view();
    const picker = await screen.findByTestId<HTMLSelectElement>('logs-container');
    await waitFor(() => expect(picker.disabled).toBe(false));
    expect([...picker.options].map((o) => o.textContent)).toEqual(['web', 'proxy', 'init: migrate']);
    expect(picker.value).toBe('web');
    lines(host, ['from web']);
    await flushed();
    await user.selectOptions(picker, 'proxy');
    await waitFor(() => expect(host.requests('startLogs')).toHaveLength(2));
    expect(host.requests('startLogs')[1]).toMatchObject({ container: 'proxy', follow: true });
    await waitFor(() => expect(host.requests('stopLogs')).toEqual([{ streamId: stream(host, 0) }]));
    expect(shown()).toEqual([]);
  });

  it('Follow off stops reading and keeps the lines; on reads the tail again', async () => {
    const { host, user } = await view();
    lines(host, ['one', 'two']);
    await flushed();
    await user.click(screen.getByTestId('logs-follow'));
    await waitFor(() => expect(host.requests('stopLogs')).toEqual([{ streamId: stream(host, 0) }]));
    send(host, { type: 'log-ended', streamId: stream(host, 0), reason: 'stopped' });
    expect(shown()).toEqual(['one', 'two']);
    expect(screen.getByTestId('logs-ended').textContent).toBe('Not following: the log stops here. Turn on Follow to read on.');
    await user.click(screen.getByTestId('logs-follow'));
    await waitFor(() => expect(host.requests('startLogs')).toHaveLength(2));
    expect(host.requests('startLogs')[1]).toMatchObject({ follow: true, tailLines: 10_000 });
    expect(shown()).toEqual([]);
  });

  it("Previous reads the container's run before its restart", async () => {
    const { host, user } = await view();
    await user.click(screen.getByTestId('logs-previous'));
    await waitFor(() => expect(host.requests('startLogs')).toHaveLength(2));
    expect(host.requests('startLogs')[1]).toMatchObject({ previous: true });
    expect(host.requests('startLogs')[1]).not.toHaveProperty('follow');
    lines(host, ['crashed: out of memory']);
    send(host, { type: 'log-ended', streamId: stream(host), reason: 'complete' });
    expect(shown()).toEqual(['crashed: out of memory']);
    expect(screen.getByTestId('logs-ended').textContent).toBe("End of the previous run's log.");
    expect((screen.getByTestId('logs-follow') as HTMLInputElement).disabled).toBe(true);
  });

  it('the search narrows the lines and marks the words found', async () => {
    const { host, user } = await view();
    lines(host, ['GET /healthz 200', 'POST /login 500', 'GET /login 200']);
    await flushed();
    await user.type(screen.getByTestId('logs-search'), 'login');
    expect(shown()).toEqual(['POST /login 500', 'GET /login 200']);
    expect([...screen.getByTestId('log-lines').querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['login', 'login']);
    expect(screen.getByTestId('logs-count').textContent).toMatch(/^2 of 3 lines match/);
  });

  it('wraps long lines until Wrap is turned off', async () => {
    const { user } = await view();
    expect(screen.getByTestId('log-lines').classList.contains('wrap')).toBe(true);
    await user.click(screen.getByTestId('logs-wrap'));
    expect(screen.getByTestId('log-lines').classList.contains('wrap')).toBe(false);
  });

  it('says where and how many lines the engine skipped', async () => {
    const { host } = await view();
    lines(host, ['before']);
    lines(host, ['after'], 1204);
    await flushed();
    expect(shown()).toEqual(['before', '… 1,204 lines skipped …', 'after']);
    expect(screen.getByTestId('logs-count').textContent).toMatch(/^2 lines · 1,204 skipped by the engine/);
  });

  it.each<[string, EngineError, string]>([
    ['pod-not-found', new EngineError({ code: 'pod-not-found', message: 'Pod shop/web-7d4-abcde not found' }), 'The Pod is gone: there is no log to read'],
    ['no-previous-container', new EngineError({ code: 'no-previous-container', message: 'container web has not restarted' }), 'The container has no previous run'],
    ['forbidden', new EngineError({ code: 'forbidden', message: 'pods "web-7d4-abcde" is forbidden: cannot get resource "pods/log"' }), 'Cannot read the log'],
  ])('a log that cannot be read (%s) says why', async (_, error, title) => {
    await view({
      ...handlers,
      startLogs: () => {
        throw error;
      },
    });
    const message = await screen.findByTestId('error-message');
    expect(within(message).getByText(title)).toBeTruthy();
    expect(message.textContent).toContain(error.message);
  });

  it('a Pod deleted while followed, or a log that broke off, is said so', async () => {
    const { host, user } = await view();
    lines(host, ['last words']);
    send(host, { type: 'log-ended', streamId: stream(host), reason: 'pod-deleted' });
    expect(shown()).toEqual(['last words']);
    expect(screen.getByTestId('logs-ended').textContent).toBe('The Pod web-7d4-abcde was deleted: its log ends here.');
    await user.click(screen.getByTestId('logs-follow'));
    await user.click(screen.getByTestId('logs-follow'));
    await waitFor(() => expect(host.requests('startLogs')).toHaveLength(2));
    send(host, { type: 'log-ended', streamId: stream(host), reason: 'failed', error: { code: 'stream-error', message: 'the connection to the kubelet was reset' } });
    const failed = screen.getByTestId('error-message');
    expect(within(failed).getByText('The log ended with a failure')).toBeTruthy();
    expect(failed.textContent).toContain('the connection to the kubelet was reset');
  });

  it('says when the tree no longer has the Pod', async () => {
    const { rerender } = await view();
    expect(screen.queryByTestId('logs-pod-gone')).toBeNull();
    rerender(true);
    expect(screen.getByTestId('logs-pod-gone').textContent).toBe('The Pod web-7d4-abcde is gone from the cluster.');
  });

  it('stays responsive at 2,000 lines a second: ten seconds of them kept to the last 10,000, a few rows drawn', async () => {
    const { host } = await view();
    const t = performance.now();
    // The engine's batches: ten events of 200 lines a second.
    for (let s = 0; s < 10; s++) {
      for (let b = 0; b < 10; b++) lines(host, Array.from({ length: 200 }, (_, i) => `second ${s} batch ${b} line ${i}`));
      await flushed();
    }
    const elapsed = performance.now() - t - 10 * (FLUSH_MS + 20);
    expect(screen.getByTestId('logs-count').textContent).toMatch(/^10,000 lines · 10,000 older not kept \(the view keeps the last 10,000\)/);
    expect(screen.getAllByTestId('log-line').length).toBeLessThan(80);
    // The oldest kept: the first line of second 5 (the newest in view while following is for Chromium to show: jsdom does not scroll).
    expect(shown()[0]).toBe('second 5 batch 0 line 0');
    expect(elapsed).toBeLessThan(5000);
  });
});
