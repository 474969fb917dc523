/** The count under an apply's status: changes done while it runs, what did not finish once it ended badly (table-driven). */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, ResourceKey } from '../../core/api/contract.js';
import { countText, progressOf } from './applyProgress.js';

const RUN = 'run-1';
const k = (name: string): ResourceKey => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name });
const object = (name: string, state: Extract<EngineEvent, { type: 'apply-object' }>['state'], message?: string, step = 1): EngineEvent => ({ type: 'apply-object', runId: RUN, step, key: k(name), state, ...(message && { message }) });
const finished = (status: Extract<EngineEvent, { type: 'apply-finished' }>['status']): EngineEvent => ({ type: 'apply-finished', runId: RUN, status, elapsedMs: 1000 });
const started: EngineEvent = { type: 'apply-started', runId: RUN, steps: 2, changes: 3 };
const hookStep: EngineEvent = { type: 'apply-step', runId: RUN, step: 0, syncPhase: 'PreSync', wave: 0, phase: 'upsert', group: 'workloads', hooks: true, count: 1 };

describe('countText', () => {
  it.each<[string, EngineEvent[], string]>([
    ['running', [started, object('a', 'healthy'), object('b', 'waiting', '0 of 1 replica available; Pod shop/b-x Pending: … (FailedScheduling)')], '1 of 3 changes done'],
    ['succeeded; a hook is no change', [started, hookStep, object('migrate', 'healthy', undefined, 0), object('a', 'healthy'), object('b', 'deleted'), object('c', 'applied', 'not waited for (slipway.dev/wait: applied)'), finished('succeeded')], '3 of 3 changes done'],
    ['failed: the failed one and the skipped one did not finish', [started, object('a', 'healthy'), object('b', 'failed', 'ProgressDeadlineExceeded'), object('c', 'skipped'), finished('failed')], 'Failed: 2 of 3 changes did not finish'],
    ['failed before the others were reported', [started, object('a', 'failed'), finished('failed')], 'Failed: 3 of 3 changes did not finish'],
    ['cancelled while one was unknown', [started, object('a', 'healthy'), object('b', 'progressing'), object('c', 'unknown'), finished('cancelled')], 'Cancelled: 1 of 3 changes did not finish'],
    ['refused: nothing was sent', [started, finished('refused')], 'Refused: 3 of 3 changes did not finish'],
  ])('%s', (_case, events, text) => {
    expect(countText(progressOf(events, RUN), 3)).toBe(text);
  });

  it('one change: singular', () => {
    expect(countText(progressOf([{ ...started, changes: 1 }, object('a', 'failed'), finished('failed')], RUN), 1)).toBe('Failed: 1 of 1 change did not finish');
  });
});
