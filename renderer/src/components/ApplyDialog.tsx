/**
 * Confirms an apply: what will change where. A protected app or context needs its context name
 * typed, and deletes of objects that ask for it (Argo CD's Prune=confirm, Delete=confirm) a ticked
 * confirmation (the engine checks both too). The apply itself runs in the engine; this dialog only starts it.
 */
import { useState } from 'react';
import type { ApplyStarted, Plan } from '../../../core/api/contract.js';
import { confirmWhat, deletesSentence } from '../destroy.js';
import { ACTION_SYMBOL, keyLabel } from '../format.js';
import { errorInfo, useHost } from '../host.js';
import { ErrorMessage } from './Errors.js';
import { CommitLabel } from './CommitLabel.js';
import { Modal } from './Modal.js';
import { SummaryLine } from './SummaryLine.js';

const SHOWN = 12;

export function ApplyDialog(props: { plan: Plan; protectedContext: boolean; what?: string; onClose: () => void; onStarted: (started: ApplyStarted) => void }): React.JSX.Element {
  const host = useHost();
  const { plan } = props;
  const context = plan.inputs.cluster?.context ?? '';
  const protectedWhy = plan.inputs.app.protected ? `The app ${plan.inputs.app.name} is protected.` : props.protectedContext ? `The context ${context} is protected.` : undefined;
  const [typed, setTyped] = useState('');
  const [takeOver, setTakeOver] = useState(false);
  const [deletesConfirmed, setDeletesConfirmed] = useState(false);
  const asking = plan.changes.filter((c) => c.action === 'delete' && c.flags.includes('confirm'));
  const contested = plan.changes.filter((c) => c.flags.includes('other-manager'));
  const adopted = (plan.inputs.applySet.adopts ?? []).filter((a) => a.why === 'confirmed');
  const [state, setState] = useState<{ status: 'idle' | 'starting' } | { status: 'failed'; error: unknown }>({ status: 'idle' });
  const changes = plan.changes.filter((c) => c.action !== 'noop');
  const dangerous = changes.filter((c) => c.flags.includes('dangerous'));
  const deletes = deletesSentence(plan);
  const confirmed = (!protectedWhy || typed.trim() === context) && (asking.length === 0 || deletesConfirmed);

  const start = (): void => {
    if (!confirmed || state.status === 'starting') return;
    setState({ status: 'starting' });
    host.apply({ planId: plan.id, ...(protectedWhy && { confirmContext: typed.trim() }), ...(takeOver && { forceConflicts: true }), ...(asking.length > 0 && deletesConfirmed && { confirmPrune: true }) }).then(props.onStarted, (error: unknown) => setState({ status: 'failed', error }));
  };

  return (
    <Modal title={props.what ? `Apply the ${props.what}` : 'Apply this plan'} onClose={props.onClose} testId="apply-dialog" width={560}>
      <form
        className="modal-body"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <p>
          Apply <b>{plan.inputs.app.name}</b> at <CommitLabel commit={plan.inputs.commit} /> to context{' '}
          <b className={protectedWhy ? 'text-error' : undefined}>{context}</b>
          {plan.inputs.cluster && <span className="muted"> ({plan.inputs.cluster.server})</span>}.
        </p>
        <p className="summary" data-testid="apply-dialog-summary">
          <SummaryLine summary={plan.summary} />
        </p>
        {deletes && (
          <p className="deletes-warning" role="alert" data-testid="apply-dialog-deletes">
            {deletes}
          </p>
        )}
        <ul className="apply-list">
          {changes.slice(0, SHOWN).map((c) => (
            <li key={keyLabel(c.key)}>
              <span className={`badge action-${c.action}`}>{ACTION_SYMBOL[c.action]}</span> {keyLabel(c.key)}
              {c.flags.includes('dangerous') && <span className="pill pill-danger">dangerous</span>}
            </li>
          ))}
          {changes.length > SHOWN && <li className="muted">and {changes.length - SHOWN} more</li>}
        </ul>
        {dangerous.length > 0 && <p className="text-error small">{dangerous.length} change{dangerous.length === 1 ? '' : 's'} destroy data or availability.</p>}
        {adopted.map((a) => (
          <p key={a.parent} className="notice small" data-testid="apply-dialog-adopts">
            This plan takes over the ApplySet <code>{a.parent}</code>: its objects become {plan.inputs.app.name}&apos;s.
          </p>
        ))}
        {contested.length > 0 && (
          <fieldset className="take-over" data-testid="take-over">
            <label className="check">
              <input type="checkbox" data-testid="take-over-toggle" checked={takeOver} onChange={(e) => setTakeOver(e.target.checked)} /> Take over these fields
            </label>
            <ul className="small">
              {contested.map((c) => (
                <li key={keyLabel(c.key)}>
                  <b>{keyLabel(c.key)}</b>: <span className="muted">{c.message}</span>
                </li>
              ))}
            </ul>
            {!takeOver && <p className="text-error small">Without taking them over, {contested.length === 1 ? 'this change fails' : 'these changes fail'} with a conflict.</p>}
          </fieldset>
        )}
        {asking.length > 0 && (
          <fieldset className="take-over" data-testid="confirm-prune">
            <label className="check">
              <input type="checkbox" data-testid="confirm-prune-toggle" checked={deletesConfirmed} onChange={(e) => setDeletesConfirmed(e.target.checked)} /> Delete {asking.length === 1 ? 'this object' : `these ${asking.length} objects`}
            </label>
            <ul className="small">
              {asking.map((c) => (
                <li key={keyLabel(c.key)}>
                  <b>{keyLabel(c.key)}</b>
                </li>
              ))}
            </ul>
            {!deletesConfirmed && <p className="text-error small">{asking.length === 1 ? 'It asks' : 'They ask'} for a confirmation before {asking.length === 1 ? 'it is' : 'they are'} deleted (Argo CD sync option Prune=confirm or Delete=confirm).</p>}
          </fieldset>
        )}
        <p className="muted small">Applies exactly this plan, in order, waiting for health; refused if the cluster changed since it was made.</p>
        {protectedWhy && (
          <label className="confirm-field">
            <span>
              {protectedWhy} Type <b className="mono">{context}</b> {confirmWhat(plan)}:
            </span>
            <input className="input" data-testid="confirm-context" value={typed} autoFocus spellCheck={false} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
          </label>
        )}
        {state.status === 'failed' && <ErrorMessage compact title="The apply did not start" error={errorInfo(state.error)} />}
        <footer className="modal-foot">
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className={`btn ${protectedWhy || deletes ? 'danger' : 'primary'}`} data-testid="confirm-apply" disabled={!confirmed || state.status === 'starting'} autoFocus={!protectedWhy}>
            {state.status === 'starting' ? 'Starting…' : `Apply to ${context}`}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
