/**
 * The time a process takes as users run it, measured from outside: wall time from start to exit,
 * and the CPU time (user + system) it used — on a busy machine the wall time also holds the time
 * other processes had the cores, the CPU time only this one's work.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (Linux: 100). */
const TICKS = 100;

/** CPU time (user + system) a running process has used so far, from /proc/<pid>/stat (10 ms resolution). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS; // utime, stime
}

export interface ProcessTime {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly code: number;
}

/**
 * Runs `command args` to its exit, its output discarded (stderr kept for errors). bash starts it
 * and times it: its clock ($EPOCHREALTIME, no process of its own) around the command, and `times`
 * after it, whose second line is the CPU its children (only the command) used.
 */
export function timeProcess(command: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessTime & { stderr: string }> {
  const script = 's=$EPOCHREALTIME; "$@" >/dev/null 2>&3; rc=$?; e=$EPOCHREALTIME; echo "$s $e $rc"; times';
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `exec 3>&2; ${script}`, 'bash', command, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const [clock, , children] = out.trim().split('\n');
      const [start, end, rc] = (clock ?? '').split(' ').map(Number);
      const cpu = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(children ?? '');
      if (start === undefined || end === undefined || rc === undefined || !cpu) return reject(new Error(`could not time ${command} ${args.join(' ')}: ${out}${err}`));
      const seconds = Number(cpu[1]) * 60 + Number(cpu[2]) + Number(cpu[3]) * 60 + Number(cpu[4]);
      resolve({ wallMs: (end - start) * 1000, cpuMs: seconds * 1000, code: rc, stderr: err });
    });
  });
}
