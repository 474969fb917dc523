/**
 * The plan tab when no apply is on screen: the "Planning…" line, a failed plan's error, the
 * banner of a rollback or revert preview, then the plan itself, or what to do first.
 */
import type { AppliedRun } from '../applyGate.js';
import { errorInfo } from '../host.js';
import { relativeTime } from '../format.js';
import { selectionName } from '../selection.js';
import type { PlanSession } from '../workspace/usePlanSession.js';
import { ChildPlans } from './ChildPlans.js';
import { CommitLabel } from './CommitLabel.js';
import { ErrorMessage } from './Errors.js';
import { PlanView } from './PlanView.js';

export function PlanArea(props: {
  session: PlanSession;
  stale: boolean;
  /** Why the plan is stale, in words. */
  staleReason?: string | null;
  /** The run the plan on screen was sent to (or, for a past run's plan, that run). */
  applied?: AppliedRun | null;
  /** The open repository, when it is the plan's (its errors show their files' lines). */
  repoId?: string;
  /** What the empty tab asks for: the choices missing, or to press Plan. */
  prompt: string;
  /** The failed plan's title: what it says about a typed folder, else "The plan failed". */
  errorTitle: string;
  onReplan: () => void;
  /** Plan again adopting the app's ApplySet (offered for plans of the pickers only). */
  onAdopt: () => void;
  /** Select an app by name in the picker (a child app of the plan's app). */
  onPickApp?: (app: string) => void;
}): React.JSX.Element {
  const { planRun, planning, plan, runningInputs } = props.session;
  return (
    <>
      {planning && (
        <div className="planning" role="status" aria-busy="true" data-testid="planning">
          <span className="spinner" aria-hidden="true" /> Planning {(runningInputs && selectionName(runningInputs.app)) || 'the repository'} at {runningInputs?.revLabel} against {runningInputs?.context}…
        </div>
      )}
      {planRun.status === 'failed' && (
        <div className="plan-error">
          <ErrorMessage title={props.errorTitle} error={errorInfo(planRun.error)} onRetry={props.onReplan} />
        </div>
      )}
      {plan?.origin && (
        <div className={`preview-banner preview-${plan.origin.kind}`} role="status" data-testid="preview-banner" data-kind={plan.origin.kind}>
          {plan.origin.kind === 'rollback' ? (
            <>
              <b>Rollback preview</b>: {plan.plan.inputs.app.name} at <CommitLabel commit={plan.origin.run.commit} />, the commit of run <code>{plan.origin.run.id}</code>, against{' '}
              <b>{plan.plan.inputs.cluster?.context}</b>. Review it, then Apply.
            </>
          ) : plan.origin.kind === 'run' ? (
            <>
              <b>The plan of run</b> <code>{plan.origin.run.id}</code>, as it was applied to <b>{plan.origin.run.cluster.context}</b> {relativeTime(plan.origin.run.startedAt)}: read-only (its unchanged objects are not kept).
            </>
          ) : (
            <>
              <b>Revert preview</b>: undoes what run <code>{plan.origin.run.id}</code> changed in <b>{plan.plan.inputs.cluster?.context}</b>. Review it, then Apply.
            </>
          )}{' '}
          <button type="button" className="link" onClick={props.session.discard}>
            {plan.origin.kind === 'run' ? 'Close' : 'Discard'}
          </button>
        </div>
      )}
      {plan ? (
        <>
          <PlanView
            plan={plan.plan}
            stale={props.stale}
            staleReason={props.staleReason ?? null}
            applied={props.applied ?? null}
            {...(props.repoId !== undefined && { repoId: props.repoId })}
            onReplan={props.onReplan}
            {...(!plan.origin && { onAdopt: props.onAdopt })}
            // A past run's plan is read from history; any other the engine keeps by its id.
            exportFrom={plan.origin?.kind === 'run' ? { runId: plan.origin.run.id } : { planId: plan.plan.id }}
          />
          {!plan.origin && props.onPickApp && <ChildPlans plan={plan.plan} onPick={props.onPickApp} />}
        </>
      ) : (
        !planning &&
        planRun.status !== 'failed' && (
          <div className="empty">
            <h2>Review before you apply</h2>
            <p data-testid="plan-prompt">{props.prompt}</p>
          </div>
        )
      )}
    </>
  );
}
