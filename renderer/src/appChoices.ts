/**
 * The app picker's choices for a revision: the apps the repository defines, or, when it defines
 * none, the folders that look like apps (the list `slipway apps` prints), so a repository laid
 * out as several charts and kustomizations is never planned whole by default. Child apps (Argo CD
 * Applications an app renders: app of apps) are listed under their parent, indented.
 */
import type { AppList } from '../../core/api/contract.js';
import { sameSelection, type AppChoiceSelection } from './selection.js';

export interface AppChoice {
  /** A named app, or a folder used as one app. */
  readonly selection: AppChoiceSelection;
  readonly label: string;
  /** The context the app names as its destination (a hint). */
  readonly context?: string;
  /** A child app (app of apps): its parent's name; planning the parent plans it too. */
  readonly parent?: string;
  /** How deep under its parent (absent: an app of the repository's files, or a folder). */
  readonly depth?: number;
}

/** The root's choice when nothing better is known (an engine that sends no folders, a repository without manifests). */
const WHOLE_REPOSITORY: AppChoice = { selection: { path: '' }, label: 'Whole repository (folder)' };

/** How a child app is set off under its parent: a <select>'s options keep no leading spaces, so non-breaking ones. */
const INDENT = '\u00a0\u00a0\u00a0';

export function appChoices(list: AppList): AppChoice[] {
  // Child apps (app of apps) come after their parent, indented under it.
  const childrenOf = (parent: { app?: string; folder?: string }, depth: number): AppChoice[] =>
    list.apps
      .filter((a) => (parent.app !== undefined ? a.parent === parent.app && a.parentFolder === undefined : a.parentFolder === parent.folder))
      .flatMap((a) => [appChoice(a, depth), ...childrenOf({ app: a.name }, depth + 1)]);
  const top = list.apps.filter((a) => a.parent === undefined && a.parentFolder === undefined);
  if (top.length > 0) return top.flatMap((a) => [appChoice(a, 0), ...childrenOf({ app: a.name }, 1)]);
  const folders = list.folders ?? [];
  if (folders.length === 0) return [WHOLE_REPOSITORY];
  // The engine sorts them by path: the root, when it is one app, comes first and stays the default.
  return folders.flatMap((f) => [
    { selection: { path: f.path }, label: f.path === '' ? `Whole repository (${f.sourceType})` : `${f.path} (${f.sourceType} folder)` },
    ...childrenOf({ folder: f.path }, 1),
  ]);
}

function appChoice(a: AppList['apps'][number], depth: number): AppChoice {
  const label = `${a.name}${a.path ? ` — ${a.path}` : ''}`;
  return {
    selection: { app: a.name },
    label: depth > 0 ? `${INDENT.repeat(depth - 1)}└ ${label}` : label,
    ...(a.context && { context: a.context }),
    ...(a.parent !== undefined && { parent: a.parent }),
    ...(depth > 0 && { depth }),
  };
}

/**
 * The choice a revision's app picker starts on, when the user has not made one: the only one, or
 * the one last used in the repository (still offered); never the first of several — with many
 * apps (a repository of test fixtures, 17 charts) a guess plans the wrong one: the user is asked.
 */
export function defaultChoice(choices: readonly AppChoice[], lastUsed: AppChoiceSelection | null): AppChoiceSelection | null {
  if (choices.length === 1) return choices[0]!.selection;
  const last = lastUsed && choices.find((c) => sameSelection(c.selection, lastUsed));
  return last ? last.selection : null;
}
