/**
 * A running (or finished) apply: its steps (sync phase, wave × phase; hooks marked), each object's state and health
 * message as the engine reports it (while waiting: why, in its Pods' words), the elapsed time, Cancel, and the final
 * result. After a failed or cancelled run the way back comes first: "Roll back to" the app's last good run on this
 * context, or "Revert this run", each opening a plan preview (recovery.ts), then "Back to the plan".
 */
import { useEffect, useMemo, useState } from 'react';
import type { EngineEvent, Plan, RunSummary } from '../../../core/api/contract.js';
import { countText, doneCount, elapsedLabel, isFinished, progressOf, type ProgressStatus } from '../applyProgress.js';
import { keyLabel, relativeTime } from '../format.js';
import { useRecovery } from '../recovery.js';
import type { PreviewKind } from './HistoryView.js';
import { PHASE_TEXT, stepTitle } from '../syncPhase.js';
import { progressingKeys, useHealthWatch, withWatched } from '../healthWatch.js';
import { errorInfo, useHost } from '../host.js';
import { ErrorMessage } from './Errors.js';
import { CommitLabel, useCommitName } from './CommitLabel.js';

const STATUS_TEXT: Readonly<Record<ProgressStatus, string>> = {
  starting: 'Starting…',
  running: 'Applying…',
  succeeded: 'Applied successfully',
  progressing: 'Applied, still progressing',
  failed: 'The apply failed',
  cancelled: 'The apply was cancelled',
  refused: 'The apply was refused',
};

const STATE_MARK: Readonly<Record<string, string>> = { applying: '…', applied: '✓', deleting: '…', deleted: '✓', waiting: '◷', healthy: '✓', progressing: '◔', failed: '✗', skipped: '–', unknown: '?', pending: '·' };

export function ApplyProgressView(props: {
  runId: string;
  plan: Plan;
  events: readonly EngineEvent[];
  startedAt: number;
  onClose: () => void;
  onShowHistory: () => void;
  /** After a successful apply: the Live tab on the app just applied. */
  onOpenLive?: () => void;
  /** Opens a rollback or revert of a run as a plan preview (History's); without it, a failed run offers only "Back to the plan". */
  onPreview?: (kind: PreviewKind, run: RunSummary) => void;
  /** How often objects the run left progressing are read again while the view is open (healthWatch.ts). */
  watchIntervalMs?: number;
}): React.JSX.Element {
  const host = useHost();
  const reported = useMemo(() => progressOf(props.events, props.runId), [props.events, props.runId]);
  // A run that ended progressing: its progressing objects are watched while this view is open.
  const watchKeys = useMemo(() => progressingKeys(reported), [reported]);
  const watch = useHealthWatch(host, props.plan.id, watchKeys, props.watchIntervalMs);
  const progress = useMemo(() => withWatched(reported, watch.watched), [reported, watch.watched]);
  const finished = isFinished(progress);
  const [now, setNow] = useState(() => Date.now());
  const [cancel, setCancel] = useState<{ status: 'idle' | 'asked' } | { status: 'failed'; error: unknown }>({ status: 'idle' });
  useEffect(() => {
    if (finished) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [finished]);

  const total = progress.totalChanges ?? props.plan.changes.filter((c) => c.action !== 'noop').length;
  const done = doneCount(progress);
  const seen = new Set(progress.steps.flatMap((s) => s.objects.map((o) => o.label)));
  const pending = props.plan.changes.filter((c) => c.action !== 'noop' && !seen.has(keyLabel(c.key)));
  const elapsed = finished && progress.elapsedMs !== undefined && progress.elapsedMs > 0 ? progress.elapsedMs : now - props.startedAt;
  const cluster = props.plan.inputs.cluster;
  // The objects the run ended with progressing, as they are now (watched).
  const endedProgressing = new Set(watchKeys.map(keyLabel));
  const stillProgressing = progress.steps.flatMap((s) => s.objects).filter((o) => endedProgressing.has(o.label));
  const { onPreview } = props;
  const recovery = useRecovery(host, props.runId, cluster?.context, onPreview !== undefined && (progress.status === 'failed' || progress.status === 'cancelled'));
  const { lastGood, run: thisRun } = recovery ?? {};
  const recovers = onPreview !== undefined && (lastGood !== undefined || thisRun !== undefined);
  // The button names the last good run's commit by its tag when it has one ("Roll back to v1.2.0").
  const lastGoodName = useCommitName(lastGood?.commit ?? '');

  return (
    <div className="progress" data-testid="apply-progress" data-status={progress.status} data-run-id={props.runId}>
      <header className={`progress-head status-${progress.status}`}>
        <div>
          <h2 data-testid="apply-status">{STATUS_TEXT[progress.status]}</h2>
          <div className="muted small">
            {props.plan.inputs.app.name} @ <CommitLabel commit={props.plan.inputs.commit} /> → {cluster?.context} · run <code>{props.runId}</code>
          </div>
        </div>
        <div className="spacer" />
        <span className="elapsed mono" data-testid="apply-elapsed" title="Elapsed time">
          {elapsedLabel(Math.max(0, elapsed))}
        </span>
        {!finished ? (
          <button
            type="button"
            className="btn danger"
            data-testid="cancel-apply"
            disabled={cancel.status === 'asked'}
            onClick={() => {
              setCancel({ status: 'asked' });
              host.cancelApply({ runId: props.runId }).catch((error: unknown) => setCancel({ status: 'failed', error }));
            }}
          >
            {cancel.status === 'asked' ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <>
            {onPreview && lastGood && (
              <button
                type="button"
                className="btn primary"
                data-testid="rollback-last-good"
                data-run-id={lastGood.id}
                title={`Plan ${lastGood.app.name} at ${lastGood.commit.slice(0, 7)}, the commit of its last good run ${lastGood.id} (${lastGood.status}, ${relativeTime(lastGood.startedAt)}), against ${lastGood.cluster.context}, and preview it`}
                onClick={() => onPreview('rollback', lastGood)}
              >
                Roll back to {lastGoodName}
              </button>
            )}
            {onPreview && thisRun && (
              <button type="button" className={lastGood ? 'btn' : 'btn primary'} data-testid="revert-this-run" title="Plan the exact undo of what this run changed, and preview it" onClick={() => onPreview('revert', thisRun)}>
                Revert this run
              </button>
            )}
            {props.onOpenLive && (progress.status === 'succeeded' || progress.status === 'progressing') && (
              <button type="button" className="btn" data-testid="open-live" title="The app's objects on the cluster, kept current: health, events and Pod logs" onClick={props.onOpenLive}>
                Open live view
              </button>
            )}
            <button type="button" className="btn" data-testid="show-history" onClick={props.onShowHistory}>
              Show in History
            </button>
            <button type="button" className={recovers ? 'btn' : 'btn primary'} data-testid="close-progress" onClick={props.onClose}>
              Back to the plan
            </button>
          </>
        )}
      </header>
      <div className="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
        <div style={{ width: `${total ? Math.round((done / total) * 100) : finished ? 100 : 0}%` }} />
      </div>
      <div className="progress-body">
        {cancel.status === 'failed' && <ErrorMessage compact title="Cannot cancel" error={errorInfo(cancel.error)} />}
        {cancel.status === 'asked' && !finished && <p className="muted">Cancelling: no new calls are started; the ones in flight finish first.</p>}
        {progress.error && (
          <div className={`result-banner status-${progress.status}`} role="alert" data-testid="apply-error">
            {progress.error}
          </div>
        )}
        {recovers && (
          <p className="muted small" data-testid="recovery-hint">
            The cluster is as this run left it.{' '}
            {lastGood && (
              <>
                Roll back to <CommitLabel commit={lastGood.commit} /> (run <code>{lastGood.id}</code>, {lastGood.status} {relativeTime(lastGood.startedAt)})
              </>
            )}
            {lastGood && thisRun ? ' or revert this run; each opens' : thisRun ? 'Revert this run: it opens' : ': it opens'} a plan to review before anything is applied.
          </p>
        )}
        {progress.status === 'succeeded' && (
          <div className="result-banner status-succeeded" data-testid="apply-result">
            {done} of {total} change{total === 1 ? '' : 's'} applied and healthy in {elapsedLabel(elapsed)}.
          </div>
        )}
        {progress.status === 'progressing' && (
          <div className="result-banner status-progressing" data-testid="apply-result">
            {done} of {total} change{total === 1 ? '' : 's'} applied in {elapsedLabel(elapsed)}. The apply is complete; {stillProgressing.length === 1 ? 'this object is' : 'these objects are'} still
            progressing, waiting for something outside the app:
            <ul className="progressing-list">
              {stillProgressing.map((o) => (
                <li key={o.label} data-testid="still-progressing" data-key={o.label} data-state={o.state}>
                  <span className="mono">{o.label}</span>
                  {o.state !== 'progressing' && <span className={`pill state-pill state-${o.state}`}>now {o.state}</span>}
                  {o.message && <span className="muted"> — {o.message}</span>}
                </li>
              ))}
            </ul>
            <div className="watching" data-testid="health-watch">
              {watch.error !== undefined
                ? `Stopped watching them: ${errorInfo(watch.error).message}`
                : watch.watching > 0
                  ? `Watching ${watch.watching === 1 ? 'it' : `these ${watch.watching}`} while this view is open…`
                  : 'Each of them has settled since.'}
            </div>
          </div>
        )}
        <p className="muted small" data-testid="apply-count">
          {countText(progress, total)}
          {progress.totalSteps !== undefined && ` · ${progress.totalSteps} step${progress.totalSteps === 1 ? '' : 's'}`}
        </p>
        <ol className="steps">
          {progress.steps.map((s) => (
            <li key={s.step} className={`step phase-${s.syncPhase}`} data-testid="apply-step" data-sync-phase={s.syncPhase} data-hooks={s.hooks ? 'true' : undefined}>
              <div className="step-head">
                <span className={`phase-badge phase-${s.syncPhase}`} data-testid="step-phase" title={`${s.syncPhase}: ${PHASE_TEXT[s.syncPhase]}`}>
                  {stepTitle(s)}
                </span>{' '}
                <span className="step-count">
                  Step {s.step + 1} · {s.phase === 'delete' ? 'delete' : s.hooks ? 'run' : 'apply'} · {s.count} {s.hooks ? 'hook' : 'object'}
                  {s.count === 1 ? '' : 's'}
                </span>
              </div>
              <ul className="step-objects">
                {s.objects.map((o) => (
                  <li key={o.label} className={`object state-${o.state}`} data-testid="apply-object" data-key={o.label} data-state={o.state}>
                    <span className="state-mark" aria-hidden="true">
                      {STATE_MARK[o.state]}
                    </span>
                    <span className="object-name">{o.label}</span>
                    {s.hooks && (
                      <span className="pill hook-pill" data-testid="hook-pill" title={`A hook: run ${PHASE_TEXT[s.syncPhase]}, never part of the app`}>
                        hook
                      </span>
                    )}
                    <span className={`pill state-pill state-${o.state}`}>{o.state}</span>
                    {o.message && <span className="object-message muted">{o.message}</span>}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
        {pending.length > 0 && !finished && (
          <div className="step pending">
            <div className="step-head muted">Waiting for their turn</div>
            <ul className="step-objects">
              {pending.map((c) => (
                <li key={keyLabel(c.key)} className="object state-pending">
                  <span className="state-mark" aria-hidden="true">
                    ·
                  </span>
                  <span className="object-name muted">{keyLabel(c.key)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        {progress.messages.length > 0 && (
          <ul className="messages muted small">
            {progress.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
