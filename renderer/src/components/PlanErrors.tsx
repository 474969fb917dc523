/**
 * A plan's errors, first in its view: each with its file:line and the lines of the file around
 * it at the plan's commit (the engine reads them, and never shows a file holding Secret values).
 */
import { useEffect, useState } from 'react';
import type { Plan, SourceSnippet } from '../../../core/api/contract.js';
import { locationLabel } from '../format.js';
import { errorInfo, useHost } from '../host.js';
import type { Loadable } from '../loadable.js';
import { errorsText, planErrors, type PlanError } from '../planErrors.js';

export function PlanErrors(props: { plan: Plan; repoId?: string | undefined }): React.JSX.Element | null {
  const errors = planErrors(props.plan);
  if (errors.length === 0) return null;
  return (
    <section className="plan-errors" role="alert" aria-label="Errors" data-testid="plan-errors">
      <h2>
        This plan cannot be applied: {errorsText(errors.length)}
      </h2>
      <ol>
        {errors.map((e) => (
          <ErrorItem key={e.id} error={e} rev={props.plan.inputs.commit} repoId={props.repoId} />
        ))}
      </ol>
    </section>
  );
}

function ErrorItem(props: { error: PlanError; rev: string; repoId: string | undefined }): React.JSX.Element {
  const { error } = props;
  const where = locationLabel(error.location);
  return (
    <li className="plan-error" data-testid="plan-error" data-location={where}>
      <p>
        {where && <code className="plan-error-where">{where}</code>} <span className="muted">{error.what}</span>
      </p>
      <p className="plan-error-message">{error.message}</p>
      {props.repoId && error.location?.line !== undefined && <Snippet repoId={props.repoId} rev={props.rev} file={error.location.file} line={error.location.line} />}
    </li>
  );
}

function Snippet(props: { repoId: string; rev: string; file: string; line: number }): React.JSX.Element | null {
  const host = useHost();
  const { repoId, rev, file, line } = props;
  const [snippet, setSnippet] = useState<Loadable<SourceSnippet>>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    setSnippet({ status: 'loading' });
    host.sourceSnippet({ repoId, rev, file, line }).then(
      (value) => live && setSnippet({ status: 'ready', value }),
      (error: unknown) => live && setSnippet({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [host, repoId, rev, file, line]);

  if (snippet.status === 'failed') return <p className="muted small">The file cannot be shown: {errorInfo(snippet.error).message}</p>;
  if (snippet.status !== 'ready') return null;
  const { hidden, lines, startLine } = snippet.value;
  if (hidden !== undefined) {
    return (
      <p className="muted small" data-testid="snippet-hidden">
        Not shown: {hidden}.
      </p>
    );
  }
  return (
    <pre className="source-snippet" data-testid="source-snippet" aria-label={`${file} around line ${line}`}>
      {(lines ?? []).map((text, i) => {
        const n = (startLine ?? 1) + i;
        return (
          <div key={n} className={n === line ? 'snippet-line at' : 'snippet-line'} data-line={n}>
            <span className="line-no" aria-hidden="true">
              {n}
            </span>
            {text || ' '}
          </div>
        );
      })}
    </pre>
  );
}
