import { Component, type ErrorInfo, type ReactNode } from 'react';
import type { EngineErrorInfo } from '../../../core/api/contract.js';
import { locationLabel } from '../format.js';
import { errorInfo } from '../host.js';

/** An engine error as a person reads it: what failed (code), why (message), what to do (hint), where. */
export function ErrorMessage(props: { error: EngineErrorInfo | unknown; title?: string; onRetry?: () => void; compact?: boolean }): React.JSX.Element {
  const e = isInfo(props.error) ? props.error : errorInfo(props.error);
  const where = locationLabel(e.location);
  return (
    <div className={`error-message${props.compact ? ' compact' : ''}`} role="alert" data-testid="error-message" data-code={e.code}>
      <div className="error-head">
        {props.title && <strong>{props.title}</strong>}
        <code className="error-code">{e.code}</code>
      </div>
      <p className="error-text">{e.message}</p>
      {where && (
        <p className="error-where">
          at <code>{where}</code>
        </p>
      )}
      {e.snippet && <Snippet snippet={e.snippet} line={e.location?.line} />}
      {e.hint && <p className="error-hint">Hint: {e.hint}</p>}
      {e.output && (
        <details className="error-output" data-testid="error-output">
          <summary>Full output of the tool</summary>
          <pre>{e.output}</pre>
        </details>
      )}
      {props.onRetry && (
        <button type="button" className="btn small" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The lines around an error's location, numbered, the location's line marked. */
function Snippet(props: { snippet: NonNullable<EngineErrorInfo['snippet']>; line: number | undefined }): React.JSX.Element {
  return (
    <pre className="error-snippet" data-testid="error-snippet">
      {props.snippet.lines.map((text, i) => {
        const n = props.snippet.startLine + i;
        return (
          <div key={n} className={n === props.line ? 'error-line' : undefined} data-line={n}>
            <span className="line-no">{n}</span>
            {text}
          </div>
        );
      })}
    </pre>
  );
}

function isInfo(v: unknown): v is EngineErrorInfo {
  return typeof v === 'object' && v !== null && !(v instanceof Error) && typeof (v as EngineErrorInfo).code === 'string' && typeof (v as EngineErrorInfo).message === 'string';
}

interface BoundaryState {
  readonly error: unknown;
  readonly failed: boolean;
}

/** Keeps a crash in one part of the screen from blanking the whole app. */
export class ErrorBoundary extends Component<{ children: ReactNode; what: string; resetKey?: unknown }, BoundaryState> {
  override state: BoundaryState = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`Slipway: ${this.props.what} crashed`, error, info.componentStack);
  }

  override componentDidUpdate(prev: { resetKey?: unknown }): void {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.setState({ error: null, failed: false });
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="boundary">
        <ErrorMessage title={`The ${this.props.what} stopped working`} error={this.state.error} onRetry={() => this.setState({ error: null, failed: false })} />
      </div>
    );
  }
}
