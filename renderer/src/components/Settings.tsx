/**
 * The user's settings, kept by the engine (validated JSON in the user data folder): the
 * SettingsContext the app reads them from, and the dialog that edits them.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { Settings, SettingsResult } from '../../../core/api/contract.js';
import { errorInfo, useHost } from '../host.js';
import { askNotificationPermission } from '../notify.js';
import { ErrorMessage } from './Errors.js';
import { Modal } from './Modal.js';

export interface SettingsState {
  /** Null until loaded (or when they cannot be read: then the defaults apply in the engine). */
  readonly result: SettingsResult | null;
  /** Bumped on every save, so views that depend on settings reload. */
  readonly version: number;
  readonly saved: (result: SettingsResult) => void;
  /** Opens the settings dialog, at one field (absent outside the app, e.g. in component tests of one view). */
  readonly open?: (field?: SettingsField) => void;
}

/** A field the dialog can open at. */
export type SettingsField = 'kubeconfig';

export const SettingsContext = createContext<SettingsState>({ result: null, version: 0, saved: () => undefined });

export function useSettings(): SettingsState {
  return useContext(SettingsContext);
}

const THEMES: ReadonlyArray<[Settings['theme'], string]> = [
  ['system', 'Follow the system'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];

/** Files tools read, set by path only: Slipway reads them when a tool needs them and never shows what is in them. */
const FILES: ReadonlyArray<{ field: 'sopsAgeKeyFile' | 'chartCredentialsFile'; label: string; testId: string; placeholder: string; help: string }> = [
  {
    field: 'sopsAgeKeyFile',
    label: 'Age key file',
    testId: 'setting-sops-age-key-file',
    placeholder: '$SOPS_AGE_KEY_FILE, else ~/.config/sops/age/keys.txt',
    help: 'the age private key sops decrypts SOPS-encrypted manifests with; blank: sops finds its key itself',
  },
  {
    field: 'chartCredentialsFile',
    label: 'Chart credentials',
    testId: 'setting-chart-credentials-file',
    placeholder: '$SLIPWAY_CHART_CREDENTIALS',
    help: 'a YAML file of chart repository URLs and their credentials; only its path is kept here',
  },
];

/** The desktop notifications, each with its checkbox. */
const NOTIFICATIONS: ReadonlyArray<{ field: keyof Settings['notifications']; label: string; testId: string }> = [
  { field: 'drift', label: 'Drift found in the app on screen (the objects and fields that changed)', testId: 'setting-notify-drift' },
  { field: 'applyFinished', label: 'An apply ended while Slipway was in the background', testId: 'setting-notify-apply' },
  { field: 'unreachable', label: 'A watched cluster cannot be reached (and when it is back)', testId: 'setting-notify-unreachable' },
];

/** A number field's text as a value: blank is "not set". */
function parseCount(text: string): number | undefined | null {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/**
 * The settings dialog. Its fields start from the saved settings: opened before the app has them
 * (just started, or they could not be read then), it reads them first, so a save never drops a
 * setting the dialog had not shown.
 */
export function SettingsDialog(props: { onClose: () => void; focus?: SettingsField }): React.JSX.Element {
  const host = useHost();
  const { result } = useSettings();
  const [read, setRead] = useState<{ status: 'reading' } | { status: 'read'; result: SettingsResult } | { status: 'failed'; error: unknown }>({ status: 'reading' });
  useEffect(() => {
    if (result) return;
    let live = true;
    host.getSettings().then(
      (r) => live && setRead({ status: 'read', result: r }),
      (error: unknown) => live && setRead({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [host, result]);
  const loaded = result ?? (read.status === 'read' ? read.result : null);
  if (loaded) return <SettingsForm {...props} result={loaded} />;
  return (
    <Modal title="Settings" onClose={props.onClose} testId="settings-dialog" width={600}>
      <div className="modal-body settings">
        {read.status === 'failed' ? <ErrorMessage compact title="Cannot read the settings" error={errorInfo(read.error)} /> : <p className="muted" data-testid="settings-reading">Reading the settings…</p>}
      </div>
      <footer className="modal-foot">
        <div className="spacer" />
        <button type="button" className="btn" onClick={props.onClose}>
          Cancel
        </button>
      </footer>
    </Modal>
  );
}

function SettingsForm(props: { onClose: () => void; focus?: SettingsField; result: SettingsResult }): React.JSX.Element {
  const host = useHost();
  const { saved } = useSettings();
  const { result } = props;
  const initial = result.settings;
  const [kubeconfig, setKubeconfig] = useState(initial.kubeconfig ?? '');
  const [tools, setTools] = useState<Record<keyof Settings['tools'], string>>({
    kubectl: initial.tools.kubectl ?? '',
    helm: initial.tools.helm ?? '',
    kustomize: initial.tools.kustomize ?? '',
    jsonnet: initial.tools.jsonnet ?? '',
    sops: initial.tools.sops ?? '',
    sopsAgeKeyFile: initial.tools.sopsAgeKeyFile ?? '',
    chartCredentialsFile: initial.tools.chartCredentialsFile ?? '',
  });
  const [concurrency, setConcurrency] = useState(String(initial.concurrency));
  const [health, setHealth] = useState(initial.timeouts.healthSeconds !== undefined ? String(initial.timeouts.healthSeconds) : '');
  const [request, setRequest] = useState(initial.timeouts.requestSeconds !== undefined ? String(initial.timeouts.requestSeconds) : '');
  const [protectedText, setProtectedText] = useState(initial.protectedContexts.join('\n'));
  const [theme, setTheme] = useState<Settings['theme']>(initial.theme);
  const [notifications, setNotifications] = useState<Settings['notifications']>(initial.notifications);
  const [state, setState] = useState<{ status: 'idle' | 'saving' } | { status: 'failed'; error: unknown }>({ status: 'idle' });

  const conc = parseCount(concurrency);
  const healthSeconds = parseCount(health);
  const requestSeconds = parseCount(request);
  const valid = conc !== null && conc !== undefined && conc <= 64 && healthSeconds !== null && requestSeconds !== null && (requestSeconds === undefined || requestSeconds <= 3600);

  const save = (): void => {
    if (!valid) return;
    setState({ status: 'saving' });
    const clean = (v: string): string | undefined => (v.trim() ? v.trim() : undefined);
    const value: Settings = {
      ...(clean(kubeconfig) && { kubeconfig: clean(kubeconfig) }),
      tools: Object.fromEntries(Object.entries(tools).flatMap(([k, v]) => (clean(v) ? [[k, clean(v)]] : []))),
      concurrency: conc,
      timeouts: { ...(healthSeconds !== undefined && { healthSeconds }), ...(requestSeconds !== undefined && { requestSeconds }) },
      protectedContexts: [...new Set(protectedText.split(/[\n,]/).map((s) => s.trim()).filter(Boolean))],
      theme,
      notifications,
    };
    // Asked while the user clicks Save: the browser (or Electron) shows its permission prompt for a user's gesture.
    if (Object.values(notifications).some(Boolean)) askNotificationPermission();
    host.saveSettings(value).then(
      (r) => {
        saved(r);
        props.onClose();
      },
      (error: unknown) => setState({ status: 'failed', error }),
    );
  };

  return (
    <Modal title="Settings" onClose={props.onClose} testId="settings-dialog" width={600}>
      <form
        className="modal-form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <div className="modal-body settings">
          {result.problem && <ErrorMessage compact title="The settings file was not used" error={{ code: 'invalid-settings', message: result.problem }} />}
          <label className="setting">
            <span>Kubeconfig</span>
            <input className="input mono" data-testid="setting-kubeconfig" placeholder="$KUBECONFIG, else ~/.kube/config" value={kubeconfig} spellCheck={false} autoFocus={props.focus === 'kubeconfig'} onChange={(e) => setKubeconfig(e.target.value)} />
          </label>
          {(['kubectl', 'helm', 'kustomize', 'jsonnet', 'sops'] as const).map((t) => (
            <label className="setting" key={t}>
              <span>{t}</span>
              <input className="input mono" data-testid={`setting-${t}`} placeholder={`${t} from PATH`} value={tools[t]} spellCheck={false} onChange={(e) => setTools({ ...tools, [t]: e.target.value })} />
            </label>
          ))}
          {FILES.map(({ field, label, testId, placeholder, help }) => (
            <label className="setting" key={field}>
              <span>{label}</span>
              <input className="input mono" data-testid={testId} placeholder={placeholder} value={tools[field]} spellCheck={false} autoComplete="off" onChange={(e) => setTools({ ...tools, [field]: e.target.value })} />
              <span className="muted small">{help}</span>
            </label>
          ))}
          <label className="setting">
            <span>Concurrency</span>
            <input className="input narrow" type="number" min={1} max={64} data-testid="setting-concurrency" value={concurrency} onChange={(e) => setConcurrency(e.target.value)} />
            <span className="muted small">parallel API calls while planning (1–64)</span>
          </label>
          <label className="setting">
            <span>Health timeout</span>
            <input className="input narrow" type="number" min={1} data-testid="setting-health-timeout" placeholder="per kind" value={health} onChange={(e) => setHealth(e.target.value)} />
            <span className="muted small">seconds to wait for each object to become healthy; blank: per kind</span>
          </label>
          <label className="setting">
            <span>Request timeout</span>
            <input className="input narrow" type="number" min={1} max={3600} data-testid="setting-request-timeout" placeholder="30" value={request} onChange={(e) => setRequest(e.target.value)} />
            <span className="muted small">seconds one API request may take before it is given up (1–3600); blank: 30</span>
          </label>
          <label className="setting">
            <span>Protected contexts</span>
            <textarea className="input mono" rows={3} data-testid="setting-protected" placeholder="one per line, e.g. prod" value={protectedText} spellCheck={false} onChange={(e) => setProtectedText(e.target.value)} />
            <span className="muted small">marked red; applying needs the context name typed</span>
          </label>
          <label className="setting">
            <span>Theme</span>
            <select className="select" data-testid="setting-theme" value={theme} onChange={(e) => setTheme(e.target.value as Settings['theme'])}>
              {THEMES.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <div className="setting" role="group" aria-labelledby="setting-notifications-label" data-testid="setting-notifications">
            <span id="setting-notifications-label">Notifications</span>
            <div className="setting-checks">
              {NOTIFICATIONS.map(({ field, label, testId }) => (
                <label className="check" key={field}>
                  <input type="checkbox" data-testid={testId} checked={notifications[field]} onChange={(e) => setNotifications({ ...notifications, [field]: e.target.checked })} /> {label}
                </label>
              ))}
            </div>
            <span className="muted small">desktop notifications; the system asks once whether Slipway may show them</span>
          </div>
          {!valid && <p className="text-error small">Concurrency is a whole number from 1 to 64; the timeouts whole numbers of seconds (a request at most 3600), or blank.</p>}
          {state.status === 'failed' && <ErrorMessage compact title="Cannot save the settings" error={errorInfo(state.error)} />}
        </div>
        <footer className="modal-foot">
          <span className="muted small ellipsis" title={result.file}>{result.file}</span>
          <div className="spacer" />
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="save-settings" disabled={!valid || state.status === 'saving'}>
            {state.status === 'saving' ? 'Saving…' : 'Save'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
