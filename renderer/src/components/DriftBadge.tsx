/** The drift badge beside the tabs: the chosen app's drift on the chosen context (driftBadge.ts), and "Plan to fix drift". */
import { driftBadge } from '../driftBadge.js';
import type { DriftState } from '../workspace/useDrift.js';

export function DriftBadge(props: { state: DriftState; planning: boolean; onPlanFix: () => void }): React.JSX.Element | null {
  const view = driftBadge(props.state);
  if (!view) return null;
  const tooltip = view.lines.join('\n');
  return (
    <div className="drift-status" data-testid="drift-status" data-tone={view.tone}>
      <span className={`drift-badge tone-${view.tone}`} data-testid="drift-badge" title={tooltip} aria-label={tooltip ? `${view.label}. ${view.lines.join('. ')}` : view.label}>
        {view.label}
      </span>
      {view.reconnecting !== null && (
        <span className="drift-reconnecting" data-testid="drift-reconnecting" role="status" title={view.reconnecting}>
          Reconnecting…
        </span>
      )}
      {view.fix && (
        <button type="button" className="btn small" data-testid="plan-fix-drift" disabled={props.planning} title="Plan the chosen revision on this context: the plan puts the drifted fields back" onClick={props.onPlanFix}>
          Plan to fix drift
        </button>
      )}
    </div>
  );
}
