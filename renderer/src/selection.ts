/**
 * The app a plan is asked for, in the shape the plan request names it (core/api/contract.ts
 * planRequestSchema, `app` or `path`): a named app, or a repository folder used as one app ("" is
 * the root). The renderer holds this value everywhere; only the app picker's `<select>` needs a
 * string, and selectionValue / selectionFromValue below are the one place that writes and reads it.
 */

/** A named app (slipway.yaml, or an imported Argo CD / Flux app), or a folder of the repository planned as one app. */
export type AppChoiceSelection = { readonly app: string; readonly path?: never } | { readonly path: string; readonly app?: never };

/** The `<select>` value of "Another folder…", which reveals a field for any folder; never a selection. */
export const ANOTHER_FOLDER_VALUE = 'folder:';

const APP_PREFIX = 'app:';
const PATH_PREFIX = 'path:';

/** The app picker's option value for a selection: "app:<name>" or "path:<folder>". */
export function selectionValue(selection: AppChoiceSelection): string {
  return selection.app !== undefined ? `${APP_PREFIX}${selection.app}` : `${PATH_PREFIX}${selection.path}`;
}

/** The selection an option value stands for, or null for any other value ("Another folder…", the empty placeholder). Only the prefix is read: names and paths may hold ":". */
export function selectionFromValue(value: string): AppChoiceSelection | null {
  if (value.startsWith(APP_PREFIX)) return { app: value.slice(APP_PREFIX.length) };
  if (value.startsWith(PATH_PREFIX)) return { path: value.slice(PATH_PREFIX.length) };
  return null;
}

/** Whether two selections pick the same app (both absent counts as the same). */
export function sameSelection(a: AppChoiceSelection | null, b: AppChoiceSelection | null): boolean {
  if (a === null || b === null) return a === b;
  return a.app !== undefined ? a.app === b.app : b.app === undefined && a.path === b.path;
}

/** The app's name when the selection names one, else null (a folder, or nothing chosen). */
export const selectedAppName = (selection: AppChoiceSelection | null): string | null => selection?.app ?? null;

/** What the selection names: the app's name, or the folder ("" for the repository root). */
export const selectionName = (selection: AppChoiceSelection): string => selection.app ?? selection.path;

/** The folder when the selection is one ("" is the repository root), else null (a named app, or nothing chosen). */
export const selectedFolder = (selection: AppChoiceSelection | null): string | null => selection?.path ?? null;
