/**
 * The history shared by real, separate processes: a crashed apply and concurrent writers.
 * Children run test/support/history-child.ts under tsx. Runs in the `tooling` project, whose
 * timeout is sized to process starts on a busy machine.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory } from './history.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(ROOT, 'test/support/history-child.ts');

let dir: string;
let file: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-history-'));
  file = join(dir, 'history.db');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function child(...args: string[]): { proc: ChildProcess; line: (prefix: string) => Promise<string>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  let stderr = '';
  proc.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) => proc.on('exit', (code, signal) => done({ code, signal, stderr })));
  const line = (prefix: string): Promise<string> =>
    new Promise((done, fail) => {
      const look = (): void => {
        const found = out.split('\n').find((l) => l.startsWith(prefix));
        if (found !== undefined) done(found.slice(prefix.length));
      };
      proc.stdout?.on('data', look);
      void exited.then((e) => fail(new Error(`child exited (${e.code ?? e.signal}) before printing ${prefix}: ${e.stderr}`)));
      look();
    });
  return { proc, line, exited };
}

function integrity(): string {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('history shared by processes', () => {
  it('marks a run whose process was killed mid-way as interrupted at the next open, keeping what it recorded', async () => {
    const crasher = child('crash', file, 'web');
    const runId = await crasher.line('RUN ');

    // While the other process lives, its run is left alone.
    const watcher = openHistory({ path: file });
    expect(watcher.run(runId)?.status).toBe('running');

    crasher.proc.kill('SIGKILL');
    expect(await crasher.exited).toMatchObject({ signal: 'SIGKILL' });

    const next = openHistory({ path: file });
    const run = next.run(runId);
    expect(run).toMatchObject({
      status: 'interrupted',
      user: { kube: 'crasher' },
      error: expect.stringMatching(new RegExp(`^Interrupted: its process \\(pid ${crasher.proc.pid} on .+\\) ended before the run finished \\(noticed .+\\)$`)),
      objects: [{ key: { kind: 'Deployment', name: 'web' }, outcome: 'applied' }],
    });
    expect(Date.parse(run?.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(run?.startedAt ?? ''));
    expect(next.snapshot(run?.objects[0]?.afterHash ?? '')).toMatchObject({ spec: { replicas: 2 } });
    // Already marked: the first instance finds nothing more to do.
    expect(watcher.markInterrupted()).toEqual([]);
    watcher.close();
    next.close();
    expect(integrity()).toBe('ok');
  });

  it('takes concurrent writers on a new file (migrations included) without losing a write', async () => {
    const apps = ['alpha', 'beta', 'gamma'];
    const perApp = 15;
    const writers = apps.map((app) => child('write', file, app, String(perApp)));
    const results = await Promise.all(writers.map((w) => w.exited));
    expect(results.map((r) => [r.code, r.stderr])).toEqual(apps.map(() => [0, '']));

    const h = openHistory({ path: file });
    for (const app of apps) {
      const runs = h.runsOfApp({ repo: '/repos/gitops', app, limit: 100 });
      expect(runs.items).toHaveLength(perApp);
      expect(runs.items.every((r) => r.status === 'succeeded' && r.user.kube === app)).toBe(true);
    }
    const shared = h.historyOfResource({ key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'shared' }, limit: 1000 });
    expect(shared.items).toHaveLength(apps.length * perApp * 2);
    // Each writer's own results appear in the order it wrote them.
    for (const app of apps) {
      const mine = shared.items.filter((e) => e.run.user.kube === app && e.result.outcome === 'applied').map((e) => e.result.message);
      expect(mine).toEqual(Array.from({ length: perApp }, (_, i) => `${app} ${perApp - 1 - i}`));
    }
    h.close();
    expect(integrity()).toBe('ok');
  });
});
