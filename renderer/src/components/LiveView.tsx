/**
 * The Live tab (Argo CD's resource tree, Lens' logs): the app on the context as it is now, kept
 * current by the engine's watches while the tab is open (useLiveTree; leaving the tab or choosing
 * another app or context stops it). Above the tree: the app's health and counts, "reconnecting…"
 * while a watch has lost the API server, the parts it may not watch or read. Beside it: the app's
 * Events, and the logs of a Pod chosen in the tree. An app never applied to the context says so.
 */
import { useEffect, useMemo, useState } from 'react';
import type { LiveTreeNode } from '../../../core/api/contract.js';
import { engineNow } from '../age.js';
import { keyLabel } from '../format.js';
import { errorInfo, useHost } from '../host.js';
import { countsText, gapTexts, watchLabel, watchSummary } from '../liveStatus.js';
import { targetName, type LiveTarget } from '../liveTarget.js';
import { nodesById } from '../liveTreeRows.js';
import { useLiveTree } from '../workspace/useLiveTree.js';
import { ErrorMessage } from './Errors.js';
import { LiveEvents } from './LiveEvents.js';
import { HealthPill, LiveTree } from './LiveTree.js';
import { PodLogs } from './PodLogs.js';

type Side = 'events' | 'logs';
/** Ages move on while nothing changes. */
const TICK_MS = 5000;

interface LogPod {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
}

export function LiveView(props: {
  /** The app and context to watch; null while the choice is incomplete. */
  target: LiveTarget | null;
  /** Back to the Plan tab (an app never applied here: plan it first). */
  onPlan: () => void;
}): React.JSX.Element {
  const host = useHost();
  const live = useLiveTree(host, props.target);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [side, setSide] = useState<Side>('events');
  const [logPod, setLogPod] = useState<LogPod | null>(null);
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setTick(Date.now()), TICK_MS);
    return () => clearInterval(t);
  }, []);
  // Another app or context: nothing of the last one stays selected.
  const targetKey = props.target ? JSON.stringify(props.target) : '';
  useEffect(() => {
    setSelectedId(null);
    setLogPod(null);
    setSide('events');
  }, [targetKey]);

  const tree = live.status === 'live' ? live.tree : null;
  const nodes = useMemo(() => nodesById(tree?.roots ?? []), [tree]);

  if (!props.target) return <div className="empty">Pick an app and a context to see the app live on its cluster.</div>;
  const name = targetName(props.target);
  if (live.status === 'failed') {
    return (
      <div className="live" data-testid="live-view" data-status="failed">
        <div className="live-notes">
          <ErrorMessage title={`Cannot watch ${name} on ${props.target.context}`} error={errorInfo(live.error)} onRetry={live.restart} />
        </div>
      </div>
    );
  }
  if (!tree || live.status !== 'live') {
    return (
      <div className="live" data-testid="live-view" data-status="loading">
        <div className="loading">
          Reading {name} on {props.target.context}…
        </div>
      </div>
    );
  }

  const now = engineNow(tree.readAt, live.receivedAt, Math.max(tick, live.receivedAt));
  const watches = watchSummary(live.watches);
  const gaps = gapTexts(tree.gaps);
  const selected = selectedId ? (nodes.get(selectedId) ?? null) : null;
  const logNode = logPod ? nodes.get(logPod.id) : undefined;
  const select = (n: LiveTreeNode): void => {
    setSelectedId(n.id);
    if (n.key.kind === 'Pod' && n.key.group === '' && n.key.namespace) {
      setLogPod({ id: n.id, namespace: n.key.namespace, name: n.key.name });
      setSide('logs');
    } else setSide('events');
  };
  const notApplied = !tree.applySet.found;

  return (
    <div className="live" data-testid="live-view" data-status={live.ended ? 'ended' : watches.reconnecting.length > 0 ? 'reconnecting' : watches.synced ? 'synced' : 'connecting'} data-health={tree.health}>
      <header className="live-head">
        <h2 className="live-title">
          <b>{tree.app.name}</b> on {tree.context} <span className="muted small">namespace {tree.app.namespace}</span>
        </h2>
        <HealthPill health={tree.health} />
        <span className="muted small" data-testid="live-counts">
          {countsText(tree.counts)}
        </span>
        <span className="spacer" />
        <span className="muted small live-watching" data-testid="live-watching" title={live.watches.map((w) => `${watchLabel(w.key)}: ${w.phase}${w.reason ? ` (${w.reason})` : ''}`).join('\n')}>
          {live.ended ? 'stopped' : watches.reconnecting.length > 0 ? 'reconnecting…' : watches.synced ? '● live' : 'connecting…'}
        </span>
      </header>
      <div className="live-notes">
        {watches.reconnecting.length > 0 && (
          <div className="live-banner banner-reconnecting" role="status" data-testid="live-reconnecting">
            Reconnecting to the cluster… {watches.reconnecting.map((w) => watchLabel(w.key)).join(', ')}
            {watches.reconnecting[0]?.reason && <span className="muted"> — {watches.reconnecting[0].reason}</span>}. The tree shows what was last seen.
          </div>
        )}
        {live.ended && (
          <div className="live-banner" role="status" data-testid="live-ended">
            This live view was stopped by the engine (too many open at once): the tree is no longer kept current.{' '}
            <button type="button" className="btn small" onClick={live.restart}>
              Watch again
            </button>
          </div>
        )}
        {notApplied && (
          <div className="live-banner banner-info" data-testid="live-not-applied">
            <b>{tree.app.name}</b> has never been applied to <b>{tree.context}</b>: there is no ApplySet parent <code>{tree.applySet.parent}</code> on its cluster (or the app was applied to another namespace: set the namespace as for its
            plan). Plan it and apply it; then its objects show here, live.{' '}
            <button type="button" className="btn small" onClick={props.onPlan} data-testid="live-go-plan">
              Go to Plan
            </button>
          </div>
        )}
        {watches.forbidden.map((w) => (
          <p key={w.key} className="live-note small text-error" data-testid="live-forbidden">
            Not kept current, no permission to watch {watchLabel(w.key)}
            {w.reason ? `: ${w.reason}` : ''}
          </p>
        ))}
        {gaps.members.map((g) => (
          <p key={g} className="live-note small text-error" data-testid="live-gap">
            {g}
          </p>
        ))}
      </div>
      {!(notApplied && tree.roots.length === 0) && (
        <div className="live-body">
          <section className="live-tree-pane">
            <LiveTree roots={tree.roots} gaps={tree.gaps} now={now} selectedId={selectedId} onSelect={select} />
          </section>
          <aside className="live-side">
            <nav className="tabs live-tabs" aria-label="Events and logs">
              <button type="button" role="tab" aria-selected={side === 'events'} className={side === 'events' ? 'on' : ''} data-testid="live-tab-events" onClick={() => setSide('events')}>
                Events ({tree.events.length + tree.moreEvents})
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={side === 'logs'}
                className={side === 'logs' ? 'on' : ''}
                disabled={!logPod}
                title={logPod ? `The logs of Pod ${logPod.name}` : 'Choose a Pod in the tree to read its logs'}
                data-testid="live-tab-logs"
                onClick={() => setSide('logs')}
              >
                Logs{logPod ? `: ${logPod.name}` : ''}
              </button>
            </nav>
            {selected && <SelectedNode node={selected} />}
            {/* Both stay mounted: back from the Events, the log is where it was. */}
            <div className="live-side-panel" hidden={side !== 'events' && logPod !== null}>
              <LiveEvents events={tree.events} moreEvents={tree.moreEvents} problems={gaps.events} now={now} selected={selected} />
            </div>
            {logPod && (
              <div className="live-side-panel" hidden={side !== 'logs'}>
                <PodLogs key={logPod.id} context={tree.context} namespace={logPod.namespace} pod={logPod.name} podGone={!logNode || logNode.gone === true || logNode.deleting === true} />
              </div>
            )}
          </aside>
        </div>
      )}
    </div>
  );
}

/** The object chosen in the tree, its message and reason in full (a row cuts them short). */
function SelectedNode(props: { node: LiveTreeNode }): React.JSX.Element {
  const n = props.node;
  return (
    <div className="live-selected" data-testid="live-selected" data-key={keyLabel(n.key)}>
      <div className="live-selected-head">
        <span className="live-kind">{n.key.kind}</span> <b className="mono">{n.key.name}</b>
        <HealthPill health={n.health} />
        {n.phase && <span className="pill">{n.phase}</span>}
      </div>
      {n.message && <div className="small">{n.message}</div>}
      {n.reason && <div className={`small${n.health === 'degraded' ? ' text-error' : ''}`}>{n.reason}</div>}
    </div>
  );
}
