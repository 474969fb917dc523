/**
 * Why the plan on screen no longer answers the current choice, in words for its banner ("This
 * plan is for context a; b is selected now."), or null. A rollback preview goes stale when the
 * context changes (it plans against the selected one); a revert preview belongs to its run's
 * context and a past run's plan to its run, so neither does. Pure, table-tested.
 */
import type { Plan } from '../../core/api/contract.js';
import type { PlanInputs, PlanOrigin } from './planInputs.js';
import { sameSelection, selectionName, type AppChoiceSelection } from './selection.js';

export interface PlanShown {
  readonly plan: Plan;
  readonly inputs: PlanInputs;
  readonly origin?: PlanOrigin;
}

const appWords = (a: AppChoiceSelection): string => (a.app !== undefined ? `app ${a.app}` : `folder ${selectionName(a) || '(the repository root)'}`);
const list = (items: readonly string[]): string => (items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`);

export function staleReason(shown: PlanShown, current: PlanInputs | null): string | null {
  if (!current || shown.origin?.kind === 'revert' || shown.origin?.kind === 'run') return null;
  const planned = shown.inputs;
  if (shown.origin?.kind === 'rollback') {
    const context = shown.plan.inputs.cluster?.context;
    return context !== undefined && context !== current.context ? `This rollback preview is for context ${context}; ${current.context} is selected now.` : null;
  }
  if (planned.repoId !== current.repoId) return 'This plan is of another repository.';
  const was: string[] = [];
  const now: string[] = [];
  const differs = (then: string, at: string): void => {
    was.push(then);
    now.push(at);
  };
  if (!sameSelection(planned.app, current.app)) differs(appWords(planned.app), appWords(current.app));
  if (planned.rev !== current.rev) differs(`revision ${planned.revLabel}`, `revision ${current.revLabel}`);
  if (planned.context !== current.context) differs(`context ${planned.context}`, `context ${current.context}`);
  if (was.length > 0) return `This plan is for ${list(was)}; ${list(now)} ${now.length === 1 ? 'is' : 'are'} selected now.`;
  const options = planned.namespace !== current.namespace || planned.prune !== current.prune || planned.createNamespace !== current.createNamespace;
  return options ? 'The plan options (namespace, prune, create namespace) changed since this plan was made.' : null;
}
