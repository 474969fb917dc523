/**
 * Whether a plan may be applied, the same rule for the CLI and the UI: never a comparison or a
 * plan with errors, never an empty plan, and a protected app or context (slipway.yaml
 * `options.protected`, the settings' protectedContexts) only with its context name typed.
 */
import { SlipwayError } from '../model/diagnostics.js';
import { formatKey } from '../model/resource.js';
import type { Change, Plan } from '../plan/types.js';
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

/** Deletes the plan marks confirm: the object asks for a confirmation first (Argo CD's Prune=confirm, Delete=confirm). */
export function deletesToConfirm(plan: Plan): readonly Change[] {
  return plan.changes.filter((c) => c.action === 'delete' && c.flags.includes('confirm'));
}

/**
 * Refuses a plan whose deletes ask for a confirmation unless it was given (--confirm-prune, the
 * apply dialog's checkbox). `how` says how to give it ("--confirm-prune").
 */
export function checkDeleteConfirmation(plan: Plan, confirmed: boolean | undefined, opts: { readonly how: string }): void {
  const asking = deletesToConfirm(plan);
  if (asking.length === 0 || confirmed === true) return;
  const them = asking.length === 1 ? 'it' : 'them';
  throw new SlipwayError('confirmation-needed', `${asking.length} object${asking.length === 1 ? ' asks' : 's ask'} for a confirmation before ${asking.length === 1 ? 'it is' : 'they are'} deleted (Argo CD sync option Prune=confirm or Delete=confirm): ${asking.map((c) => formatKey(c.key)).join(', ')}; nothing was applied`, {
    hint: `review ${them}, then apply again with ${opts.how}`,
  });
}
