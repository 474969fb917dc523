/**
 * Stands in for the Monaco diff in component tests: both sides of the change as plain text, and
 * whether Monaco would show a diff or one pane (data-pane). A change whose `after` is
 * "crash-the-diff-view" makes it throw, to test the error boundary around it.
 */
import type { Change } from '../../../core/api/contract.js';
import { diffPane } from '../diffPane.js';

export function FakeDiffView(props: { change: Change }): React.JSX.Element {
  if (props.change.after === 'crash-the-diff-view') throw new Error('FakeDiffView crashed on purpose');
  return (
    <div data-testid="diff-view" data-pane={diffPane(props.change).kind}>
      <pre data-testid="diff-before">{props.change.before ?? ''}</pre>
      <pre data-testid="diff-after">{props.change.after ?? ''}</pre>
    </div>
  );
}
