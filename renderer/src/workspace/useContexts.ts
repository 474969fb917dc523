/**
 * The kubeconfig contexts and the one chosen. Contexts do not depend on the repository: they are
 * read once, on Reload, and when the settings change (they name the kubeconfig and the protected
 * contexts). An app's destination suggests a context only until one is picked.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContextList, HostApi } from '../../../core/api/contract.js';
import type { Loadable } from '../loadable.js';
import { useSettings } from '../components/Settings.js';

export interface Contexts {
  readonly contexts: Loadable<ContextList>;
  readonly context: string | null;
  /** The user's (or the start-up's) choice: later suggestions no longer move it. */
  readonly pick: (name: string) => void;
  /** A context the app names: taken when it exists and nothing was picked. */
  readonly suggest: (name: string | undefined) => void;
  readonly reload: () => void;
}

export function useContexts(host: HostApi): Contexts {
  const [contexts, setContexts] = useState<Loadable<ContextList>>({ status: 'loading' });
  const [context, setContext] = useState<string | null>(null);
  const picked = useRef(false);
  const { version: settingsVersion } = useSettings();

  const reload = useCallback(() => {
    setContexts({ status: 'loading' });
    host.listContexts().then(
      (list) => {
        setContexts({ status: 'ready', value: list });
        setContext((c) => (c && list.contexts.some((x) => x.name === c) ? c : (list.currentContext ?? list.contexts[0]?.name ?? null)));
      },
      (error: unknown) => setContexts({ status: 'failed', error }),
    );
  }, [host]);
  useEffect(reload, [reload, settingsVersion]);

  const pick = useCallback((name: string) => {
    picked.current = true;
    setContext(name);
  }, []);
  const suggest = useCallback(
    (name: string | undefined) => {
      if (picked.current || contexts.status !== 'ready') return;
      if (name && contexts.value.contexts.some((c) => c.name === name)) setContext(name);
    },
    [contexts],
  );
  return { contexts, context, pick, suggest, reload };
}
