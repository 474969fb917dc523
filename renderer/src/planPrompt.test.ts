/** The empty plan tab says what is actually missing, or to press Plan. */
import { describe, expect, it } from 'vitest';
import { planPrompt, type ChoiceState } from './planPrompt.js';

const all: ChoiceState = { app: true, folderMode: false, revision: true, context: true, namespaceProblem: null };
const then = ', then press Plan (Ctrl+Enter) to see what would change in the cluster.';

describe('planPrompt', () => {
  it.each<[string, Partial<ChoiceState>, string]>([
    ['everything picked', {}, 'Press Plan (Ctrl+Enter) to see what would change in the cluster.'],
    ['no app', { app: false }, `Pick an app${then}`],
    ['no folder typed', { app: false, folderMode: true }, `Pick a folder of the repository${then}`],
    ['no context', { context: false }, `Pick a context${then}`],
    ['no revision and no context', { revision: false, context: false }, `Pick a revision and a context${then}`],
    ['nothing picked', { app: false, revision: false, context: false }, `Pick an app, a revision and a context${then}`],
    ['a namespace that is no name', { namespaceProblem: 'is not a namespace name' }, `The namespace typed is not a namespace name: fix it${then}`],
  ])('%s', (_what, state, expected) => {
    expect(planPrompt({ ...all, ...state }, 'Ctrl+Enter')).toBe(expected);
  });
});
