/**
 * What a plan destroys, said where the user decides: the Apply button turns into a danger button
 * naming the count, and the confirmation names the objects. A replace destroys one too, as the
 * summary's "to destroy" counts it. Pure, table-tested.
 */
import type { Change, Plan } from '../../core/api/contract.js';
import { keyLabel } from './format.js';

/** Objects named in the sentence before "and N more". */
const NAMED = 8;

export function destroyedChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.action === 'delete' || c.action === 'replace');
}

const objects = (n: number): string => `${n} object${n === 1 ? '' : 's'}`;

/** The Apply button: "Apply…", or a danger button "Apply (destroys 3)". */
export function applyButton(plan: Plan | undefined): { readonly label: string; readonly danger: boolean } {
  const n = plan ? plan.summary.delete + plan.summary.replace : 0;
  return n > 0 ? { label: `Apply (destroys ${n})`, danger: true } : { label: 'Apply…', danger: false };
}

/** "This plan deletes 3 objects: Secret shop/a, ConfigMap shop/b (replaced) and Job shop/c.", or null when it deletes nothing. */
export function deletesSentence(plan: Plan): string | null {
  const gone = destroyedChanges(plan);
  if (gone.length === 0) return null;
  const names = gone.map((c) => `${keyLabel(c.key)}${c.action === 'replace' ? ' (replaced)' : ''}`);
  const shown = names.length > NAMED ? [...names.slice(0, NAMED), `${names.length - NAMED} more`] : names;
  const list = shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]!}`;
  return `This plan deletes ${objects(gone.length)}: ${list}.`;
}

/** What typing the context name does: "to apply", or "to delete 3 objects". */
export function confirmWhat(plan: Plan): string {
  const n = destroyedChanges(plan).length;
  return n > 0 ? `to delete ${objects(n)}` : 'to apply';
}
