/**
 * A parse worker (worker thread): batches of manifest files in, their ParsedFiles out, in order.
 * The pool (parse-pool.ts) starts these; the parsing is parseManifests, the same as on the main
 * thread.
 */
import { parentPort } from 'node:worker_threads';
import { parseManifests, type ParsedFile } from './manifests.js';

export interface ParseJob {
  readonly bytes: Uint8Array;
  readonly file: string;
}

export type ParseAnswer = { readonly ok: true; readonly parsed: ParsedFile } | { readonly ok: false; readonly error: string };

export interface ParseBatch {
  readonly batch: number;
  readonly jobs: readonly ParseJob[];
}

export interface ParseBatchResult {
  readonly batch: number;
  readonly answers: readonly ParseAnswer[];
}

function answer(job: ParseJob): ParseAnswer {
  try {
    return { ok: true, parsed: parseManifests(job.bytes, { file: job.file }) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

parentPort?.on('message', (message: ParseBatch) => {
  const result: ParseBatchResult = { batch: message.batch, answers: message.jobs.map(answer) };
  parentPort!.postMessage(result);
});
