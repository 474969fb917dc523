/**
 * The plan's findings in the sidebar, before its hooks and resources: risks, then rollout impact
 * (which Pods restart, or do not, and why), one plain sentence each with its severity, most
 * severe first. Clicking one opens the object it is about.
 */
import type { Change } from '../../../core/api/contract.js';
import { changeId, keyLabel } from '../format.js';
import { FINDING_SECTIONS, objectId, SEVERITY_EXPLAIN, severityCounts, type Finding } from '../findings.js';

export function PlanFindings(props: { findings: readonly Finding[]; changes: readonly Change[]; selectedId: string | null; onOpen: (c: Change) => void }): React.JSX.Element | null {
  const { findings } = props;
  if (findings.length === 0) return null;
  const byObject = new Map(props.changes.map((c) => [objectId(c.key), c]));
  return (
    <details className="plan-findings" open data-testid="plan-findings">
      <summary data-testid="plan-findings-summary">
        Impact and risks <span className="muted">· {severityCounts(findings)}</span>
      </summary>
      <div className="plan-findings-body">
        {FINDING_SECTIONS.map(({ kind, title, explain }) => {
          const mine = findings.filter((f) => f.kind === kind);
          if (mine.length === 0) return null;
          return (
            <section key={kind} className="finding-section" data-testid="finding-section" data-kind={kind} aria-label={title}>
              <h4 title={explain}>{title}</h4>
              <ul>
                {mine.map((f, i) => {
                  const change = byObject.get(objectId(f.subject));
                  return <FindingItem key={i} finding={f} change={change} selected={change !== undefined && changeId(change) === props.selectedId} onOpen={props.onOpen} />;
                })}
              </ul>
            </section>
          );
        })}
      </div>
    </details>
  );
}

function FindingItem(props: { finding: Finding; change: Change | undefined; selected: boolean; onOpen: (c: Change) => void }): React.JSX.Element {
  const { finding: f, change } = props;
  const body = (
    <>
      <SeverityBadge severity={f.severity} />
      <span className="finding-message" data-testid="finding-message">
        {f.message}
      </span>
    </>
  );
  return (
    <li>
      {change ? (
        <button
          type="button"
          className={`finding-item severity-${f.severity}${props.selected ? ' selected' : ''}`}
          data-testid="plan-finding"
          data-rule={f.rule}
          data-severity={f.severity}
          data-subject={keyLabel(f.subject)}
          aria-pressed={props.selected}
          title={`Open ${keyLabel(f.subject)} (rule ${f.rule})`}
          onClick={() => props.onOpen(change)}
        >
          {body}
        </button>
      ) : (
        <div className={`finding-item severity-${f.severity}`} data-testid="plan-finding" data-rule={f.rule} data-severity={f.severity} data-subject={keyLabel(f.subject)} title={`rule ${f.rule}`}>
          {body}
        </div>
      )}
    </li>
  );
}

export function SeverityBadge(props: { severity: Finding['severity'] }): React.JSX.Element {
  return (
    <span className={`severity-badge severity-${props.severity}`} title={`${props.severity}: ${SEVERITY_EXPLAIN[props.severity]}`}>
      {props.severity}
    </span>
  );
}
