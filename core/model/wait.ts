/**
 * What an apply waits for, per object: the `slipway.dev/wait` annotation. Defined here (the model
 * floor) so that both the plan (a warning for a bad value, naming the object) and the apply's waits
 * (core/apply/waits.ts) read it the same way.
 *
 * | value      | after the object is applied, the apply…                                                      |
 * |------------|----------------------------------------------------------------------------------------------|
 * | `healthy`  | (the default) waits until its kind's health rule says healthy; a state that waits for        |
 * |            | something outside the app (health/assess.ts OUTSIDE_WAITS: a load balancer's address) gives  |
 * |            | up after that state's settle time and the object ends `progressing`, which fails nothing     |
 * | `strict`   | waits until healthy, with no settling: an object still progressing at its kind's timeout     |
 * |            | fails its step, whatever it waits for (for when the address matters to what comes next)     |
 * | `applied`  | does not wait: the object is done once the API server accepted it (outcome `applied`)        |
 *
 * Deletions always wait until the object is gone; the annotation is about upserts. An app can say
 * the same per kind (slipway.yaml `options.wait`, ./kind-waits.ts); the annotation wins.
 */
import type { Diagnostic } from './diagnostics.js';
import { formatKey, type ResourceKey } from './resource.js';

export const WAIT_ANNOTATION = 'slipway.dev/wait';

export const WAIT_MODES = ['healthy', 'strict', 'applied'] as const;
export type WaitMode = (typeof WAIT_MODES)[number];

export const DEFAULT_WAIT_MODE: WaitMode = 'healthy';

/**
 * The wait mode an object's annotations ask for; without the annotation, or with a bad value, the
 * `fallback` (the app's wait for its kind, else the default), with a warning naming the object
 * for a bad value. Which of them decides: core/model/kind-waits.ts resolveWaitMode.
 */
export function readWaitMode(annotations: Readonly<Record<string, unknown>> | undefined, key: ResourceKey, fallback: WaitMode = DEFAULT_WAIT_MODE): { mode: WaitMode; diagnostic?: Diagnostic } {
  if (!annotations || !Object.hasOwn(annotations, WAIT_ANNOTATION)) return { mode: fallback };
  const raw = annotations[WAIT_ANNOTATION];
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  const mode = WAIT_MODES.find((m) => m === text);
  if (mode) return { mode };
  return {
    mode: fallback,
    diagnostic: {
      severity: 'warning',
      code: 'wait-invalid',
      message: `annotation ${WAIT_ANNOTATION}: ${JSON.stringify(raw)} is not one of ${WAIT_MODES.join(', ')}; ${formatKey(key)} is waited for as "${fallback}"`,
      resource: key,
    },
  };
}
