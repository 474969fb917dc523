/**
 * Which process runs a run, and whether it still lives. SQLite's WAL mode needs shared memory, so
 * every process writing one history file is on the same machine: the pid (plus, on Linux, the
 * process start time, which defeats pid reuse) tells a crashed run from a live one without locks.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessOwner {
  readonly pid: number;
  readonly host: string;
  /** Process start time in clock ticks since boot (Linux /proc/<pid>/stat), or "" where unknown. */
  readonly start: string;
}

interface ProcStat {
  readonly start: string;
  readonly zombie: boolean;
}

function procStat(pid: number): ProcStat | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid … starttime …": comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); starttime is field 22.
    return { start: fields[19] ?? '', zombie: fields[0] === 'Z' || fields[0] === 'X' };
  } catch {
    return undefined;
  }
}

let self: ProcessOwner | undefined;

export function currentOwner(): ProcessOwner {
  self ??= { pid: process.pid, host: hostname(), start: procStat(process.pid)?.start ?? '' };
  return self;
}

export function sameProcess(a: ProcessOwner, b: ProcessOwner): boolean {
  return a.pid === b.pid && a.host === b.host && a.start === b.start;
}

/**
 * Whether another process may still be running. A different host counts as gone: WAL cannot be
 * shared across machines, so such a run comes from a copied or synced file.
 */
export function processAlive(owner: ProcessOwner): boolean {
  if (owner.host !== currentOwner().host) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(owner.pid);
  if (stat?.zombie) return false;
  if (stat && owner.start && stat.start !== owner.start) return false; // the pid was reused
  return true;
}
