/**
 * Parsing many manifest files on worker threads, one per core (up to four), so that a revision
 * with thousands of files is parsed in parallel while the main thread streams the blobs from Git.
 *
 * The pool is an optimization only: the answers are parseManifests' own (the workers run it), and
 * whatever the pool cannot do — no second core, `SLIPWAY_PARSE_WORKERS=0`, a worker that fails to
 * start or dies, a file whose parse threw — comes back as `undefined`, and the caller parses that
 * file on its own thread as before. Workers are started on first use and hold the process open
 * only while they have work.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedFile } from './manifests.js';
import type { ParseAnswer, ParseBatch, ParseBatchResult, ParseJob } from './parse-worker.js';

/** Below this many files to parse, the main thread does it: starting and feeding workers costs more. */
export const POOL_MIN_FILES = 64;
/** Files per message at most, and messages in flight per worker (so one is queued while one is parsed). */
const BATCH_MAX = 64;
const BATCHES_IN_FLIGHT = 2;

interface Pending {
  readonly job: ParseJob;
  readonly resolve: (parsed: ParsedFile | undefined) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly inFlight: Map<number, Pending[]>;
}

/**
 * How to start a worker. Built (dist/): the bundled `manifest/parse-worker.js` beside the bundle's
 * folder. From source (tsx, vitest): the TypeScript worker, with tsx's loader registered in the
 * worker first (a worker does not inherit the parent's loader hooks).
 */
export interface WorkerSource {
  /** A file path, or code when `eval`. */
  readonly code: string;
  readonly eval: boolean;
}

function workerSource(): WorkerSource | undefined {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const worker = new URL('./parse-worker.ts', here).href;
    return { code: `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(worker)}); })`, eval: true };
  }
  const bundled = fileURLToPath(new URL('../manifest/parse-worker.js', here));
  return existsSync(bundled) ? { code: bundled, eval: false } : undefined;
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextBatch = 0;
  broken = false;
  /** Files answered by a worker so far. */
  answered = 0;

  constructor(size: number, source: WorkerSource) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(source.code, { eval: source.eval, name: `slipway-parse-${i}` });
      const slot: Slot = { worker, inFlight: new Map() };
      worker.unref();
      worker.on('message', (m: ParseBatchResult) => this.onAnswer(slot, m));
      worker.on('error', () => this.fail());
      worker.on('exit', () => this.fail());
      this.slots.push(slot);
    }
  }

  /** The file's ParsedFile, or undefined: parse it yourself. */
  parse(bytes: Uint8Array, file: string): Promise<ParsedFile | undefined> {
    if (this.broken) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.queue.push({ job: { bytes, file }, resolve });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      while (this.queue.length > 0 && slot.inFlight.size < BATCHES_IN_FLIGHT) {
        const pending = this.queue.splice(0, BATCH_MAX);
        const batch = this.nextBatch++;
        slot.inFlight.set(batch, pending);
        if (slot.inFlight.size === 1) slot.worker.ref(); // busy: keep the process alive until the answer
        const message: ParseBatch = { batch, jobs: pending.map((p) => p.job) };
        slot.worker.postMessage(message);
      }
    }
  }

  private onAnswer(slot: Slot, m: ParseBatchResult): void {
    const pending = slot.inFlight.get(m.batch);
    if (!pending) return;
    slot.inFlight.delete(m.batch);
    if (slot.inFlight.size === 0) slot.worker.unref();
    pending.forEach((p, i) => {
      const a: ParseAnswer | undefined = m.answers[i];
      if (a?.ok) this.answered++;
      p.resolve(a?.ok ? a.parsed : undefined);
    });
    this.pump();
  }

  /** A worker failed to start or died: everything not answered goes back to the caller, and the pool is not used again. */
  private fail(): void {
    if (this.broken) return;
    this.broken = true;
    for (const slot of this.slots) {
      for (const pending of slot.inFlight.values()) for (const p of pending) p.resolve(undefined);
      slot.inFlight.clear();
      void slot.worker.terminate();
    }
    for (const p of this.queue.splice(0)) p.resolve(undefined);
  }

  async close(): Promise<void> {
    this.broken = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

let pool: ParsePool | undefined;
let started = false;

/** `SLIPWAY_PARSE_WORKERS` when set (any process), else one worker per core up to four (started engines only). */
function workerSetting(): { readonly count: number; readonly explicit: boolean } {
  const setting = process.env.SLIPWAY_PARSE_WORKERS;
  if (setting === undefined || setting === '') return { count: Math.min(4, availableParallelism()), explicit: false };
  const n = Number(setting);
  return { count: Number.isInteger(n) && n > 0 ? n : 0, explicit: true };
}

/**
 * The process's parse pool, or undefined when parsing stays on this thread: the pool was not
 * started (one-shot CLI commands: starting workers costs them about as much as it saves), there is
 * one core, it is turned off (`SLIPWAY_PARSE_WORKERS=0`), or the workers cannot run here.
 * `SLIPWAY_PARSE_WORKERS=N` also turns it on for any process, with N workers.
 */
export function parsePool(): ParsePool | undefined {
  if (pool) return pool.broken ? undefined : pool;
  const { count, explicit } = workerSetting();
  // Not started, turned off, or one core (the workers would only take turns with this thread).
  if (count === 0 || (!explicit && (!started || count < 2))) return undefined;
  const source = workerSource();
  if (!source) return undefined;
  pool = new ParsePool(count, source);
  return pool;
}

/** Long-lived engines (the desktop app, `slipway serve`) start the workers with the engine, off the first plan's path. */
export function startParsePool(): void {
  started = true;
  parsePool();
}

/** Stops the workers (tests; the process does not wait for idle workers anyway). */
export async function closeParsePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}
