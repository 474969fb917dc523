/**
 * The runs of the app or the context, newest first (status, kind, commit, user, time), and one
 * run's details with its objects. "Roll back to this" and "Revert this" ask the engine for a plan
 * and hand it to the workspace as a preview: nothing is applied from here.
 */
import { useCallback, useEffect, useState } from 'react';
import type { RunDetails, RunList, RunSummary } from '../../../core/api/contract.js';
import { keyLabel, relativeTime, summaryLine } from '../format.js';
import { errorInfo, useHost } from '../host.js';
import { hookBadge, PHASE_TEXT } from '../syncPhase.js';
import { ErrorMessage } from './Errors.js';
import { CommitLabel } from './CommitLabel.js';

type Scope = 'app' | 'context';
export type PreviewKind = 'rollback' | 'revert';

const KIND_LABEL: Readonly<Record<RunSummary['kind'], string>> = { apply: 'apply', rollback: 'rollback', revert: 'revert' };

export function HistoryView(props: {
  repoId: string;
  /** The app name for "this app"; null when the current choice is a folder without a plan yet. */
  app: string | null;
  context: string | null;
  /** Bumped when a run finishes, to reload. */
  refreshKey: number;
  onPreview: (kind: PreviewKind, run: RunSummary) => void;
  /** Open the plan a run applied, with its diffs (read-only). */
  onOpenPlan?: (run: RunSummary) => void;
  previewing: boolean;
}): React.JSX.Element {
  const host = useHost();
  const [scope, setScope] = useState<Scope>(props.app ? 'app' : 'context');
  const [list, setList] = useState<{ status: 'loading' } | { status: 'ready'; value: RunList } | { status: 'failed'; error: unknown }>({ status: 'loading' });
  const [selected, setSelected] = useState<string | null>(null);
  const [details, setDetails] = useState<{ status: 'idle' | 'loading' } | { status: 'ready'; value: RunDetails } | { status: 'failed'; error: unknown }>({ status: 'idle' });

  const load = useCallback(() => {
    const request = scope === 'app' && props.app ? { repoId: props.repoId, app: props.app } : props.context ? { context: props.context } : null;
    if (!request) return setList({ status: 'ready', value: { runs: [] } });
    setList({ status: 'loading' });
    host.listRuns({ ...request, limit: 100 }).then(
      (value) => {
        setList({ status: 'ready', value });
        setSelected((s) => (s && value.runs.some((r) => r.id === s) ? s : (value.runs[0]?.id ?? null)));
      },
      (error: unknown) => setList({ status: 'failed', error }),
    );
  }, [host, scope, props.repoId, props.app, props.context]);
  useEffect(() => load(), [load, props.refreshKey]);

  useEffect(() => {
    if (!selected) return setDetails({ status: 'idle' });
    let live = true;
    setDetails({ status: 'loading' });
    host.runDetails({ runId: selected }).then(
      (value) => live && setDetails({ status: 'ready', value }),
      (error: unknown) => live && setDetails({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [host, selected, props.refreshKey]);

  const runs = list.status === 'ready' ? list.value.runs : [];
  return (
    <div className="history" data-testid="history-view">
      <aside className="sidebar history-list">
        <div className="history-head">
          <div className="segmented" role="radiogroup" aria-label="Runs of">
            <button type="button" role="radio" aria-checked={scope === 'app'} disabled={!props.app} className={scope === 'app' ? 'on' : ''} onClick={() => setScope('app')} data-testid="history-scope-app">
              App {props.app ?? ''}
            </button>
            <button type="button" role="radio" aria-checked={scope === 'context'} disabled={!props.context} className={scope === 'context' ? 'on' : ''} onClick={() => setScope('context')} data-testid="history-scope-context">
              Context {props.context ?? ''}
            </button>
          </div>
          <button type="button" className="btn small" onClick={load} title="Reload the history">
            ↻
          </button>
        </div>
        {list.status === 'loading' && <div className="loading">Loading the history…</div>}
        {list.status === 'failed' && <ErrorMessage compact title="Cannot read the history" error={errorInfo(list.error)} onRetry={load} />}
        {list.status === 'ready' && runs.length === 0 && <div className="empty small">No runs yet. Apply a plan and it appears here.</div>}
        <ol className="timeline" aria-label="Runs" data-testid="history-runs">
          {runs.map((r) => (
            <li key={r.id}>
              <button type="button" className={`run-row${r.id === selected ? ' selected' : ''}`} data-testid="history-run" data-run-id={r.id} data-status={r.status} data-commit={r.commit} onClick={() => setSelected(r.id)}>
                <span className={`status-dot status-${r.status}`} aria-hidden="true" />
                <span className="run-main">
                  <span className="run-title">
                    <span className={`pill status-pill status-${r.status}`}>{r.status}</span> {KIND_LABEL[r.kind]} <b>{r.app.name}</b> @ <CommitLabel commit={r.commit} />
                  </span>
                  <span className="run-detail muted small">
                    → {r.cluster.context} · by {r.user.kube} · <time dateTime={r.startedAt} title={r.startedAt}>{relativeTime(r.startedAt)}</time>
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ol>
      </aside>
      <section className="detail run-details">
        {details.status === 'loading' && <div className="loading">Loading the run…</div>}
        {details.status === 'failed' && <ErrorMessage title="Cannot read the run" error={errorInfo(details.error)} />}
        {details.status === 'idle' && <div className="empty">Select a run to see what it did.</div>}
        {details.status === 'ready' && <RunPanel run={details.value} onPreview={props.onPreview} {...(props.onOpenPlan && { onOpenPlan: props.onOpenPlan })} previewing={props.previewing} />}
      </section>
    </div>
  );
}

function RunPanel(props: { run: RunDetails; onPreview: (kind: PreviewKind, run: RunSummary) => void; onOpenPlan?: (run: RunSummary) => void; previewing: boolean }): React.JSX.Element {
  const { run } = props;
  const finished = run.status !== 'running';
  return (
    <div className="run" data-testid="run-details" data-run-id={run.id}>
      <header className="run-head">
        <h2>
          <span className={`pill status-pill status-${run.status}`}>{run.status}</span> {run.kind} of {run.app.name}
        </h2>
        <div className="spacer" />
        {props.onOpenPlan && (
          <button type="button" className="btn" data-testid="open-run-plan" disabled={props.previewing} title="Open the plan this run applied, with its diffs (read-only)" onClick={() => props.onOpenPlan?.(run)}>
            Show its plan
          </button>
        )}
        <button
          type="button"
          className="btn"
          data-testid="rollback-to-run"
          disabled={!finished || props.previewing || run.commit === ':working'}
          title="Plan the app at this run's commit against the current context, and preview it"
          onClick={() => props.onPreview('rollback', run)}
        >
          Roll back to this
        </button>
        <button type="button" className="btn" data-testid="revert-run" disabled={!finished || props.previewing} title="Plan the exact undo of this run's changes, and preview it" onClick={() => props.onPreview('revert', run)}>
          Revert this
        </button>
      </header>
      <dl className="run-meta">
        <dt>Commit</dt>
        <dd>
          <CommitLabel commit={run.commit} /> <span className="muted mono small">{run.commit}</span>
        </dd>
        <dt>Context</dt>
        <dd>
          {run.cluster.context} <span className="muted">({run.cluster.server}, {run.cluster.version})</span>
        </dd>
        <dt>By</dt>
        <dd>
          {run.user.kube}
          {run.user.gitAuthor && <span className="muted"> · commit by {run.user.gitAuthor}</span>}
        </dd>
        <dt>When</dt>
        <dd>
          {new Date(run.startedAt).toLocaleString()}
          {run.finishedAt && <span className="muted"> · took {((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s</span>}
        </dd>
        <dt>Plan</dt>
        <dd>
          {summaryLine(run.summary)} <span className="muted mono small">{run.planId}</span>
        </dd>
        {run.rollbackOf && (
          <>
            <dt>{run.kind === 'revert' ? 'Reverts' : 'Rolls back to'}</dt>
            <dd className="mono">{run.rollbackOf}</dd>
          </>
        )}
        <dt>Run</dt>
        <dd className="mono">{run.id}</dd>
      </dl>
      {run.error && (
        <div className={`result-banner status-${run.status}`} role="alert">
          {run.error}
        </div>
      )}
      {run.status === 'progressing' && (
        <div className="result-banner status-progressing" data-testid="run-progressing">
          Every object was applied; when the run ended, {run.objects.filter((o) => o.outcome === 'progressing').length === 1 ? 'this one was' : 'these were'} still progressing, waiting for something outside the app:
          <ul className="progressing-list">
            {run.objects
              .filter((o) => o.outcome === 'progressing')
              .map((o) => (
                <li key={keyLabel(o.key)}>
                  <span className="mono">{keyLabel(o.key)}</span>
                  {o.message && <span className="muted"> — {o.message}</span>}
                </li>
              ))}
          </ul>
        </div>
      )}
      <h3>Objects</h3>
      {run.objects.length === 0 ? (
        <p className="muted">No object was touched.</p>
      ) : (
        <table className="objects" data-testid="run-objects">
          <thead>
            <tr>
              <th>Resource</th>
              <th>Action</th>
              <th>Outcome</th>
              <th>Wave</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {run.objects.map((o, i) => (
              <tr key={i} data-key={keyLabel(o.key)} data-outcome={o.outcome} data-hook={o.hook}>
                <td className="mono">
                  {keyLabel(o.key)}
                  {o.hook && (
                    <span className="pill hook-pill" data-testid="hook-badge" title={`A hook, run ${PHASE_TEXT[o.hook]}: never part of the app, so a revert or rollback leaves it alone`}>
                      {hookBadge(o.hook)}
                    </span>
                  )}
                </td>
                <td>
                  <span className={`badge action-${o.action}`}>{o.action}</span>
                </td>
                <td>
                  <span className={`pill outcome-${o.outcome}`}>{o.outcome}</span>
                </td>
                <td>{o.wave ?? ''}</td>
                <td className="muted">{o.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
