/**
 * What `slipway apply` (and rollback, revert) prints while a run goes and when it ends, and the
 * exit code of its status.
 *
 * Exit codes: 0 when the run applied every object — `succeeded`, and `progressing` (every object
 * applied, some still waiting for something outside the app, such as a load balancer's address
 * from a controller the cluster may not have: Argo CD's sync succeeded too, and shows the app
 * Progressing); 1 for every other status (failed, cancelled, refused).
 */
import type { ApplyEvent, ObjectResult } from '../core/apply/executor.js';
import { failureIdentity, keysText } from '../core/model/failures.js';
import { formatKey, type ResourceKey } from '../core/model/resource.js';
import { appliedEverything, type FinishStatus } from '../core/model/run.js';

/** The process exit code of a run's status. */
export function exitCodeOf(status: FinishStatus | string): 0 | 1 {
  return appliedEverything(status) ? 0 : 1;
}

/**
 * Object states printed: an object is printed once it is done ("applied" with a message: not waited
 * for, or its health is unknown), and while it is waited for when the wait says why (its status and
 * its Pods' reason, every few seconds when it changes, as `kubectl rollout status` prints).
 */
const MARKS: Readonly<Partial<Record<string, string>>> = { healthy: '✓', deleted: '✓', applied: '✓', waiting: '◷', progressing: '~', failed: '✗', skipped: '-', unknown: '?' };

/**
 * "Apply complete, still progressing: Service shop/frontend-external — waiting for the load
 * balancer to get an address (no load-balancer controller answered in 30 s)"; one object a line
 * when there are several.
 */
export function stillProgressingText(objects: readonly Pick<ObjectResult, 'key' | 'message'>[]): string {
  const line = (o: Pick<ObjectResult, 'key' | 'message'>): string => `${formatKey(o.key)}${o.message ? ` — ${o.message}` : ''}`;
  if (objects.length === 1) return `Apply complete, still progressing: ${line(objects[0]!)}`;
  return ['Apply complete, still progressing:', ...objects.map((o) => `  ${line(o)}`)].join('\n');
}

/** States whose objects failing (or skipped) the same way are printed once, and counted at the end. */
const GROUPED: ReadonlySet<string> = new Set(['failed', 'skipped']);

/**
 * Prints a run's progress events, one line each, through `out` (stderr). Of the objects that fail
 * (or are skipped) with the same message, the first is printed when it happens and the others are
 * counted, with a few of their names, when the run ends: an apply of 1,000 objects into a full
 * Service IP range prints the error once, not 1,000 times.
 */
export function applyPrinter(out: (line: string) => void = (s) => void process.stderr.write(`${s}\n`)): (e: ApplyEvent) => void {
  const progressing: Pick<ObjectResult, 'key' | 'message'>[] = [];
  /** By state and failureIdentity: the objects after the first, which were not printed. */
  const repeated = new Map<string, { state: string; keys: ResourceKey[] }>();
  return (e) => {
    switch (e.type) {
      case 'started':
        out(`Applying ${e.changes} change${e.changes === 1 ? '' : 's'}${e.hooks ? ` and ${e.hooks} hook${e.hooks === 1 ? '' : 's'}` : ''} in ${e.steps} step${e.steps === 1 ? '' : 's'}`);
        break;
      case 'step-started':
        if (e.hooks) out(`[step ${e.step + 1}] ${e.syncPhase} hooks · wave ${e.wave} · ${e.group} · ${e.count} hook${e.count === 1 ? '' : 's'}`);
        else out(`[step ${e.step + 1}] wave ${e.wave} · ${e.phase} · ${e.group}${e.early ? ' (sent early: what they name is in place)' : ''} · ${e.count} object${e.count === 1 ? '' : 's'}`);
        break;
      case 'object': {
        const mark = MARKS[e.state];
        if (!mark || ((e.state === 'applied' || e.state === 'waiting') && !e.message)) break;
        if (e.state === 'progressing') progressing.push({ key: e.key, ...(e.message !== undefined && { message: e.message }) });
        if (GROUPED.has(e.state) && e.message) {
          const same = `${e.state}\0${failureIdentity({ key: e.key, message: e.message })}`;
          const seen = repeated.get(same);
          if (seen) {
            seen.keys.push(e.key);
            break;
          }
          repeated.set(same, { state: e.state, keys: [] });
        }
        out(`  ${mark} ${formatKey(e.key)} ${e.state}${e.message ? `: ${e.message}` : ''}`);
        break;
      }
      case 'message':
        out(e.text);
        break;
      case 'finished':
        for (const { state, keys } of repeated.values()) if (keys.length > 0) out(`  ${MARKS[state]} ${keys.length} more ${state} the same way: ${keysText(keys)}`);
        if (e.status === 'progressing') out(`${stillProgressingText(progressing)}\nApplied in ${(e.elapsedMs / 1000).toFixed(1)} s; Slipway does not wait for ${progressing.length === 1 ? 'it' : 'them'} (annotate slipway.dev/wait: strict to wait, and fail at the timeout)`);
        else out(`Apply ${e.status} after ${(e.elapsedMs / 1000).toFixed(1)} s${e.error ? `: ${e.error}` : ''}`);
        break;
    }
  };
}

/**
 * Lines written together: what `out` gets within `windowMs` of the first pending line goes out as
 * one write. An apply of 2,000 objects prints a line for each as it becomes healthy; one write
 * (a system call, on a pipe a synchronous one) per line was half a second of the CLI's CPU, on
 * the cores the API server it waits for also needs. Lines are never held longer than `windowMs`
 * (default 50 ms); flush() writes what is pending at once (at the end of a run, before a message
 * written directly).
 */
export function lineBuffer(write: (text: string) => void, opts: { readonly windowMs?: number; readonly maxChars?: number } = {}): { out: (line: string) => void; flush: () => void } {
  const windowMs = opts.windowMs ?? 50;
  const maxChars = opts.maxChars ?? 64 * 1024;
  let pending: string[] = [];
  let chars = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    chars = 0;
    write(text);
  };
  const out = (line: string): void => {
    pending.push(line);
    chars += line.length + 1;
    if (chars >= maxChars) flush();
    else timer ??= setTimeout(flush, windowMs);
  };
  return { out, flush };
}
