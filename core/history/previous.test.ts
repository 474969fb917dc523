import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLUSTER_B, testPlan, type CLUSTER_A } from '../../test/support/history-fixtures.js';
import type { FinishStatus } from '../model/run.js';
import { openHistory, type History } from './history.js';
import { lastAppliedBefore } from './previous.js';

let dir: string | undefined;
let h: History | undefined;
afterEach(() => {
  h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('lastAppliedBefore', () => {
  it('is the latest earlier run of the app that applied everything to the same cluster', () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-previous-'));
    let t = Date.UTC(2026, 3, 1);
    h = openHistory({ path: join(dir, 'history.db'), now: () => new Date((t += 1000)) });
    const history = h;
    const run = (commit: string, status: FinishStatus, opts: { app?: string; cluster?: typeof CLUSTER_A } = {}): string => {
      const id = history.startRun({ plan: testPlan({ commit: commit.repeat(40), ...(opts.app && { app: opts.app }), ...(opts.cluster && { cluster: opts.cluster }) }), kind: 'apply', user: { kube: 'me' } });
      history.finishRun(id, { status });
      return id;
    };
    const good = run('a', 'succeeded');
    run('b', 'succeeded', { cluster: CLUSTER_B });
    run('c', 'succeeded', { app: 'api' });
    run('d', 'failed');
    const progressing = run('e', 'progressing');
    const bad = run('f', 'succeeded');
    expect(lastAppliedBefore(history, history.run(bad)!)?.id).toBe(progressing);
    expect(lastAppliedBefore(history, history.run(progressing)!)?.id).toBe(good);
    expect(lastAppliedBefore(history, history.run(good)!)).toBeUndefined();
  });
});
