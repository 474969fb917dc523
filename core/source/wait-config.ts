/**
 * slipway.yaml's `options.wait`: what apply waits for, per kind (core/model/kind-waits.ts).
 *
 * ```yaml
 * options:
 *   wait:
 *     Service: applied          # every Service: done once the API server accepted it
 *     Deployment.apps: strict   # Kind.group: only that group's kind; wins over a bare Kind
 * ```
 *
 * A key that is no `Kind` or `Kind.group` ("apps/Deployment", "deployment", "Service.v1") is an
 * error saying the form meant; a value that is no wait mode is an error with "did you mean".
 */
import { z } from 'zod';
import { KIND_KEY_PATTERN, parseKindKey, type KindWaits } from '../model/kind-waits.js';
import { WAIT_MODES } from '../model/wait.js';

export const kindWaitsSchema = z
  .record(
    z.string().regex(KIND_KEY_PATTERN, {
      error: (issue) => {
        const parsed = parseKindKey(String(issue.input));
        return 'problem' in parsed ? parsed.problem : undefined;
      },
    }),
    z.enum(WAIT_MODES),
  )
  .describe(
    'What apply waits for per kind ("Service", "Deployment.apps"): healthy (the default), strict (no settling) or applied (not waited for); an object\'s slipway.dev/wait annotation wins',
  );

/** The option as the app keeps it: its keys sorted (stable plans), absent when empty. */
export function toKindWaits(parsed: Readonly<Record<string, (typeof WAIT_MODES)[number]>> | undefined): KindWaits | undefined {
  const keys = Object.keys(parsed ?? {}).sort();
  if (!parsed || keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, parsed[k]!]));
}
