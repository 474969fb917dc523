import { useCallback, useEffect, useMemo, useState } from 'react';
import type { EngineInfo, SettingsResult } from '../../core/api/contract.js';
import { RevisionLabelsProvider } from './components/CommitLabel.js';
import { ErrorBoundary } from './components/Errors.js';
import { SettingsContext, SettingsDialog, type SettingsField, type SettingsState } from './components/Settings.js';
import { ShortcutHelp } from './components/ShortcutHelp.js';
import { Workspace } from './components/Workspace.js';
import { errorInfo, useHost } from './host.js';
import { ThemeContext, useResolvedTheme } from './theme.js';
import { useShortcuts } from './workspace/useShortcuts.js';

export function App(): React.JSX.Element {
  const host = useHost();
  const [settings, setSettings] = useState<SettingsResult | null>(null);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);
  // The field the dialog opens at, when a view sends the user there (no kubeconfig found).
  const [focus, setFocus] = useState<SettingsField | undefined>(undefined);
  const openSettings = useCallback((field?: SettingsField) => {
    setFocus(field);
    setEditing(true);
  }, []);
  const [shortcutHelp, setShortcutHelp] = useState(false);
  useShortcuts({ help: () => setShortcutHelp(true) });
  useEffect(() => {
    host.getSettings().then(setSettings, () => undefined); // unreadable: the engine uses defaults, the status bar says why it is unreachable
  }, [host]);
  const saved = useCallback((r: SettingsResult) => {
    setSettings(r);
    setVersion((v) => v + 1);
  }, []);
  const state = useMemo<SettingsState>(() => ({ result: settings, version, saved, open: openSettings }), [settings, version, saved, openSettings]);
  const theme = useResolvedTheme(settings?.settings.theme ?? 'system');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <SettingsContext.Provider value={state}>
      <ThemeContext.Provider value={theme}>
        <div className="app">
          <ErrorBoundary what="workspace">
            <RevisionLabelsProvider>
              <Workspace />
            </RevisionLabelsProvider>
          </ErrorBoundary>
          <StatusBar onSettings={() => openSettings()} onShortcuts={() => setShortcutHelp(true)} />
          {editing && <SettingsDialog {...(focus && { focus })} onClose={() => setEditing(false)} />}
          {shortcutHelp && <ShortcutHelp onClose={() => setShortcutHelp(false)} />}
        </div>
      </ThemeContext.Provider>
    </SettingsContext.Provider>
  );
}

/** The engine the page talks to, or why it cannot reach it. */
function StatusBar(props: { onSettings: () => void; onShortcuts: () => void }): React.JSX.Element {
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
      <span className="spacer" />
      <button type="button" className="btn small ghost" data-testid="open-shortcuts" onClick={props.onShortcuts} title="Keyboard shortcuts (?)">
        ⌨ Shortcuts
      </button>
      <button type="button" className="btn small ghost" data-testid="open-settings" onClick={props.onSettings} title="Settings">
        ⚙ Settings
      </button>
    </footer>
  );
}
