/**
 * The plan's hooks in the sidebar: those that run on apply, grouped by the phase they run in (in
 * the plan's order: wave, then kind), then those not run with why. Hooks are no changes: the
 * summary never counts them. Clicking one opens it (HookView).
 */
import type { PlannedHook } from '../../../core/api/contract.js';
import { locationLabel } from '../format.js';
import { DELETE_POLICY_TEXT, HOOK_FROM, hookCount, hookName, PHASE_TEXT, PHASES, runningHooks } from '../syncPhase.js';

export function PlanHooks(props: { hooks: readonly PlannedHook[]; openedIndex: number | null; onOpen: (index: number) => void }): React.JSX.Element | null {
  const { hooks } = props;
  if (hooks.length === 0) return null;
  // Indexes into the plan's list, so a hook run in two phases opens the same entry from either.
  const indexed = hooks.map((hook, index) => ({ hook, index }));
  const skipped = indexed.filter((e) => e.hook.skipped !== undefined);
  const running = runningHooks(hooks).length;
  const item = (e: { hook: PlannedHook; index: number }): React.JSX.Element => <HookItem key={e.index} {...e} opened={props.openedIndex === e.index} onOpen={props.onOpen} />;
  return (
    <details className="plan-hooks" open data-testid="plan-hooks">
      <summary data-testid="plan-hooks-summary">
        {running > 0 ? `On apply, ${hookCount(running)} run${running === 1 ? 's' : ''}` : 'On apply, no hook runs'}
        {skipped.length > 0 && <span className="muted"> · {skipped.length} not run</span>}
      </summary>
      <div className="plan-hooks-body">
        {PHASES.map((phase) => {
          const inPhase = indexed.filter((e) => e.hook.phases.includes(phase));
          if (inPhase.length === 0) return null;
          return (
            <section key={phase} className="hook-phase" data-testid="hook-phase" data-phase={phase} aria-label={`${phase} hooks`}>
              <h4 title={`${phase} hooks run ${PHASE_TEXT[phase]}`}>
                <span className={`phase-badge phase-${phase}`}>{phase}</span> <span className="muted">{PHASE_TEXT[phase]}</span>
              </h4>
              <ul>{inPhase.map(item)}</ul>
            </section>
          );
        })}
        {skipped.length > 0 && (
          <section className="hook-phase" data-testid="hooks-not-run" aria-label="Hooks not run">
            <h4>Not run</h4>
            <ul>{skipped.map(item)}</ul>
          </section>
        )}
      </div>
    </details>
  );
}

function HookItem(props: { hook: PlannedHook; index: number; opened: boolean; onOpen: (index: number) => void }): React.JSX.Element {
  const h = props.hook;
  return (
    <li>
      <button type="button" className={`hook-item${props.opened ? ' selected' : ''}`} data-testid="plan-hook" data-index={props.index} aria-pressed={props.opened} onClick={() => props.onOpen(props.index)}>
        <span className="hook-name">
          <span className="kind">{h.key.kind}</span> <span className="mono">{h.key.namespace ? `${h.key.namespace}/` : ''}{hookName(h)}</span>
          {h.generateName && (
            <span className="muted small" data-testid="hook-named-later" title="Argo CD names it: the prefix, 7 characters of the commit, the phase and the time it starts">
              {' '}
              named when it runs
            </span>
          )}
        </span>
        <span className="hook-meta muted small" data-testid="hook-meta">
          {metaParts(h).map((part, i) => (
            <span key={i}>
              {i > 0 && ' · '}
              {part}
            </span>
          ))}
        </span>
      </button>
    </li>
  );
}

/** What a reviewer reads on one line: why it is not run, or its wave and delete policies; then whose hook, and where. */
function metaParts(h: PlannedHook): React.ReactNode[] {
  const where = locationLabel(h.source);
  return [
    ...(h.skipped !== undefined ? [<span data-testid="hook-reason">{h.skipped}</span>] : []),
    ...(h.skipped === undefined && h.wave !== 0 ? [`wave ${h.wave}`] : []),
    ...(h.skipped === undefined ? h.deletePolicies.map((p) => <span title={DELETE_POLICY_TEXT[p]}>{p}</span>) : []),
    HOOK_FROM[h.from],
    ...(where ? [where] : []),
  ];
}
