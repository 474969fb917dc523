/**
 * Reading an object as the API server returns it (plain JSON, any field may be absent or of the
 * wrong type) without `any`: every helper returns undefined rather than throwing. The plain
 * readers are core/model/fields.ts (the watch floor reads with them too); conditions and wording here.
 */
import { isPlainObject } from '../../model/desired.js';
import { int, list } from '../../model/fields.js';
import type { HealthResult } from './types.js';
import { progressing } from './types.js';

export { at, bool, int, list, str, strings } from '../../model/fields.js';

/** A status condition (metav1.Condition and the older per-API condition types alike). */
export interface Condition {
  readonly type: string;
  /** "True", "False" or "Unknown". */
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  /** metav1.Condition: the generation the condition was computed from. */
  readonly observedGeneration?: number;
}

export function toCondition(v: unknown): Condition | undefined {
  if (!isPlainObject(v) || typeof v.type !== 'string') return undefined;
  const text = (k: string): string => (typeof v[k] === 'string' ? v[k] : '');
  const observed = v.observedGeneration;
  return {
    type: v.type,
    status: text('status'),
    reason: text('reason'),
    message: text('message'),
    ...(typeof observed === 'number' && Number.isInteger(observed) && { observedGeneration: observed }),
  };
}

/** status.conditions, well-formed entries only. */
export function conditions(obj: unknown): Condition[] {
  return list(obj, 'status', 'conditions').flatMap((c) => toCondition(c) ?? []);
}

export function condition(obj: unknown, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

/** The condition is present with status "True" (narrows only that far: a false result may still be a condition). */
export function isTrue(c: Condition | undefined): c is Condition & { readonly status: 'True' } {
  return c?.status === 'True';
}

/** "Reason: message", or whichever of the two is there. */
export function describe(c: Condition): string {
  return [c.reason, c.message].filter(Boolean).join(': ') || `${c.type}=${c.status}`;
}

/** "1 replica", "3 replicas". */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

/** "2 of 3 replicas" (the noun agrees with the total). */
export function ofTotal(n: number, total: number, noun: string): string {
  return `${n} of ${count(total, noun)}`;
}

/**
 * The controller has not yet acted on the latest spec: metadata.generation is ahead of
 * status.observedGeneration. With `required`, a missing observedGeneration also means "not yet"
 * (controllers that always write it: Deployment, StatefulSet, DaemonSet, ReplicaSet); without it,
 * a missing one means the kind does not report it (kstatus `checkGeneration`).
 */
export function generationLag(obj: unknown, opts: { readonly controller: string; readonly required: boolean }): HealthResult | undefined {
  const generation = int(obj, 'metadata', 'generation');
  const observed = int(obj, 'status', 'observedGeneration');
  if (generation === undefined) return undefined;
  if (observed === undefined) return opts.required ? progressing(`waiting for the ${opts.controller} to observe generation ${generation}`) : undefined;
  if (observed < generation) return progressing(`waiting for the ${opts.controller} to observe generation ${generation} (observed ${observed})`);
  return undefined;
}
