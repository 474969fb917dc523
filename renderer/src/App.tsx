import { useEffect, useState } from 'react';
import type { EngineInfo } from '../../core/api/contract.js';
import { ErrorBoundary } from './components/Errors.js';
import { Workspace } from './components/Workspace.js';
import { errorInfo, useHost } from './host.js';

export function App(): React.JSX.Element {
  return (
    <div className="app">
      <ErrorBoundary what="workspace">
        <Workspace />
      </ErrorBoundary>
      <StatusBar />
    </div>
  );
}

/** The engine the page talks to, or why it cannot reach it. */
function StatusBar(): React.JSX.Element {
  const host = useHost();
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    host.engineInfo().then(setInfo, (e: unknown) => setError(errorInfo(e).message));
  }, [host]);

  return (
    <footer className="statusbar">
      <span className="brand">Slipway</span>
      {error && (
        <span role="alert" className="text-error">
          Cannot reach the engine: {error}
        </span>
      )}
      {!error && !info && <span aria-busy="true">Connecting to the engine…</span>}
      {info && (
        <span data-testid="engine-info">
          Engine {info.version} on {info.platform} ({info.transport})
        </span>
      )}
    </footer>
  );
}
