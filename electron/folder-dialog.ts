/**
 * The desktop app's folder picker for the engine's chooseFolder command: Electron's native
 * dialog, opened at the folder already typed (if any), over the window. Kept free of Electron's
 * module so it is unit-tested; main.ts passes dialog.showOpenDialog in.
 */

/** The part of Electron's dialog.showOpenDialog answer used here. */
export interface OpenDialogAnswer {
  readonly canceled: boolean;
  readonly filePaths: readonly string[];
}

export type ShowOpenDialog = (options: { title: string; buttonLabel: string; properties: Array<'openDirectory' | 'showHiddenFiles'>; defaultPath?: string }) => Promise<OpenDialogAnswer>;

/** Resolves to the folder picked, or null when the dialog was cancelled. */
export function folderDialog(show: ShowOpenDialog): (start: string | undefined) => Promise<string | null> {
  return async (start) => {
    const answer = await show({ title: 'Open a Git repository', buttonLabel: 'Open', properties: ['openDirectory'], ...(start && { defaultPath: start }) });
    return answer.canceled ? null : (answer.filePaths[0] ?? null);
  };
}
