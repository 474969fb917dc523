/**
 * App of apps in the plan tab: the child apps of the plan's app (the Argo CD Applications it
 * renders) as a tree, each with its own plan's summary, planned by the engine at the plan's
 * commit and context (planChildren). Each child is applied as its own app: "Pick" selects it in
 * the app picker to review and apply its plan.
 */
import { useEffect, useState } from 'react';
import type { ChildPlanSummary, Plan, PlanChildrenResult } from '../../../core/api/contract.js';
import { useHost } from '../host.js';
import type { Loadable } from '../loadable.js';
import { ErrorMessage } from './Errors.js';

/** Codes of the plan's notes that say its app renders child apps: Argo CD objects, Flux HelmReleases planned as apps (core/plan/child-apps.ts). */
const CHILD_NOTES = new Set(['argocd-child-apps', 'argocd-served', 'flux-child-apps']);

export function hasChildApps(plan: Plan): boolean {
  return plan.diagnostics.some((d) => CHILD_NOTES.has(d.code));
}

/** The children are Argo CD's Applications (else Flux's HelmReleases). */
function rendersArgoCd(plan: Plan): boolean {
  return plan.diagnostics.some((d) => d.code.startsWith('argocd-'));
}

/** "2 to add, 0 to change, 0 to destroy", "no changes", "not planned: …" */
export function childSummaryText(c: ChildPlanSummary): string {
  if (!c.summary) return `not planned: ${c.error ?? 'unknown error'}`;
  const s = c.summary;
  const changes = s.create + s.update + s.delete + s.replace;
  const counts = changes === 0 ? 'no changes' : `${s.create + s.replace} to add, ${s.update} to change, ${s.delete + s.replace} to destroy`;
  const errors = s.error + (c.errors ?? 0);
  return errors > 0 ? `${counts}, ${errors} error${errors === 1 ? '' : 's'}` : counts;
}

export function ChildPlans(props: { plan: Plan; onPick: (app: string) => void }): React.JSX.Element | null {
  const host = useHost();
  const [children, setChildren] = useState<Loadable<PlanChildrenResult>>({ status: 'idle' });
  const shown = hasChildApps(props.plan);
  const planId = props.plan.id;
  useEffect(() => {
    if (!shown) return;
    let live = true;
    setChildren({ status: 'loading' });
    host.planChildren({ planId }).then(
      (value) => live && setChildren({ status: 'ready', value }),
      (error: unknown) => live && setChildren({ status: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [host, planId, shown]);
  if (!shown) return null;
  return (
    <section className="child-plans" data-testid="child-plans" aria-label="Child apps">
      <h3>Child apps of {props.plan.inputs.app.name}</h3>
      {children.status === 'loading' && (
        <div className="planning" role="status" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> Planning the child apps…
        </div>
      )}
      {children.status === 'failed' && <ErrorMessage compact title="The child apps could not be planned" error={children.error} />}
      {children.status === 'ready' && (
        <>
          {children.value.children.length === 0 && <p className="muted">No child app of this repository to plan.</p>}
          <ul role="tree" aria-label={`Child apps of ${props.plan.inputs.app.name}`}>
            {children.value.children.map((c) => (
              <li key={`${c.parent}/${c.app}`} role="treeitem" aria-level={c.depth} aria-selected={false} data-testid="child-plan" data-app={c.app} style={{ paddingLeft: `${(c.depth - 1) * 1.25}rem` }}>
                <span aria-hidden="true">└ </span>
                <b>{c.app}</b> <code>{c.path || '.'}</code> <span className={c.summary ? undefined : 'error-text'}>{childSummaryText(c)}</span>{' '}
                <button type="button" className="link" onClick={() => props.onPick(c.app)} title={`Pick ${c.app} in the app picker, to plan and apply it`}>
                  Pick
                </button>
              </li>
            ))}
          </ul>
          <p className="muted">
            {children.value.argoCdSyncs
              ? 'Argo CD on this cluster syncs these apps from the Application objects of this plan: their plans are a preview.'
              : `This cluster has no ${rendersArgoCd(props.plan) ? 'Argo CD' : 'Flux'}: each child app is applied as its own app (pick it, plan, apply), or all together with slipway apply --app ${props.plan.inputs.app.name}.`}
          </p>
        </>
      )}
    </section>
  );
}
