/** What `slipway apply` prints and exits with, per run status and object event (table-driven). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApplyEvent } from '../core/apply/executor.js';
import { FINISH_STATUSES } from '../core/model/run.js';
import { applyPrinter, exitCodeOf, lineBuffer, stillProgressingText } from './apply-output.js';

const lb = { group: '', version: 'v1', kind: 'Service', namespace: 'shop', name: 'frontend-external' };
const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const LB_MESSAGE = 'waiting for the load balancer to get an address (no load-balancer controller answered in 30 s)';

/** The lines an applyPrinter prints for these events. */
function print(events: ApplyEvent[]): string[] {
  const lines: string[] = [];
  const printer = applyPrinter((l) => lines.push(l));
  for (const e of events) printer(e);
  return lines;
}

describe('exitCodeOf', () => {
  it.each(FINISH_STATUSES.map((s) => [s, s === 'succeeded' || s === 'progressing' ? 0 : 1] as const))('%s → %i', (status, code) => {
    expect(exitCodeOf(status)).toBe(code);
  });
});

describe('applyPrinter', () => {

  it('ends a progressing run naming what still progresses, and why', () => {
    expect(
      print([
        { type: 'object', key: lb, state: 'applied', step: 0 },
        { type: 'object', key: lb, state: 'waiting', step: 0 },
        { type: 'object', key: web, state: 'healthy', message: '1 of 1 replica available', step: 0 },
        { type: 'object', key: lb, state: 'progressing', message: LB_MESSAGE, step: 0 },
        { type: 'finished', status: 'progressing', elapsedMs: 31_250 },
      ]),
    ).toEqual([
      '  ✓ Deployment.apps shop/web healthy: 1 of 1 replica available',
      `  ~ Service shop/frontend-external progressing: ${LB_MESSAGE}`,
      `Apply complete, still progressing: Service shop/frontend-external — ${LB_MESSAGE}\nApplied in 31.3 s; Slipway does not wait for it (annotate slipway.dev/wait: strict to wait, and fail at the timeout)`,
    ]);
  });

  it.each<[string, ApplyEvent, string[]]>([
    ['succeeded', { type: 'finished', status: 'succeeded', elapsedMs: 1500 }, ['Apply succeeded after 1.5 s']],
    ['failed', { type: 'finished', status: 'failed', error: 'step 1 of 1 (wave 0) failed: x', elapsedMs: 300_000 }, ['Apply failed after 300.0 s: step 1 of 1 (wave 0) failed: x']],
    ['applied, not waited for', { type: 'object', key: web, state: 'applied', message: 'not waited for (slipway.dev/wait: applied)', step: 0 }, ['  ✓ Deployment.apps shop/web applied: not waited for (slipway.dev/wait: applied)']],
    [
      'waiting, and why',
      { type: 'object', key: web, state: 'waiting', message: '0 of 4 replicas available; 4 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. shop/web-75f764998c-abcde', step: 0 },
      ['  ◷ Deployment.apps shop/web waiting: 0 of 4 replicas available; 4 Pods Pending: 0/1 nodes are available: 1 Insufficient cpu (FailedScheduling), e.g. shop/web-75f764998c-abcde'],
    ],
  ])('%s', (_case, event, lines) => {
    expect(print([event])).toEqual(lines);
  });
});

describe('applyPrinter: objects failing the same way', () => {
  const svc = (name: string) => ({ group: '', version: 'v1', kind: 'Service', namespace: 'bench', name });
  const full = (name: string): ApplyEvent => ({ type: 'object', key: svc(name), state: 'failed', message: `Service bench/${name} is invalid: spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full`, step: 0 });
  const unreachable = (name: string): ApplyEvent => ({ type: 'object', key: svc(name), state: 'skipped', message: 'not sent: the cluster is unreachable', step: 0 });
  const finished: ApplyEvent = { type: 'finished', status: 'failed', error: 'step 1 of 1 (wave 0) failed: …', elapsedMs: 4000 };
  const FULL_A = '  ✗ Service bench/a failed: Service bench/a is invalid: spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full';

  it.each<[string, ApplyEvent[], string[]]>([
    ['one failure', [full('a'), finished], [FULL_A, 'Apply failed after 4.0 s: step 1 of 1 (wave 0) failed: …']],
    ['two the same: the first, then the other counted at the end', [full('a'), full('b'), finished], [FULL_A, '  ✗ 1 more failed the same way: Service bench/b', 'Apply failed after 4.0 s: step 1 of 1 (wave 0) failed: …']],
    [
      '1,000 the same: the error once, the count and a few names',
      [...Array.from({ length: 1000 }, (_, i) => full(i === 0 ? 'a' : `s${i}`)), finished],
      [FULL_A, '  ✗ 999 more failed the same way: Service bench/s1, Service bench/s2, Service bench/s3 and 996 more', 'Apply failed after 4.0 s: step 1 of 1 (wave 0) failed: …'],
    ],
    [
      'different errors and skips: each once, counted apart',
      [full('a'), unreachable('x'), { type: 'object', key: svc('c'), state: 'failed', message: 'Service bench/c is invalid: spec.ports: Required value', step: 0 }, unreachable('y'), full('b'), unreachable('z'), finished],
      [
        FULL_A,
        '  - Service bench/x skipped: not sent: the cluster is unreachable',
        '  ✗ Service bench/c failed: Service bench/c is invalid: spec.ports: Required value',
        '  ✗ 1 more failed the same way: Service bench/b',
        '  - 2 more skipped the same way: Service bench/y and Service bench/z',
        'Apply failed after 4.0 s: step 1 of 1 (wave 0) failed: …',
      ],
    ],
  ])('%s', (_case, events, lines) => {
    expect(print(events)).toEqual(lines);
  });
});

describe('stillProgressingText', () => {
  it('puts several objects one a line', () => {
    expect(stillProgressingText([{ key: lb, message: LB_MESSAGE }, { key: { ...lb, name: 'admin' } }])).toBe(`Apply complete, still progressing:\n  Service shop/frontend-external — ${LB_MESSAGE}\n  Service shop/admin`);
  });
});

describe('lineBuffer: progress lines printed close together go out in one write', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the lines of one window together, in order, and none later than the window', async () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const { out } = lineBuffer((t) => writes.push(t), { windowMs: 50 });
    out('a');
    await vi.advanceTimersByTimeAsync(1);
    out('b');
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(49);
    expect(writes).toEqual(['a\nb\n']);
    out('c');
    await vi.advanceTimersByTimeAsync(50);
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('flush writes what is pending at once; a full buffer is written without waiting', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const { out, flush } = lineBuffer((t) => writes.push(t), { maxChars: 8 });
    out('one');
    flush();
    flush();
    expect(writes).toEqual(['one\n']);
    out('four');
    out('five');
    expect(writes).toEqual(['one\n', 'four\nfive\n']);
  });
});
