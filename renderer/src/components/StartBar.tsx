/** The start screen: open a repository by path, or one of the recent ones. */
import { useState } from 'react';
import type { OpenedRepository, RevisionList } from '../../../core/api/contract.js';
import { errorInfo, useHost } from '../host.js';
import type { Loadable } from '../loadable.js';
import { recentRepositories } from '../recentRepositories.js';
import { ErrorMessage } from './Errors.js';

export function StartBar(props: { onOpened: (r: OpenedRepository, list: RevisionList) => void; initial?: { path: string; error: unknown } }): React.JSX.Element {
  const host = useHost();
  const [path, setPath] = useState(() => props.initial?.path ?? recentRepositories()[0] ?? '');
  const [state, setState] = useState<Loadable<null>>(() => (props.initial ? { status: 'failed', error: props.initial.error } : { status: 'idle' }));
  const recent = recentRepositories();

  const open = (target: string): void => {
    if (!target.trim()) return;
    setState({ status: 'loading' });
    host
      .openRepository({ path: target })
      .then(async (r) => props.onOpened(r, await host.listRevisions({ repoId: r.id })))
      .catch((error: unknown) => setState({ status: 'failed', error }));
  };

  return (
    <div className="start">
      <form
        className="start-bar"
        onSubmit={(e) => {
          e.preventDefault();
          open(path);
        }}
      >
        <h1>Open a Git repository</h1>
        <p className="muted">A folder inside a local repository. Slipway reads any revision of it without checking anything out.</p>
        <div className="start-row">
          <input
            className="input grow"
            data-testid="repo-path"
            aria-label="Repository path"
            placeholder="/home/me/src/infra"
            value={path}
            autoFocus
            spellCheck={false}
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit" className="btn primary" data-testid="open-repo" disabled={state.status === 'loading' || !path.trim()}>
            {state.status === 'loading' ? 'Opening…' : 'Open'}
          </button>
        </div>
        {state.status === 'failed' && <ErrorMessage title="Cannot open the repository" error={errorInfo(state.error)} />}
        {recent.length > 0 && (
          <div className="recent">
            <span className="muted small">Recent</span>
            <ul>
              {recent.map((d) => (
                <li key={d}>
                  <button
                    type="button"
                    className="link mono"
                    onClick={() => {
                      setPath(d);
                      open(d);
                    }}
                  >
                    {d}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>
    </div>
  );
}
