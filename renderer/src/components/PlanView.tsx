/** A computed plan: its summary, diagnostics, findings (impact and risks) and hooks, the resource tree on the left, its errors first and the opened change or hook in the centre. */
import { useCallback, useMemo, useState } from 'react';
import type { Change, Plan } from '../../../core/api/contract.js';
import type { AppliedRun } from '../applyGate.js';
import { changeCount, changeId, locationLabel, relativeTime } from '../format.js';
import { findingsByObject, findingsOf } from '../findings.js';
import { errorCount, errorsText } from '../planErrors.js';
import { hookCount, runningHooks } from '../syncPhase.js';
import { ChangeView } from './ChangeView.js';
import { CommitLabel } from './CommitLabel.js';
import { ErrorBoundary } from './Errors.js';
import { HookView } from './HookView.js';
import { PlanErrors } from './PlanErrors.js';
import { PlanExport, type ExportSource } from './PlanExport.js';
import { PlanFindings } from './PlanFindings.js';
import { PlanHooks } from './PlanHooks.js';
import { PlanTree } from './PlanTree.js';
import { SummaryLine } from './SummaryLine.js';

/** Diagnostics that an explicit adoption answers: the app's ApplySet recorded by another app, an earlier version's shared set. */
const ADOPTABLE = new Set(['applyset-owned-elsewhere', 'applyset-earlier-shared']);

export function PlanView(props: {
  plan: Plan;
  stale: boolean;
  /** Why it is stale, in words (else a general sentence). */
  staleReason?: string | null;
  /** The run this plan was sent to: it is marked, and Plan again offered. */
  applied?: AppliedRun | null;
  /** The open repository, when it is the plan's: its errors show the lines of their files. */
  repoId?: string;
  onReplan: () => void;
  onAdopt?: () => void;
  /** Offer "Copy as Markdown" and "Save as HTML" of this plan, as the engine holds it (a plan it made, or a past run's). */
  exportFrom?: ExportSource;
}): React.JSX.Element {
  const { plan } = props;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const byId = useMemo(() => new Map(plan.changes.map((c) => [changeId(c), c])), [plan]);
  const findings = useMemo(() => findingsByObject(plan.findings), [plan]);
  const selected = selectedId ? byId.get(selectedId) : undefined;
  // A hook opened over the change: by its index in this plan's hooks (another plan's index means nothing).
  const [openedHook, setOpenedHook] = useState<{ planId: string; index: number } | null>(null);
  const hookIndex = openedHook?.planId === plan.id ? openedHook.index : null;
  const hook = hookIndex !== null ? plan.hooks[hookIndex] : undefined;
  const open = useCallback((c: Change | null) => {
    setSelectedId(c ? changeId(c) : null);
    setOpenedHook(null);
  }, []);
  const openHook = useCallback((index: number) => setOpenedHook({ planId: plan.id, index }), [plan.id]);
  const running = runningHooks(plan.hooks).length;
  // Hooks run with an apply, and a plan without changes is never applied (as the CLI says too).
  const wouldRun = running > 0 ? ` Its ${hookCount(running)} ${running === 1 ? 'runs' : 'run'} only with an apply that has changes to make.` : '';
  const s = plan.summary;
  const problems = plan.diagnostics.filter((d) => d.severity !== 'info');
  const errors = errorCount(plan);
  const cluster = plan.inputs.cluster;

  return (
    <div className="plan" data-testid="plan-view" data-plan-id={plan.id}>
      <aside className="sidebar">
        <div className="plan-head">
          <div className="summary" data-testid="plan-summary">
            <SummaryLine summary={s} />
          </div>
          <div className="summary-extra muted small">
            {s.noop > 0 && <span>{s.noop} unchanged</span>}
            {errors > 0 && (
              <span className="text-error" data-testid="plan-cannot-apply">
                Cannot be applied: {errorsText(errors)}
              </span>
            )}
            {changeCount(s) === 0 && errors === 0 && (
              <span data-testid="no-changes">
                No changes: the cluster already matches this revision.{wouldRun}
              </span>
            )}
          </div>
          <div className="plan-inputs muted small" title={`plan ${plan.id}`}>
            {plan.inputs.app.name} @ <CommitLabel commit={plan.inputs.commit} />
            {cluster && (
              <>
                {' → '}
                {cluster.context} <span title={cluster.server}>({cluster.version})</span>
              </>
            )}
            {' · '}
            <time dateTime={plan.createdAt}>{relativeTime(plan.createdAt)}</time>
          </div>
          {props.exportFrom && <PlanExport from={props.exportFrom} />}
          {props.applied && (
            <div className="applied-marker" role="status" data-testid="plan-applied" data-run-id={props.applied.runId} data-status={props.applied.status}>
              Applied in run <code>{props.applied.runId}</code> ({props.applied.status}).{' '}
              <button type="button" className="link" onClick={props.onReplan}>
                Plan again
              </button>{' '}
              to see what is left.
            </div>
          )}
          {props.stale && (
            <div className="stale" role="status" data-testid="plan-stale">
              {props.staleReason ?? 'The app, revision or context changed since this plan was made.'}{' '}
              <button type="button" className="link" onClick={props.onReplan}>
                Plan again
              </button>
            </div>
          )}
          {problems.length > 0 && (
            <details className="diagnostics" open={problems.some((d) => d.severity === 'error')} data-testid="plan-diagnostics">
              <summary>
                {problems.length} diagnostic{problems.length === 1 ? '' : 's'}
              </summary>
              <ul>
                {problems.map((d, i) => (
                  <li key={i} className={`diag diag-${d.severity}`}>
                    <code>{d.code}</code> {d.message}
                    {d.location && <span className="muted"> ({locationLabel(d.location)})</span>}
                  </li>
                ))}
              </ul>
              {props.onAdopt && problems.some((d) => ADOPTABLE.has(d.code)) && (
                <p className="adopt">
                  <button type="button" className="btn" data-testid="adopt-button" onClick={props.onAdopt} title="Plan again, taking the ApplySet over: its objects become this app's, and with prune those not in this revision are deleted">
                    Plan again, adopting the ApplySet
                  </button>
                </p>
              )}
            </details>
          )}
        </div>
        <PlanFindings findings={plan.findings} changes={plan.changes} selectedId={hook ? null : selectedId} onOpen={open} />
        <PlanHooks hooks={plan.hooks} openedIndex={hookIndex} onOpen={openHook} />
        <ErrorBoundary what="resource list" resetKey={plan.id}>
          {/* One selection at a time: while a hook is open, the tree keeps its place but marks no resource. */}
          <PlanTree changes={plan.changes} selectedId={selectedId} selectionShown={!hook} findings={findings} onOpen={open} />
        </ErrorBoundary>
      </aside>
      <section className="detail">
        <PlanErrors plan={plan} repoId={props.repoId} />
        {hook ? (
          <HookView hook={hook} id={`${plan.id}/${hookIndex}`} />
        ) : selected ? (
          <ChangeView change={selected} findings={findingsOf(findings, selected)} />
        ) : (
          <div className="empty">
            <p data-testid="plan-empty">{emptyDetail(plan, errors, wouldRun)}</p>
          </div>
        )}
      </section>
    </div>
  );
}

/** What the centre says when no resource or hook is open. */
function emptyDetail(plan: Plan, errors: number, wouldRun: string): string {
  const changes = changeCount(plan.summary);
  if (errors > 0 && changes === 0) return 'Nothing else is planned until the errors above are fixed.';
  if (plan.changes.length === 0) return plan.hooks.length > 0 ? `This app renders only hooks at this revision.${wouldRun} Select one to see it.` : 'This app renders no resources at this revision.';
  if (changes === 0 && errors === 0) return `Nothing to change.${wouldRun} Show the unchanged resources (=) to inspect them.`;
  return 'Select a resource to see its diff.';
}
