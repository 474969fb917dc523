/**
 * What a plan was asked for, and what follows from it without asking the engine: the request's
 * app and options, whether the current choice still matches a plan (else the plan is stale), and
 * the sentence for an engine error about a typed folder. Pure, like planTree.ts.
 */
import type { EngineErrorInfo, RunSummary } from '../../core/api/contract.js';
import type { PreviewKind } from './components/HistoryView.js';
import { sameSelection, selectedFolder, type AppChoiceSelection } from './selection.js';

export interface PlanInputs {
  readonly repoId: string;
  readonly rev: string;
  /** An app from the list, or a folder (from the list, or typed). */
  readonly app: AppChoiceSelection;
  readonly context: string;
  /** The namespace typed for this plan ("" = the app's or the context's). */
  readonly namespace: string;
  readonly prune: boolean;
  readonly createNamespace: boolean;
  /** Take over the app's ApplySet from another recorded owner (asked for from the plan's diagnostics). */
  readonly adopt: boolean;
  /** For display only. */
  readonly revLabel: string;
}

/** A plan from a run in History rather than from the pickers: a rollback or revert preview, or the plan the run applied (`run`, read-only). */
export interface PlanOrigin {
  readonly kind: PreviewKind | 'run';
  readonly run: RunSummary;
}
export const ORIGIN_TEXT: Readonly<Record<PlanOrigin['kind'], string>> = { rollback: 'rollback', revert: 'revert', run: 'applied' };

/** The plan request's options for these inputs: prune and createNamespace as the toggles show them. */
export function planOptionsRequest(i: PlanInputs): { namespace?: string; prune: boolean; createNamespace: boolean; adopt?: true } {
  return { ...(i.namespace !== '' && { namespace: i.namespace }), prune: i.prune, createNamespace: i.createNamespace, ...(i.adopt && { adopt: true }) };
}

/** Whether a plan made from `b` still answers the choice `a`; adopting is how it was planned, not a choice, so it is left out. */
export const sameInputs = (a: PlanInputs, b: PlanInputs | null): boolean =>
  b !== null && a.repoId === b.repoId && a.rev === b.rev && sameSelection(a.app, b.app) && a.context === b.context && a.namespace === b.namespace && a.prune === b.prune && a.createNamespace === b.createNamespace;

/** Engine errors about the folder itself (core/git `path-not-found`, core/source `invalid-app-path`). */
const FOLDER_ERRORS: ReadonlyMap<string, (folder: string, rev: string) => string> = new Map([
  ['path-not-found', (folder: string, rev: string) => `There is no folder ${folder} at ${rev}`],
  ['invalid-app-path', (folder: string) => `The folder ${folder} cannot be used`],
]);

/** What a failed plan of a typed folder says about that folder ("There is no folder apps/x at main"), or null for any other failure. */
export function folderFailure(error: EngineErrorInfo | null, planned: PlanInputs | null): string | null {
  const say = error ? FOLDER_ERRORS.get(error.code) : undefined;
  const folder = selectedFolder(planned?.app ?? null);
  if (!say || !planned || folder === null) return null;
  return say(folder || '(the repository root)', planned.revLabel);
}
