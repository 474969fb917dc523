/**
 * How values are stored: JSON, deflate-compressed when that makes it smaller. Snapshots are
 * secret-masked first (DESIGN.md rule 7), then hashed and stored once per content hash.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { SlipwayError } from '../model/diagnostics.js';
import { canonicalJson, textHash } from '../model/canonical.js';
import { maskSecretValues } from '../model/secrets.js';
import type { Plan } from '../plan/types.js';

/** deflate: zlib stream (with its Adler-32 check); identity: plain UTF-8 JSON, for values too small to gain from compression. */
export type Codec = 'deflate' | 'identity';

export interface Encoded {
  readonly codec: Codec;
  readonly data: Buffer;
  /** Bytes of the uncompressed JSON. */
  readonly rawSize: number;
}

/**
 * Object snapshots are deflated at level 1: they are small (a few KiB), so the fastest level
 * compresses them within a few bytes of the default level at about a third of the CPU (an apply
 * of 2,000 objects stores 2,000 of them while the API server needs the same cores). Plans keep
 * the default level (one per run, large, where the higher level pays).
 */
export const SNAPSHOT_LEVEL = 1;

export function encodeText(json: string, opts: { readonly level?: number } = {}): Encoded {
  const raw = Buffer.from(json, 'utf8');
  const deflated = deflateSync(raw, opts.level !== undefined ? { level: opts.level } : {});
  return deflated.byteLength < raw.byteLength ? { codec: 'deflate', data: deflated, rawSize: raw.byteLength } : { codec: 'identity', data: raw, rawSize: raw.byteLength };
}

export function decodeJson(codec: string, data: Buffer, what: string): unknown {
  let text: string;
  try {
    if (codec === 'deflate') text = inflateSync(data).toString('utf8');
    else if (codec === 'identity') text = data.toString('utf8');
    else throw new Error(`unknown codec "${codec}"`);
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SlipwayError('history-corrupt', `Cannot read ${what} from the history database: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

export interface PreparedSnapshot {
  /** "sha256:<hex>" of the canonical JSON of the masked object. */
  readonly hash: string;
  /** The canonical JSON of the masked object; never holds a Secret's values. */
  readonly json: string;
}

/** Masks Secret values, then hashes: two objects that differ only in secret values share one snapshot. */
export function prepareSnapshot(obj: unknown): PreparedSnapshot {
  const json = canonicalJson(maskSecretValues(obj));
  return { hash: textHash(json), json };
}

/**
 * A plan as history keeps it: without its noop changes, so that what a run adds to the file
 * follows what changed, not the size of the app (the summary still counts them; the objects'
 * states are in the run's results and in Git). Everything else is kept as planned.
 */
export function encodePlan(plan: Plan): Encoded {
  const kept = plan.changes.filter((c) => c.action !== 'noop');
  return encodeText(JSON.stringify(kept.length === plan.changes.length ? plan : { ...plan, changes: kept }));
}
