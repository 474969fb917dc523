/**
 * The Live tab against the in-memory host: the tree as watchLiveTree answers it and as its
 * `live-tree` events bring it again, the watch states ("reconnecting…", forbidden parts named),
 * what could not be read said in place, the app's Events, an app never applied, a failed start,
 * and the stream stopped when the tab goes or the target changes.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { engineEventSchema, type CommandRequest, type EngineEvent, type LiveTreeResult, type LiveTreeWatchState } from '../../../core/api/contract.js';
import { EngineError } from '../host.js';
import type { LiveTarget } from '../liveTarget.js';
import { REPO } from '../testing/fixtures.js';
import { renderWithHost, testHost, type Handlers, type TestHost } from '../testing/host.js';
import { liveTree, logsAnswer, node, watchAnswer } from '../testing/liveFixtures.js';
import { LiveView } from './LiveView.js';

const TARGET: LiveTarget = { repoId: REPO.id, rev: 'refs/heads/main', app: { app: 'web' }, context: 'staging' };

const liveHandlers = (tree: () => LiveTreeResult = () => liveTree()): Handlers => ({
  watchLiveTree: (r) => watchAnswer(r.streamId, tree()),
  stopLiveTree: () => ({ stopped: true }),
  startLogs: (r) => logsAnswer(r.streamId, r.container),
  stopLogs: () => ({ stopped: true }),
});

function view(handlers: Handlers = liveHandlers(), target: LiveTarget | null = TARGET) {
  const host = testHost(handlers);
  const onPlan = vi.fn();
  const r = renderWithHost(<LiveView target={target} onPlan={onPlan} />, host);
  return { host, onPlan, rerender: (t: LiveTarget | null) => r.rerender(<LiveView target={t} onPlan={onPlan} />), unmount: r.unmount, user: userEvent.setup() };
}

const streamOf = (host: TestHost, i = 0): string => host.requests('watchLiveTree')[i]!.streamId;
const emit = (host: TestHost, e: EngineEvent): void => act(() => host.emit(engineEventSchema.parse(e)));
const treeEvent = (streamId: string, tree: LiveTreeResult, watches: LiveTreeWatchState[] = []): EngineEvent => ({ type: 'live-tree', streamId, tree, watches });

/** The tree's rows as "  Kind name health" (two spaces a level), folds and notes as their text. */
const rows = (): string[] =>
  [...screen.getByTestId('live-tree').querySelectorAll<HTMLElement>('[role=treeitem]')].map((r) => {
    const pad = '  '.repeat(Number(r.getAttribute('aria-level')) - 1);
    if (r.dataset.testid === 'live-node') return `${pad}${r.dataset.key} ${r.dataset.health}`;
    return `${pad}${r.textContent?.replace(/^[▸▾!]\s*/, '') ?? ''}`;
  });

describe('LiveView', () => {
  it('watches the chosen app on its context and shows its tree, health and counts', async () => {
    const { host } = view();
    expect(screen.getByTestId('live-view').dataset.status).toBe('loading');
    await screen.findByTestId('live-tree');
    expect(host.requests('watchLiveTree')).toEqual([{ streamId: expect.stringMatching(/^live-/), repoId: REPO.id, rev: 'refs/heads/main', app: 'web', context: 'staging' }]);
    expect(rows()).toEqual([
      'Deployment shop/web progressing',
      '  ReplicaSet shop/web-7d4 progressing',
      '    Pod shop/web-7d4-abcde healthy',
      '    Pod shop/web-7d4-fghij degraded',
      '  2 old ReplicaSets of earlier rollouts',
      'Service shop/web healthy',
      '  EndpointSlice shop/web-x7k2p healthy',
      'ConfigMap shop/web-config healthy',
      'ConfigMap shop/web-flags missing',
    ]);
    expect(screen.getByTestId('live-counts').textContent).toBe('10 objects: 6 healthy · 2 progressing · 1 degraded · 1 missing');
    expect(screen.getByTestId('live-view').dataset.health).toBe('degraded');
    const pending = screen.getAllByTestId('live-node').find((r) => r.dataset.key === 'Pod shop/web-7d4-fghij')!;
    expect(pending.textContent).toContain('0/1 nodes are available: 1 Insufficient cpu (FailedScheduling)');
    expect(pending.textContent).toContain('45s'); // created 09:59:15, read at 10:00:00
    const gone = screen.getAllByTestId('live-node').find((r) => r.dataset.key === 'ConfigMap shop/web-flags')!;
    expect(gone.classList.contains('live-gone')).toBe(true);
    expect(within(gone).getByText('gone')).toBeTruthy();
  });

  it('opens the old rollouts, folds a node', async () => {
    const { user } = view();
    await screen.findByTestId('live-tree');
    await user.click(screen.getByTestId('live-old'));
    expect(rows()).toContain('    ReplicaSet shop/web-5c9 healthy');
    const deployment = screen.getAllByTestId('live-node')[0]!;
    await user.click(deployment.querySelector('.twisty')!);
    expect(rows().slice(0, 2)).toEqual(['Deployment shop/web progressing', 'Service shop/web healthy']);
  });

  it('follows the tree the engine sends, and says the watch states: live, reconnecting…, forbidden parts', async () => {
    const { host } = view();
    await screen.findByTestId('live-tree');
    const id = streamOf(host);
    const healthy = liveTree({ health: 'healthy', counts: { healthy: 3, progressing: 0, degraded: 0, missing: 0, unknown: 0 }, roots: [node('Deployment', 'web', { children: [node('ReplicaSet', 'web-7d4', { children: [node('Pod', 'web-7d4-abcde')] }, 'apps')] }, 'apps')] });
    emit(host, treeEvent(id, healthy, [{ key: 'apps/v1/deployments@shop', phase: 'synced' }, { key: 'v1/pods@shop', phase: 'synced' }]));
    expect(rows()).toEqual(['Deployment shop/web healthy', '  ReplicaSet shop/web-7d4 healthy', '    Pod shop/web-7d4-abcde healthy']);
    expect(screen.getByTestId('live-view').dataset.status).toBe('synced');
    expect(screen.getByTestId('live-watching').textContent).toBe('● live');

    emit(host, treeEvent(id, healthy, [{ key: 'apps/v1/deployments@shop', phase: 'reconnecting', reason: 'connect ECONNREFUSED 127.0.0.1:6443' }, { key: 'v1/pods@shop', phase: 'forbidden', reason: 'pods is forbidden: User "dev" cannot watch resource "pods"' }]));
    expect(screen.getByTestId('live-reconnecting').textContent).toBe('Reconnecting to the cluster… deployments.apps in shop — connect ECONNREFUSED 127.0.0.1:6443. The tree shows what was last seen.');
    expect(screen.getByTestId('live-forbidden').textContent).toBe('Not kept current, no permission to watch pods in shop: pods is forbidden: User "dev" cannot watch resource "pods"');
    expect(rows()).toHaveLength(3); // the rest still shows

    emit(host, treeEvent('someone-else', liveTree({ roots: [] })));
    expect(rows()).toHaveLength(3);
  });

  it("says in place what could not be read, and the app's members it may not list above the tree", async () => {
    const gaps: LiveTreeResult['gaps'] = [
      { group: '', kind: 'Pod', namespace: 'shop', of: 'children', message: 'pods is forbidden: User "dev" cannot list resource "pods"' },
      { group: 'batch', kind: 'CronJob', namespace: 'shop', of: 'members', message: 'cronjobs.batch is forbidden' },
      { group: '', kind: 'Event', namespace: 'shop', of: 'events', message: 'events is forbidden' },
    ];
    view(liveHandlers(() => liveTree({ gaps, roots: [node('Deployment', 'web', { children: [node('ReplicaSet', 'web-7d4', { unread: ['Pod'] }, 'apps')] }, 'apps')] })));
    await screen.findByTestId('live-tree');
    expect(rows()).toEqual(['Deployment shop/web healthy', '  ReplicaSet shop/web-7d4 healthy', '    cannot list Pods here: pods is forbidden: User "dev" cannot list resource "pods"']);
    expect(screen.getByTestId('live-gap').textContent).toBe("cannot list the app's CronJobs in shop: cronjobs.batch is forbidden");
    expect(screen.getByTestId('events-gap').textContent).toBe('cannot list Events in shop: events is forbidden');
  });

  it('lists the Events newest first, a Warning marked, with count, age and how many more', async () => {
    const { user } = view();
    await screen.findByTestId('live-tree');
    const events = screen.getAllByTestId('live-event');
    expect(events.map((e) => `${e.dataset.type} ${e.dataset.reason}`)).toEqual(['Warning FailedScheduling', 'Normal ScalingReplicaSet', 'Normal Started']);
    expect(events[0]!.classList.contains('event-warning')).toBe(true);
    expect(events[0]!.textContent).toContain('Pod web-7d4-fghij');
    expect(events[0]!.textContent).toContain('×4');
    expect(events[0]!.textContent).toContain('10s'); // last seen 09:59:50
    expect(events[0]!.textContent).toContain('0/1 nodes are available: 1 Insufficient cpu.');
    expect(screen.getByTestId('events-more').textContent).toBe('3 more events not shown (older ones)');
    expect(screen.getByTestId('live-tab-events').textContent).toBe('Events (6)');
    // The Deployment chosen: its events only, on asking.
    await user.click(screen.getAllByTestId('live-node')[0]!);
    expect(screen.getByTestId('live-selected').dataset.key).toBe('Deployment shop/web');
    await user.click(screen.getByTestId('events-only-selected'));
    expect(screen.getAllByTestId('live-event').map((e) => e.dataset.reason)).toEqual(['ScalingReplicaSet']);
  });

  it('a Pod chosen in the tree opens its logs beside it', async () => {
    const { host, user } = view();
    await screen.findByTestId('live-tree');
    expect((screen.getByTestId('live-tab-logs') as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getAllByTestId('live-node').find((r) => r.dataset.key === 'Pod shop/web-7d4-abcde')!);
    expect(screen.getByTestId('live-tab-logs').textContent).toBe('Logs: web-7d4-abcde');
    await waitFor(() => expect(host.requests('startLogs')).toHaveLength(1));
    expect(host.requests('startLogs')[0]).toMatchObject({ context: 'staging', namespace: 'shop', pod: 'web-7d4-abcde', follow: true });
    expect(screen.getByTestId('pod-logs').dataset.pod).toBe('web-7d4-abcde');
    // To the Events and back: the same stream goes on.
    await user.click(screen.getByTestId('live-tab-events'));
    await user.click(screen.getByTestId('live-tab-logs'));
    expect(host.requests('startLogs')).toHaveLength(1);
  });

  it('an app never applied to the context says so, and offers the plan', async () => {
    const { onPlan, user } = view(liveHandlers(() => liveTree({ applySet: { parent: 'Secret/shop/applyset-web', id: 'applyset-abc-v1', found: false }, roots: [], events: [], moreEvents: 0, health: 'missing', counts: { healthy: 0, progressing: 0, degraded: 0, missing: 0, unknown: 0 } })));
    const notice = await screen.findByTestId('live-not-applied');
    expect(notice.textContent).toContain('web has never been applied to staging: there is no ApplySet parent Secret/shop/applyset-web on its cluster');
    expect(screen.queryByTestId('live-tree')).toBeNull();
    await user.click(screen.getByTestId('live-go-plan'));
    expect(onPlan).toHaveBeenCalledOnce();
  });

  it('a failed start says why, and Try again watches again', async () => {
    let calls = 0;
    const { host, user } = view({
      ...liveHandlers(),
      watchLiveTree: (r) => {
        if (calls++ === 0) throw new EngineError({ code: 'cluster-unreachable', message: 'cannot reach the cluster of context staging', hint: 'is the cluster running?' });
        return watchAnswer(r.streamId);
      },
    });
    const error = await screen.findByTestId('error-message');
    expect(error.textContent).toContain('Cannot watch web on staging');
    expect(error.textContent).toContain('cannot reach the cluster of context staging');
    await user.click(within(error).getByRole('button', { name: 'Try again' }));
    await screen.findByTestId('live-tree');
    expect(host.requests('watchLiveTree')).toHaveLength(2);
  });

  it('the engine stopping the stream is said, and Watch again starts another', async () => {
    const { host, user } = view();
    await screen.findByTestId('live-tree');
    emit(host, { type: 'live-tree-ended', streamId: streamOf(host), reason: 'stopped' });
    expect(screen.getByTestId('live-ended').textContent).toContain('stopped by the engine');
    await user.click(within(screen.getByTestId('live-ended')).getByRole('button', { name: 'Watch again' }));
    await waitFor(() => expect(host.requests('watchLiveTree')).toHaveLength(2));
    await waitFor(() => expect(host.requests('stopLiveTree').map((r) => r.streamId)).toEqual([streamOf(host, 0)]));
  });

  it('stops the stream when the target changes and when the tab goes', async () => {
    const { host, rerender, unmount } = view();
    await screen.findByTestId('live-tree');
    rerender({ ...TARGET, context: 'prod' });
    await waitFor(() => expect(host.requests('watchLiveTree')).toHaveLength(2));
    expect(host.requests('watchLiveTree')[1]).toMatchObject({ context: 'prod' });
    await waitFor(() => expect(host.requests('stopLiveTree').map((r) => r.streamId)).toEqual([streamOf(host, 0)]));
    // The same target again: the same stream.
    rerender({ ...TARGET, context: 'prod' });
    unmount();
    await waitFor(() => expect(host.requests('stopLiveTree').map((r) => r.streamId)).toEqual([streamOf(host, 0), streamOf(host, 1)]));
    expect(host.requests('watchLiveTree')).toHaveLength(2);
  });

  it('a stop asked while the start is still answering waits for it', async () => {
    let answer!: (v: ReturnType<typeof watchAnswer>) => void;
    const requests: Array<CommandRequest<'watchLiveTree'>> = [];
    const { host, unmount } = view({ ...liveHandlers(), watchLiveTree: (r) => (requests.push(r), new Promise((res) => (answer = res))) });
    await waitFor(() => expect(requests).toHaveLength(1));
    unmount();
    await new Promise((r) => setTimeout(r, 20));
    expect(host.requests('stopLiveTree')).toEqual([]);
    answer(watchAnswer(requests[0]!.streamId));
    await waitFor(() => expect(host.requests('stopLiveTree')).toEqual([{ streamId: requests[0]!.streamId }]));
  });

  it('asks for an app and a context first', () => {
    view(liveHandlers(), null);
    expect(screen.getByText('Pick an app and a context to see the app live on its cluster.')).toBeTruthy();
  });

  it('a 500-object tree draws only the rows in view (virtualized)', async () => {
    const roots = Array.from({ length: 100 }, (_, i) => node('Deployment', `d${i}`, { children: [node('ReplicaSet', `d${i}-rs`, { children: [node('Pod', `d${i}-pod`)] }, 'apps'), node('ReplicaSet', `d${i}-old`, { old: true }, 'apps')] }, 'apps'));
    roots.push(...Array.from({ length: 100 }, (_, i) => node('Service', `s${i}`)));
    view(liveHandlers(() => liveTree({ roots, counts: { healthy: 500, progressing: 0, degraded: 0, missing: 0, unknown: 0 } })));
    const tree = await screen.findByTestId('live-tree');
    expect(tree.dataset.rows).toBe('500');
    expect(screen.getAllByTestId('live-node').length).toBeLessThan(60);
  });
});
