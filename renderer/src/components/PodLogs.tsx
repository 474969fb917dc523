/**
 * The Logs panel of one Pod of the live tree (Lens' logs): a container picker (init containers
 * too), Follow (on: reads on as the container writes and keeps the newest line in view; off: stops
 * reading, the lines stay), Previous (the container's run before its restart), a search that
 * narrows the lines and marks the words found. The lines are the view's bounded buffer
 * (usePodLogs), virtualized; where the engine left lines out a marker says how many. When the Pod
 * is gone or the log ended with a failure, it says so.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useHost } from '../host.js';
import { filterLog, isLine, markMatches, MAX_LOG_LINES } from '../logBuffer.js';
import { usePodLogs, type PodLogs as Logs } from '../workspace/usePodLogs.js';
import { ErrorMessage } from './Errors.js';

const LINE_HEIGHT = 18;
const n = (v: number): string => v.toLocaleString('en-US');

/** Why there is no log: the engine's codes for a log that cannot be read, in the panel's words. */
const START_PROBLEM: Readonly<Record<string, string>> = {
  'pod-not-found': 'The Pod is gone: there is no log to read',
  'unknown-container': 'The Pod has no such container',
  'container-not-started': 'The container has not started yet',
  'no-previous-container': 'The container has no previous run',
};

function endText(logs: Logs, pod: string, follow: boolean, previous: boolean): string | null {
  switch (logs.end?.reason) {
    case 'complete':
      return previous ? "End of the previous run's log." : follow ? 'The container stopped: its log ends here.' : 'End of the log. Turn on Follow to read on as it writes.';
    case 'pod-deleted':
      return `The Pod ${pod} was deleted: its log ends here.`;
    case 'stopped':
      return 'Not following: the log stops here. Turn on Follow to read on.';
    default:
      return null;
  }
}

export function PodLogs(props: {
  context: string;
  namespace: string;
  pod: string;
  /** The live tree no longer has the Pod, or it is being deleted. */
  podGone: boolean;
}): React.JSX.Element {
  const host = useHost();
  const [container, setContainer] = useState<string | undefined>(undefined);
  const [follow, setFollow] = useState(true);
  const [previous, setPrevious] = useState(false);
  const [query, setQuery] = useState('');
  // Long lines wrap by default (a narrow panel would hide what a JSON line says); each row is then measured.
  const [wrap, setWrap] = useState(true);
  const logs = usePodLogs(host, { context: props.context, namespace: props.namespace, pod: props.pod, ...(container !== undefined && { container }), previous, follow });
  const { buffer, started } = logs;
  const shown = useMemo(() => filterLog(buffer.items, query), [buffer.items, query]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => LINE_HEIGHT, overscan: 20, getItemKey: (i) => shown[i]?.n ?? i });
  // Rows measured again when wrapping is switched (their heights change).
  useEffect(() => virtualizer.measure(), [wrap, virtualizer]);
  // The newest line stays in view while following, unless the reader scrolled up.
  const stick = useRef(true);
  useEffect(() => {
    if (follow && stick.current && shown.length > 0) virtualizer.scrollToIndex(shown.length - 1, { align: 'end' });
  }, [shown, follow, virtualizer]);

  const toggleFollow = (on: boolean): void => {
    setFollow(on);
    stick.current = on;
    // Off: reading stops, the lines stay. On: the log is read again from its tail, following.
    if (!on) logs.stop();
    else logs.restart();
  };
  const ended = endText(logs, props.pod, follow, previous);
  const containers = started ? [...started.containers, ...started.initContainers] : [];

  return (
    <div className="pod-logs" data-testid="pod-logs" data-status={logs.status} data-pod={props.pod}>
      <div className="live-panel-bar logs-bar">
        <select
          className="select small"
          aria-label="Container"
          data-testid="logs-container"
          value={container ?? started?.container ?? ''}
          disabled={containers.length === 0}
          onChange={(e) => setContainer(e.target.value)}
        >
          {containers.length === 0 && <option value="">{container ?? 'default container'}</option>}
          {containers.map((c) => (
            <option key={c} value={c}>
              {started?.initContainers.includes(c) ? `init: ${c}` : c}
            </option>
          ))}
        </select>
        <label className="small live-check" title="Read on as the container writes, the newest line in view">
          <input type="checkbox" checked={follow && !previous} disabled={previous} onChange={(e) => toggleFollow(e.target.checked)} data-testid="logs-follow" /> Follow
        </label>
        <label className="small live-check" title="Wrap long lines instead of scrolling sideways">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} data-testid="logs-wrap" /> Wrap
        </label>
        <label className="small live-check" title="The container's run before its last restart">
          <input type="checkbox" checked={previous} onChange={(e) => setPrevious(e.target.checked)} data-testid="logs-previous" /> Previous
        </label>
        <input type="search" className="input small grow" placeholder="Search the lines" aria-label="Search the log" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="logs-search" />
      </div>
      <p className="muted small live-logs-count" data-testid="logs-count">
        {query.trim() ? `${n(shown.length)} of ${n(buffer.lines)} lines match` : `${n(buffer.lines)} line${buffer.lines === 1 ? '' : 's'}`}
        {buffer.skipped > 0 && ` · ${n(buffer.skipped)} skipped by the engine`}
        {buffer.trimmed > 0 && ` · ${n(buffer.trimmed)} older not kept (the view keeps the last ${n(MAX_LOG_LINES)})`}
        {started?.defaulted && container === undefined && ` · ${started.container}, the Pod's default container`}
      </p>
      {props.podGone && logs.status !== 'failed' && (
        <p className="live-note small" data-testid="logs-pod-gone">
          The Pod {props.pod} is gone from the cluster.
        </p>
      )}
      {logs.status === 'failed' && <ErrorMessage compact title={START_PROBLEM[(logs.error as { code?: string } | undefined)?.code ?? ''] ?? 'Cannot read the log'} error={logs.error} />}
      {logs.end?.reason === 'failed' && <ErrorMessage compact title="The log ended with a failure" error={logs.end.error ?? { code: 'log-failed', message: 'the log stream broke off' }} />}
      <div
        className={`log-lines${wrap ? ' wrap' : ''}`}
        ref={scroller}
        data-testid="log-lines"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 2 * LINE_HEIGHT;
        }}
      >
        {logs.status === 'starting' && <p className="muted small live-note">Reading the log of {props.pod}…</p>}
        {logs.status !== 'starting' && shown.length === 0 && !ended && logs.status !== 'failed' && <p className="muted small live-note">{query.trim() ? 'No line matches the search.' : 'No lines yet.'}</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = shown[v.index]!;
            const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, minHeight: LINE_HEIGHT, transform: `translateY(${v.start}px)` };
            if (!isLine(item)) {
              return (
                <div key={item.n} ref={virtualizer.measureElement} data-index={v.index} className="log-line log-skipped" style={style} data-testid="log-skipped">
                  … {n(item.skipped)} line{item.skipped === 1 ? '' : 's'} skipped …
                </div>
              );
            }
            return (
              <div key={item.n} ref={virtualizer.measureElement} data-index={v.index} className="log-line" style={style} data-testid="log-line">
                {markMatches(item.text, query).map(([part, hit], i) => (hit ? <mark key={i}>{part}</mark> : part))}
              </div>
            );
          })}
        </div>
      </div>
      {ended && (
        <p className="muted small live-logs-end" data-testid="logs-ended" data-reason={logs.end?.reason}>
          {ended}
        </p>
      )}
    </div>
  );
}
