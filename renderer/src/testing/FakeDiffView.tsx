/**
 * Stands in for the Monaco diff in component tests: both sides of the change as plain text. A
 * change whose `after` is "crash-the-diff-view" makes it throw, to test the error boundary around it.
 */
import type { Change } from '../../../core/api/contract.js';

export function FakeDiffView(props: { change: Change }): React.JSX.Element {
  if (props.change.after === 'crash-the-diff-view') throw new Error('FakeDiffView crashed on purpose');
  return (
    <div data-testid="diff-view">
      <pre data-testid="diff-before">{props.change.before ?? ''}</pre>
      <pre data-testid="diff-after">{props.change.after ?? ''}</pre>
    </div>
  );
}
