/**
 * What the cluster runs after a rollback or revert applied: the rollback's commit, or for a revert
 * the commit of the run before the one reverted; and how the Revision field names that commit (a
 * tag at it, else the commit). Pure, so the workspace can follow it and tests can table it.
 */
import type { Plan, RunDetails, RunSummary } from '../../core/api/contract.js';
import { pickCommit, pickRef, type PickedRevision } from './components/RevisionPicker.js';
import type { AppChoiceSelection } from './selection.js';
import type { RevisionList } from '../../core/api/contract.js';

/** What the pickers move to once the plan's apply has applied everything. */
export interface AppliedTarget {
  readonly commit: string;
  readonly app: AppChoiceSelection;
}

/** The run a preview was made from: History hands over its details, which name the run before it. */
export type PreviewRun = RunSummary & { readonly before?: RunDetails['before'] };

/** The commit and app the cluster runs once `plan` applied, or null for a plan that leaves the pickers' choice as it is (a plain plan, the working copy, a revert of a first apply). */
export function appliedTarget(plan: Plan, run: PreviewRun | undefined): AppliedTarget | null {
  const { mode, app } = plan.inputs;
  const commit = mode.kind === 'rollback' ? plan.inputs.commit : mode.kind === 'revert' ? run?.before?.commit : undefined;
  if (commit === undefined || !/^[0-9a-f]{40}$/.test(commit)) return null;
  return { commit, app: app.selectedBy === 'path' ? { path: app.path } : { app: app.name } };
}

/** The Revision field's value for a commit: a tag at it (the newest version first), else the commit as listed, else the commit with `label` (the engine's name for it). */
export function revisionAt(list: RevisionList, commit: string, label?: string): PickedRevision {
  const tag = list.tags.find((t) => t.oid === commit);
  if (tag) return pickRef(tag);
  const listed = list.commits.find((c) => c.oid === commit);
  if (listed) return pickCommit(listed);
  return { rev: commit, kind: 'commit', label: label ?? commit.slice(0, 7), oid: commit };
}
