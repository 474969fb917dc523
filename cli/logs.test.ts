import { describe, expect, it } from 'vitest';
import { SlipwayError } from '../core/model/diagnostics.js';
import { endNote, linePrefix, logOptionsOf } from './logs.js';

describe('slipway logs: flags to what each log reads', () => {
  it.each([
    ['nothing', {}, {}],
    ['-f --previous --timestamps', { follow: true, previous: true, timestamps: true }, { follow: true, previous: true, timestamps: true }],
    ['--tail 0 (only new lines)', { tail: 0 }, { tailLines: 0 }],
    ['--tail 20 --limit-bytes 4096', { tail: 20, limitBytes: 4096 }, { tailLines: 20, limitBytes: 4096 }],
    ['--since 5m', { since: 300_000 }, { sinceSeconds: 300 }],
    ['--since 1500ms rounds up to whole seconds', { since: 1500 }, { sinceSeconds: 2 }],
    ['--since 10ms is at least a second', { since: 10 }, { sinceSeconds: 1 }],
  ])('%s', (_name, flags, want) => {
    expect(logOptionsOf(flags)).toEqual(want);
  });
});

describe('slipway logs: output', () => {
  it("prefixes lines as kubectl's --prefix does", () => {
    expect(linePrefix('web-7d9f8-abcde', 'nginx')).toBe('[pod/web-7d9f8-abcde/nginx] ');
  });

  it.each([
    [{ reason: 'complete' as const }, undefined],
    [{ reason: 'stopped' as const }, undefined],
    [{ reason: 'pod-deleted' as const }, 'pod/web-1/app: the Pod was deleted'],
    [{ reason: 'failed' as const, error: new SlipwayError('cluster-unreachable', 'cannot reach the cluster of context kind at https://127.0.0.1:6443: connection reset') }, 'pod/web-1/app: the log stream failed: cannot reach the cluster of context kind at https://127.0.0.1:6443: connection reset'],
  ])('the end %o: %s', (end, note) => {
    expect(endNote('web-1', 'app', end)).toBe(note);
  });
});
