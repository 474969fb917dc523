/** "3 to add · 2 to change · 1 to destroy" in Terraform's words, the destroy count in red when there is one. */
import type { PlanSummary } from '../../../core/api/contract.js';

export function SummaryLine(props: { summary: PlanSummary }): React.JSX.Element {
  const s = props.summary;
  const destroys = s.delete + s.replace;
  return (
    <>
      {s.create + s.replace} to add · {s.update} to change ·{' '}
      <span className={destroys > 0 ? 'destroy-count' : undefined} data-testid="destroy-count">
        {destroys} to destroy
      </span>
    </>
  );
}
