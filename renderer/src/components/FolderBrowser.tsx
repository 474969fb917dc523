/**
 * Browser mode's folder picker (a page cannot open the OS dialog for a folder on the engine's
 * machine): the engine lists a folder's sub-folders (listFolders), Git repositories marked; the
 * user walks down, up or home, and opens a repository, or the folder on screen.
 */
import { useCallback, useEffect, useState } from 'react';
import type { FolderList } from '../../../core/api/contract.js';
import { errorInfo, useHost } from '../host.js';
import type { Loadable } from '../loadable.js';
import { ErrorMessage } from './Errors.js';
import { Modal } from './Modal.js';

export function FolderBrowser(props: { start?: string; onPick: (dir: string) => void; onClose: () => void }): React.JSX.Element {
  const host = useHost();
  const [list, setList] = useState<Loadable<FolderList>>({ status: 'loading' });

  const go = useCallback(
    (path: string | undefined, fallback?: boolean) => {
      setList({ status: 'loading' });
      host.listFolders(path ? { path } : {}).then(
        (value) => setList({ status: 'ready', value }),
        // A start folder that is gone (a moved repository) falls back to the home folder.
        (error: unknown) => (fallback ? go(undefined) : setList({ status: 'failed', error })),
      );
    },
    [host],
  );
  useEffect(() => go(props.start, props.start !== undefined), [go, props.start]);

  const here = list.status === 'ready' ? list.value : null;
  return (
    <Modal title="Open a Git repository" onClose={props.onClose} testId="folder-browser" width={640}>
      <div className="modal-body folder-browser">
        <div className="folder-path">
          <button type="button" className="btn small" data-testid="folder-up" disabled={!here?.parent} onClick={() => here?.parent && go(here.parent)} title="The folder above">
            ↑ Up
          </button>
          <button type="button" className="btn small" data-testid="folder-home" disabled={!here} onClick={() => here && go(here.home)} title="Your home folder">
            ⌂ Home
          </button>
          <code className="ellipsis" data-testid="folder-current" title={here?.path}>
            {here?.path ?? '…'}
          </code>
        </div>
        {list.status === 'loading' && (
          <div className="loading" aria-busy="true">
            Reading the folder…
          </div>
        )}
        {list.status === 'failed' && <ErrorMessage compact title="Cannot list the folder" error={errorInfo(list.error)} onRetry={() => go(undefined)} />}
        {here && (
          <ul className="folder-list" aria-label="Folders" data-testid="folder-list">
            {here.folders.length === 0 && <li className="muted small">No folders here.</li>}
            {here.folders.map((f) => (
              <li key={f.path} data-testid="folder-entry" data-path={f.path} data-repository={f.repository ? 'true' : undefined}>
                <button type="button" className="folder-name" onClick={() => go(f.path)} title={`Show the folders of ${f.name}`}>
                  <span aria-hidden="true">{f.repository ? '▤' : '📁'}</span> {f.name}
                </button>
                {f.repository && <span className="pill">Git repository</span>}
                {f.repository && (
                  <button type="button" className="btn small primary" data-testid="folder-open" onClick={() => props.onPick(f.path)}>
                    Open
                  </button>
                )}
              </li>
            ))}
            {here.truncated && <li className="muted small">More folders than shown: type the path instead.</li>}
          </ul>
        )}
      </div>
      <footer className="modal-foot">
        <span className="muted small">{here?.repository ? 'This folder is a Git repository.' : 'Any folder inside a repository opens it.'}</span>
        <div className="spacer" />
        <button type="button" className="btn" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="btn primary" data-testid="folder-open-current" disabled={!here} onClick={() => here && props.onPick(here.path)}>
          Open this folder
        </button>
      </footer>
    </Modal>
  );
}
