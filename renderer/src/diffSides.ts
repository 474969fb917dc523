/**
 * The header over the "after apply" side of a change: the server's dry-run answer, except for an
 * approximate change (no permission to dry-run), which was compared client-side: its header says
 * so rather than claim a dry-run. Applied to whatever labels the diff pane chose. Pure, table-tested.
 */
import type { Change } from '../../core/api/contract.js';

const DRY_RUN = ' (server dry-run)';
const CLIENT_SIDE = 'client-side comparison (no permission to dry-run)';

/** The after side's label as it is true for `change`. */
export function afterLabel(change: Pick<Change, 'flags'>, label: string): string {
  if (!change.flags.includes('approximate')) return label;
  return label.includes(DRY_RUN) ? label.replace(DRY_RUN, `: ${CLIENT_SIDE}`) : `${label} — ${CLIENT_SIDE}`;
}

/** Both labels: the live side as it is, the after side made true. */
export function diffSides(change: Pick<Change, 'flags'>, labels: readonly [before: string, after: string]): readonly [string, string] {
  return [labels[0], afterLabel(change, labels[1])];
}
