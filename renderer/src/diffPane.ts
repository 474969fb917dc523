/**
 * How a change is shown: a diff of its two sides, or one pane when one side is all there is (a
 * create has no live object, a delete no object after apply, a no-op two equal sides). An empty
 * half of the screen says nothing; the object's own YAML does.
 */
import type { Action, Change } from '../../core/api/contract.js';

export type Side = 'before' | 'after';

export type DiffPane =
  | { readonly kind: 'diff'; readonly labels: readonly [before: string, after: string] }
  | { readonly kind: 'single'; readonly side: Side; readonly label: string; readonly bothSides: boolean };

interface PaneRule {
  /** One side shown alone, or both diffed. */
  readonly single?: Side;
  readonly labels: readonly [before: string, after: string];
}

const RULES: Readonly<Record<Action, PaneRule>> = {
  create: { single: 'after', labels: ['Live: does not exist', 'Created by apply (server dry-run)'] },
  update: { labels: ['Live', 'After apply (server dry-run)'] },
  replace: { labels: ['Live (will be deleted)', 'After apply: recreated'] },
  delete: { single: 'before', labels: ['Live: deleted by apply', 'After apply: deleted'] },
  noop: { single: 'after', labels: ['Live', 'Unchanged: live and after apply are the same'] },
  error: { labels: ['Live', 'Desired (could not be dry-run)'] },
};

const LABEL_INDEX: Readonly<Record<Side, 0 | 1>> = { before: 0, after: 1 };

export function diffPane(change: Pick<Change, 'action' | 'before' | 'after'>): DiffPane {
  const rule = RULES[change.action];
  const has = { before: change.before !== undefined, after: change.after !== undefined };
  // A side the engine did not send cannot be diffed (an error's missing live object): the other alone.
  const single = rule.single ?? (has.before && has.after ? undefined : has.after ? 'after' : 'before');
  if (!single) return { kind: 'diff', labels: rule.labels };
  return { kind: 'single', side: single, label: rule.labels[LABEL_INDEX[single]], bothSides: change.action === 'noop' };
}
