/**
 * The app picker's choices for a revision: the apps the repository defines, or, when it defines
 * none, the folders that look like apps (the list `slipway apps` prints), so a repository laid
 * out as several charts and kustomizations is never planned whole by default.
 */
import type { AppList } from '../../core/api/contract.js';
import type { AppChoiceSelection } from './selection.js';

export interface AppChoice {
  /** A named app, or a folder used as one app. */
  readonly selection: AppChoiceSelection;
  readonly label: string;
  /** The context the app names as its destination (a hint). */
  readonly context?: string;
}

/** The root's choice when nothing better is known (an engine that sends no folders, a repository without manifests). */
const WHOLE_REPOSITORY: AppChoice = { selection: { path: '' }, label: 'Whole repository (folder)' };

export function appChoices(list: AppList): AppChoice[] {
  if (list.apps.length > 0) return list.apps.map((a) => ({ selection: { app: a.name }, label: `${a.name}${a.path ? ` — ${a.path}` : ''}`, ...(a.context && { context: a.context }) }));
  const folders = list.folders ?? [];
  if (folders.length === 0) return [WHOLE_REPOSITORY];
  // The engine sorts them by path: the root, when it is one app, comes first and stays the default.
  return folders.map((f) => ({ selection: { path: f.path }, label: f.path === '' ? `Whole repository (${f.sourceType})` : `${f.path} (${f.sourceType} folder)` }));
}
