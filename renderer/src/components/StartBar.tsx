/**
 * The start screen: open a repository by its path, by picking its folder (the desktop app's own
 * dialog, else the engine's folder list), or one of the recent ones (kept in the settings, with the
 * app last chosen in each).
 */
import { useEffect, useState } from 'react';
import type { EngineInfo, OpenedRepository, RecentRepository, RevisionList } from '../../../core/api/contract.js';
import { errorInfo, useHost } from '../host.js';
import type { Loadable } from '../loadable.js';
import { preloadWorkspaceViews } from '../workspaceViews.js';
import { ErrorMessage } from './Errors.js';
import { FolderBrowser } from './FolderBrowser.js';

/** The folder that holds `dir` ("/src/infra" → "/src"), where browsing starts next to the last repository. */
export function parentFolder(dir: string): string | undefined {
  const cut = Math.max(dir.lastIndexOf('/'), dir.lastIndexOf('\\'));
  if (cut < 0) return undefined;
  return cut === 0 ? dir.slice(0, 1) : dir.slice(0, cut);
}

/** The folder's own name, as the recent list leads with it. */
const folderName = (dir: string): string => dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;

export function StartBar(props: { onOpened: (r: OpenedRepository, list: RevisionList) => void; initial?: { path: string; error: unknown } }): React.JSX.Element {
  const host = useHost();
  const [path, setPath] = useState(() => props.initial?.path ?? '');
  const [state, setState] = useState<Loadable<null>>(() => (props.initial ? { status: 'failed', error: props.initial.error } : { status: 'idle' }));
  const [recent, setRecent] = useState<readonly RecentRepository[]>([]);
  const [dialog, setDialog] = useState<EngineInfo['folderDialog'] | null>(null);
  const [browsing, setBrowsing] = useState<{ start?: string } | null>(null);

  useEffect(() => {
    let live = true;
    host.getSettings().then(
      (r) => {
        if (!live) return;
        const list = r.settings.recentRepositories ?? [];
        setRecent(list);
        setPath((p) => p || (list[0]?.dir ?? ''));
      },
      () => undefined, // no recent ones: the field and the picker remain
    );
    host.engineInfo().then(
      (info) => live && setDialog(info.folderDialog ?? 'browse'),
      () => live && setDialog('browse'),
    );
    return () => {
      live = false;
    };
  }, [host]);

  const open = (target: string): void => {
    if (!target.trim()) return;
    setPath(target);
    setState({ status: 'loading' });
    preloadWorkspaceViews();
    host
      .openRepository({ path: target })
      .then(async (r) => props.onOpened(r, await host.listRevisions({ repoId: r.id })))
      .catch((error: unknown) => setState({ status: 'failed', error }));
  };

  const pickFolder = (): void => {
    const typed = path.trim();
    if (dialog === 'native') {
      // The desktop app's dialog opens at the folder typed; cancelled, the field keeps it.
      host.chooseFolder(typed ? { start: typed } : {}).then(
        (r) => r.path && open(r.path),
        (error: unknown) => setState({ status: 'failed', error }),
      );
      return;
    }
    const start = typed || (recent[0] && parentFolder(recent[0].dir));
    setBrowsing(start ? { start } : {});
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
          <button type="button" className="btn" data-testid="browse-folders" disabled={dialog === null || state.status === 'loading'} onClick={pickFolder} title="Pick the repository's folder">
            Choose folder…
          </button>
          <button type="submit" className="btn primary" data-testid="open-repo" disabled={state.status === 'loading' || !path.trim()}>
            {state.status === 'loading' ? 'Opening…' : 'Open'}
          </button>
        </div>
        {state.status === 'failed' && <ErrorMessage title="Cannot open the repository" error={errorInfo(state.error)} />}
        {recent.length > 0 && (
          <div className="recent" data-testid="recent-repositories">
            <span className="muted small">Recent</span>
            <ul>
              {recent.map((r) => (
                <li key={r.dir}>
                  <button type="button" className="link recent-repo" data-testid="recent-repository" data-dir={r.dir} title={`Open ${r.dir}`} onClick={() => open(r.dir)}>
                    <b>{folderName(r.dir)}</b> <span className="muted mono small">{r.dir}</span>
                    {(r.app ?? r.path) !== undefined && <span className="muted small"> · {r.app ?? (r.path || 'whole repository')}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
      </form>
      {browsing && (
        <FolderBrowser
          {...browsing}
          onClose={() => setBrowsing(null)}
          onPick={(dir) => {
            setBrowsing(null);
            open(dir);
          }}
        />
      )}
    </div>
  );
}
