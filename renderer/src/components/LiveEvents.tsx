/**
 * The Events of the app's objects, newest first as the engine sends them: type (a Warning stands
 * out), reason, the object, message, count and age. "Only <object>" narrows them to the object
 * selected in the tree; "N more" says how many the engine's bound left out.
 */
import { useState } from 'react';
import type { LiveEvent, LiveTreeNode } from '../../../core/api/contract.js';
import { ageOf } from '../age.js';

export function LiveEvents(props: {
  events: readonly LiveEvent[];
  moreEvents: number;
  /** Why (some of) the Events could not be read. */
  problems: readonly string[];
  /** The engine's time now, for ages. */
  now: number;
  selected: LiveTreeNode | null;
}): React.JSX.Element {
  const [onlySelected, setOnlySelected] = useState(false);
  const { selected } = props;
  const narrowed = onlySelected && selected !== null;
  const shown = narrowed ? props.events.filter((e) => (e.object.uid !== undefined && e.object.uid === selected.uid) || (e.object.kind === selected.key.kind && e.object.name === selected.key.name)) : props.events;
  return (
    <div className="live-events" data-testid="live-events">
      <div className="live-panel-bar">
        <span className="muted small">{shown.length === 0 ? 'No events' : `${shown.length} event${shown.length === 1 ? '' : 's'}, newest first`}</span>
        <span className="spacer" />
        {selected && (
          <label className="small live-check">
            <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} data-testid="events-only-selected" /> Only {selected.key.kind} {selected.key.name}
          </label>
        )}
      </div>
      {props.problems.map((p) => (
        <p key={p} className="live-note text-error small" data-testid="events-gap">
          {p}
        </p>
      ))}
      <ol className="live-event-list">
        {shown.map((e) => (
          <li key={e.id} className={`live-event${e.type === 'Warning' ? ' event-warning' : ''}`} data-testid="live-event" data-type={e.type} data-reason={e.reason}>
            <div className="live-event-head">
              <span className={`pill event-type event-${e.type === 'Warning' ? 'warning' : 'normal'}`}>{e.type}</span>
              <b className="live-event-reason">{e.reason}</b>
              <span className="mono small ellipsis">
                {e.object.kind} {e.object.name}
              </span>
              <span className="spacer" />
              {e.count > 1 && <span className="muted small" title={`${e.count} times${e.firstSeen ? `, first ${ageOf(e.firstSeen, props.now)} ago` : ''}`}>×{e.count}</span>}
              <time className="muted small" dateTime={e.lastSeen} title={e.lastSeen}>
                {ageOf(e.lastSeen, props.now)}
              </time>
            </div>
            <div className="live-event-message">{e.message}</div>
          </li>
        ))}
      </ol>
      {props.moreEvents > 0 && !narrowed && (
        <p className="muted small live-more" data-testid="events-more">
          {props.moreEvents.toLocaleString('en-US')} more event{props.moreEvents === 1 ? '' : 's'} not shown (older ones)
        </p>
      )}
    </div>
  );
}
