/**
 * A plan's errors as the plan view lists them first: error diagnostics (a file that does not
 * parse, a hook that is also an object…), then changes the server refused. Counted as the CLI
 * counts them ("1 error: this plan cannot be applied"). Pure, table-tested.
 */
import type { Plan, SourceLocation } from '../../core/api/contract.js';
import { keyLabel } from './format.js';

export interface PlanError {
  /** Stable within the plan (React key). */
  readonly id: string;
  /** The diagnostic's code, or the resource the server refused. */
  readonly what: string;
  readonly message: string;
  readonly location?: SourceLocation;
}

export function planErrors(plan: Plan): PlanError[] {
  const diagnostics = plan.diagnostics.flatMap((d, i) => (d.severity === 'error' ? [{ id: `d${i}`, what: d.code, message: d.message, ...(d.location && { location: d.location }) }] : []));
  const changes = plan.changes.flatMap((c, i) => (c.action === 'error' ? [{ id: `c${i}`, what: keyLabel(c.key), message: c.message ?? 'the server refused it', ...(c.source && { location: c.source }) }] : []));
  return [...diagnostics, ...changes];
}

/** As the CLI's footer counts: error changes and error diagnostics. */
export function errorCount(plan: Plan): number {
  return plan.summary.error + plan.diagnostics.filter((d) => d.severity === 'error').length;
}

/** "1 error", "3 errors". */
export const errorsText = (n: number): string => `${n} error${n === 1 ? '' : 's'}`;
