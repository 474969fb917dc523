/**
 * Whether a plan may be applied, the same rule for the CLI and the UI: never a comparison or a
 * plan with errors, never an empty plan, and a protected app or context (slipway.yaml
 * `options.protected`, the settings' protectedContexts) only with its context name typed.
 */
import { SlipwayError } from '../model/diagnostics.js';
import type { Plan } from '../plan/types.js';
import { checkApplicable } from '../apply/executor.js';

export interface ApplyGuard {
  /** The context the plan applies to. */
  readonly context: string;
  /** Why the context name must be typed ("app web is protected", "context prod is protected"), when it must. */
  readonly protection?: string;
}

const hasChanges = (p: Plan): boolean => p.summary.create + p.summary.update + p.summary.delete + p.summary.replace > 0;

/** Throws for a plan that cannot be applied at all; otherwise says whether the context name is needed. */
export function applyGuard(plan: Plan, opts: { readonly protectedContexts: readonly string[]; readonly context?: string }): ApplyGuard {
  checkApplicable(plan);
  if (!hasChanges(plan)) throw new SlipwayError('no-changes', 'the plan has no changes: there is nothing to apply');
  const context = opts.context ?? plan.inputs.cluster!.context;
  const protection = plan.inputs.app.protected ? `app ${plan.inputs.app.name} is protected` : opts.protectedContexts.includes(context) ? `context ${context} is protected` : undefined;
  return { context, ...(protection && { protection }) };
}

/**
 * The context name typed ahead (the UI's field, --confirm-context): required when protected, and
 * when given it must match. `what` names it in the message ("--confirm-context").
 */
export function checkConfirmation(guard: ApplyGuard, typed: string | undefined, opts: { readonly what: string } = { what: 'the context name typed' }): void {
  if (typed !== undefined && typed.trim() !== guard.context) {
    throw new SlipwayError('confirmation-needed', `${opts.what} ${JSON.stringify(typed)} does not match the context this plan applies to (${guard.context}): nothing was applied`);
  }
  if (guard.protection && typed === undefined) throw new SlipwayError('confirmation-needed', `${guard.protection}: type the context name (${guard.context}) to apply`);
}
