/** The opened change: what it is, why it is there (flags, its findings, message, changed fields, the commits behind it), then the diff. */
import { lazy, Suspense } from 'react';
import type { Change } from '../../../core/api/contract.js';
import { ACTION_LABEL, apiVersion, changeId, FLAG_TEXT, locationLabel } from '../format.js';
import type { Finding } from '../findings.js';
import { commitShort, linesLabel, WHY_COLOURS } from '../why.js';
import { loadDiffView } from '../diffViewLoader.js';
import { ErrorBoundary } from './Errors.js';
import { SeverityBadge } from './PlanFindings.js';
import { ActionBadge } from './PlanTree.js';

const DiffView = lazy(loadDiffView);

export function ChangeView(props: { change: Change; findings?: readonly Finding[] }): React.JSX.Element {
  const c = props.change;
  const where = locationLabel(c.source);
  const secretKeys = c.secretKeys ? Object.entries(c.secretKeys) : [];
  return (
    <div className="change" data-testid="change-view" data-action={c.action}>
      <header className="change-head">
        <div className="change-title">
          <ActionBadge action={c.action} />
          <h2>
            <span className="kind">{c.key.kind}</span> {c.key.namespace && <span className="muted">{c.key.namespace}/</span>}
            {c.key.name}
          </h2>
          <span className="muted small">{apiVersion(c.key)}</span>
          <span className={`pill action-${c.action}`}>{ACTION_LABEL[c.action]}</span>
        </div>
        {c.flags.length > 0 && (
          <ul className="flags" aria-label="Flags">
            {c.flags.map((f) => (
              <li key={f} className={`flag flag-${f}`} title={FLAG_TEXT[f].explain}>
                <b>{FLAG_TEXT[f].label}</b> <span className="muted">{FLAG_TEXT[f].explain}</span>
              </li>
            ))}
          </ul>
        )}
        {props.findings && props.findings.length > 0 && (
          <ul className="change-findings" aria-label="Impact and risks" data-testid="change-findings">
            {props.findings.map((f, i) => (
              <li key={i} data-rule={f.rule}>
                <SeverityBadge severity={f.severity} /> {f.message}
              </li>
            ))}
          </ul>
        )}
        {c.message && (
          <p className={c.action === 'error' ? 'change-message error' : 'change-message'} role={c.action === 'error' ? 'alert' : undefined} data-testid="change-message">
            {c.message}
          </p>
        )}
        <div className="change-meta">
          {where && (
            <span>
              declared in <code>{where}</code>
            </span>
          )}
          {c.liveResourceVersion && (
            <span>
              live resourceVersion <code>{c.liveResourceVersion}</code>
            </span>
          )}
          {c.changedPaths.length > 0 && (
            <details className="paths">
              <summary>
                {c.changedPaths.length} changed field{c.changedPaths.length === 1 ? '' : 's'}
              </summary>
              <ul>
                {c.changedPaths.map((p) => (
                  <li key={p}>
                    <code>{p}</code>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
        {c.why && c.why.length > 0 && <WhyList why={c.why} />}
        {secretKeys.length > 0 && (
          <div className="secret-keys" aria-label="Secret data keys">
            <span className="muted">Secret values are never shown.</span>
            {secretKeys.map(([k, v]) => (
              <span key={k} className={`pill secret-${v}`}>
                {k}: {v}
              </span>
            ))}
          </div>
        )}
      </header>
      <ErrorBoundary what="diff view" resetKey={changeId(c)}>
        <Suspense fallback={<div className="loading">Loading the diff editor…</div>}>
          {/* One editor for the review: a new change swaps its text (a new Monaco diff editor per change cost ~60 ms on each j). */}
          <DiffView change={c} />
        </Suspense>
      </ErrorBoundary>
    </div>
  );
}

/** The commits that touched the object's sources (Change.why), newest first; a swatch matches the gutter bars of the lines each last changed. */
function WhyList(props: { why: NonNullable<Change['why']> }): React.JSX.Element {
  const { why } = props;
  return (
    <details className="change-why" data-testid="change-why" open={why.length <= 2}>
      <summary>
        Why: {why.length} commit{why.length === 1 ? '' : 's'} changed its sources
      </summary>
      <ol>
        {why.map((w, i) => (
          <li key={w.oid} data-oid={w.oid}>
            <span className={`why-swatch why-c${i % WHY_COLOURS}${w.lines?.length ? '' : ' none'}`} aria-hidden="true" />
            <code title={w.oid}>{commitShort(w)}</code> <span className="why-subject">{w.subject}</span>{' '}
            {w.oid !== ':working' && (
              <span className="muted">
                {w.author}, <time dateTime={w.date}>{w.date.slice(0, 10)}</time>
              </span>
            )}
            <span className="muted small why-files">
              {' '}
              {w.files.join(', ')}
              {w.lines?.length ? ` · ${linesLabel(w.lines)} of the after side` : ''}
            </span>
          </li>
        ))}
      </ol>
    </details>
  );
}
