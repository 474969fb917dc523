import { describe, expect, it } from 'vitest';
import { folderDialog, type OpenDialogAnswer, type ShowOpenDialog } from './folder-dialog.js';

describe('folderDialog', () => {
  it.each<[string, string | undefined, OpenDialogAnswer, string | null, string | undefined]>([
    ['the folder picked', undefined, { canceled: false, filePaths: ['/src/infra'] }, '/src/infra', undefined],
    ['opened at the folder already typed', '/src/old', { canceled: false, filePaths: ['/src/new'] }, '/src/new', '/src/old'],
    ['cancelled: null (the typed folder stays)', '/src/old', { canceled: true, filePaths: [] }, null, '/src/old'],
  ])('%s', async (_name, start, answer, chosen, defaultPath) => {
    const asked: Array<Parameters<ShowOpenDialog>[0]> = [];
    const choose = folderDialog(async (options) => (asked.push(options), answer));
    expect(await choose(start)).toBe(chosen);
    expect(asked).toEqual([{ title: 'Open a Git repository', buttonLabel: 'Open', properties: ['openDirectory'], ...(defaultPath && { defaultPath }) }]);
  });
});
