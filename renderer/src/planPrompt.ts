/**
 * What the empty plan tab asks for: the choices still missing, or, when nothing is, to press Plan.
 * Pure, table-tested.
 */

export interface ChoiceState {
  /** An app (or a valid typed folder) is chosen. */
  readonly app: boolean;
  /** "Another folder…" is on: the app is a folder to type. */
  readonly folderMode: boolean;
  readonly revision: boolean;
  readonly context: boolean;
  /** Why the typed namespace cannot be planned, or null. */
  readonly namespaceProblem: string | null;
}

const list = (items: readonly string[]): string => (items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`);

export function planPrompt(s: ChoiceState, shortcut: string): string {
  const press = `press Plan (${shortcut}) to see what would change in the cluster.`;
  const missing = [...(s.app ? [] : [s.folderMode ? 'a folder of the repository' : 'an app']), ...(s.revision ? [] : ['a revision']), ...(s.context ? [] : ['a context'])];
  if (missing.length > 0) return `Pick ${list(missing)}, then ${press}`;
  if (s.namespaceProblem) return `The namespace typed ${s.namespaceProblem}: fix it, then ${press}`;
  return `${press.charAt(0).toUpperCase()}${press.slice(1)}`;
}
