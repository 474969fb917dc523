/**
 * The kubeconfig cannot give a context: none was found (neither $KUBECONFIG nor ~/.kube/config),
 * or the one set in Settings is missing or broken. Said kindly, with the way to fix it: the
 * Settings dialog, opened at its kubeconfig field. Any other failure is shown as the engine said it.
 */
import type { ContextList } from '../../../core/api/contract.js';
import { errorInfo } from '../host.js';
import type { Loadable } from '../loadable.js';
import { ErrorMessage } from './Errors.js';
import { useSettings } from './Settings.js';

/** Errors of the kubeconfig file itself: Settings' kubeconfig path is the fix. */
const FILE_PROBLEMS = new Set(['kubeconfig-not-found', 'kubeconfig-unreadable', 'kubeconfig-invalid']);

export function KubeconfigProblem(props: { contexts: Loadable<ContextList>; onReload: () => void }): React.JSX.Element | null {
  const { open } = useSettings();
  const { contexts } = props;
  const toSettings = open && (
    <button type="button" className="btn small primary" data-testid="kubeconfig-settings" onClick={() => open('kubeconfig')}>
      Set the kubeconfig in Settings…
    </button>
  );
  if (contexts.status === 'ready' && contexts.value.files.length === 0) {
    return (
      <div className="kubeconfig-problem notice" role="status" data-testid="no-kubeconfig">
        <p>
          <b>No kubeconfig found.</b> Slipway reads the clusters you can plan against from <code>$KUBECONFIG</code>, else <code>~/.kube/config</code>, and neither is there. Give the path of
          yours in Settings, or create one (e.g. <code>kubectl config set-cluster …</code>), then reload.
        </p>
        <div className="row">
          {toSettings}
          <button type="button" className="btn small" onClick={props.onReload}>
            Reload
          </button>
        </div>
      </div>
    );
  }
  if (contexts.status !== 'failed') return null;
  const error = errorInfo(contexts.error);
  return (
    <div className="kubeconfig-problem" data-testid="kubeconfig-failed">
      <ErrorMessage compact title="Cannot read the kubeconfig" error={error} onRetry={props.onReload} />
      {FILE_PROBLEMS.has(error.code) && toSettings && <div className="row">{toSettings}</div>}
    </div>
  );
}
