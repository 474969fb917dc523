/**
 * What every view of a change shows of its YAML, computed once for all of them (text, Markdown,
 * HTML): the unified diff of the normalized before and after (3 lines of context), whether a
 * change shows one at all, and a Secret's per-key states. A view of the Change, never a second
 * diff of objects (DESIGN.md rule 2); Secret values are already masked in the Change.
 */
import { structuredPatch } from 'diff';
import { formatFieldPath } from './diff.js';
import { keyedValuePath } from './sealed-secrets.js';
import type { Change, SecretKeyChange } from './types.js';

export interface DiffHunk {
  /** `@@ -oldStart,oldLines +newStart,newLines @@`; absent for a create or delete (the whole object, one side only). */
  readonly header?: string;
  /** Each line with its marker: '+', '-' or ' '. */
  readonly lines: readonly string[];
}

/** Lines of context around each change, as `diff -u` and the text view. */
const CONTEXT = 3;

/** The unified diff of a change's before and after YAML (an absent side is empty). */
export function changeHunks(change: Pick<Change, 'before' | 'after'>): DiffHunk[] {
  const before = change.before ?? '';
  const after = change.after ?? '';
  const whole = before === '' || after === '';
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context: CONTEXT });
  return patch.hunks.map((hunk) => ({
    ...(!whole && { header: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` }),
    // "\ No newline at end of file" is no line of the object.
    lines: hunk.lines.filter((line) => !line.startsWith('\\')),
  }));
}

/** Errors show the server's answer only; a Secret's YAML only when something besides its data changed. */
export function showsDiff(change: Change): boolean {
  if (change.action === 'error') return false;
  if (!change.secretKeys || change.action !== 'update') return true;
  const field = keyedValuePath(change.key.kind).join('.');
  return change.changedPaths.some((p) => p !== field && !p.startsWith(`${field}.`) && !p.startsWith(`${field}[`));
}

/** A Secret's (or SealedSecret's) keys that are not unchanged, as field paths with their state: `data.password` changed. */
export function secretKeyStates(change: Change): Array<{ readonly path: string; readonly state: SecretKeyChange }> {
  if (!change.secretKeys) return [];
  const path = keyedValuePath(change.key.kind);
  return Object.entries(change.secretKeys)
    .filter(([, state]) => state !== 'unchanged')
    .map(([key, state]) => ({ path: formatFieldPath([...path, key]), state }));
}
