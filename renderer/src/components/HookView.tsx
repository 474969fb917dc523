/**
 * The opened hook: what it is, when it runs and when it is deleted, where it is declared, then its
 * YAML as apply sends it. A hook is no change: it is created each time apply runs its phase.
 */
import { lazy, Suspense } from 'react';
import type { PlannedHook } from '../../../core/api/contract.js';
import { apiVersion, locationLabel } from '../format.js';
import { DELETE_POLICY_TEXT, HOOK_FROM, hookName, PHASE_TEXT } from '../syncPhase.js';
import { ErrorBoundary } from './Errors.js';

const YamlView = lazy(() => import('./YamlView.js'));

export function HookView(props: { hook: PlannedHook; id: string }): React.JSX.Element {
  const h = props.hook;
  const where = locationLabel(h.source);
  return (
    <div className="change" data-testid="hook-view" data-skipped={h.skipped !== undefined ? 'true' : undefined}>
      <header className="change-head">
        <div className="change-title">
          <span className="pill hook-pill">hook</span>
          <h2>
            <span className="kind">{h.key.kind}</span> {h.key.namespace && <span className="muted">{h.key.namespace}/</span>}
            {hookName(h)}
          </h2>
          <span className="muted small">{apiVersion(h.key)}</span>
          <span className="muted small">{HOOK_FROM[h.from]} hook</span>
        </div>
        {h.skipped !== undefined ? (
          <p className="change-message" data-testid="hook-skipped">
            Not run: {h.skipped}
          </p>
        ) : (
          <ul className="flags" aria-label="When it runs">
            {h.phases.map((p) => (
              <li key={p}>
                <b>{p}</b> <span className="muted">runs {PHASE_TEXT[p]}</span>
              </li>
            ))}
            {h.deletePolicies.map((p) => (
              <li key={p}>
                <b>{p}</b> <span className="muted">{DELETE_POLICY_TEXT[p]}</span>
              </li>
            ))}
          </ul>
        )}
        <div className="change-meta">
          {h.generateName && <span title="Argo CD names it: the prefix, 7 characters of the commit, the phase and the time it starts">named when it runs</span>}
          {h.wave !== 0 && <span>wave {h.wave}</span>}
          {where && (
            <span>
              declared in <code>{where}</code>
            </span>
          )}
        </div>
      </header>
      {h.after !== undefined && (
        <ErrorBoundary what="YAML view" resetKey={props.id}>
          <Suspense fallback={<div className="loading">Loading the editor…</div>}>
            <YamlView yaml={h.after} label="Created on apply, as it is here" />
          </Suspense>
        </ErrorBoundary>
      )}
    </div>
  );
}
