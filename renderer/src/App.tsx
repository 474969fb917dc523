import { useEffect, useState } from 'react';
import type { EngineInfo } from '../../core/api/contract.js';
import { useHost } from './host.js';

export function App(): React.JSX.Element {
  const host = useHost();
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    host.engineInfo().then(setInfo, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [host]);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: '2rem' }}>
      <h1>Slipway</h1>
      <p>Plan and apply Kubernetes changes from any Git revision.</p>
      {error && <p role="alert">Cannot reach the engine: {error}</p>}
      {!error && !info && <p aria-busy="true">Connecting to the engine…</p>}
      {info && (
        <p data-testid="engine-info">
          Engine {info.version} on {info.platform} ({info.transport})
        </p>
      )}
    </main>
  );
}
