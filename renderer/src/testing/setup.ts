/**
 * Vitest setup of the `renderer` project (jsdom): what a browser has and jsdom lacks, a clean DOM
 * after every test, and Monaco left out. Monaco does not run in jsdom; its diff editor is proven
 * in Chromium by the e2e tests, so here DiffView and YamlView are stand-ins that show their text.
 */
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll, vi } from 'vitest';
import { loadWorkspaceViews } from '../workspaceViews.js';

vi.mock('../components/DiffView.js', async () => ({ default: (await import('./FakeDiffView.js')).FakeDiffView }));
vi.mock('../components/YamlView.js', async () => ({ default: (await import('./FakeYamlView.js')).FakeYamlView }));

afterEach(cleanup);

// The views of an open repository are a lazy chunk, preloaded when a repository opens; in a page it
// is there by the time the repository's revisions are listed, which with the in-memory host take no
// time at all. Loaded up front, a test sees the Workspace as a page does.
beforeAll(async () => {
  await loadWorkspaceViews();
});

// jsdom has no layout: give elements a viewport-sized box so the virtualized tree renders rows.
for (const [prop, size] of [
  ['offsetHeight', 600],
  ['offsetWidth', 400],
  ['clientHeight', 600],
  ['clientWidth', 400],
] as const) {
  Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => size });
}
HTMLElement.prototype.getBoundingClientRect = function () {
  return { x: 0, y: 0, top: 0, left: 0, bottom: 600, right: 400, width: 400, height: 600, toJSON: () => ({}) } as DOMRect;
};
Element.prototype.scrollIntoView ??= function () {};
Element.prototype.scrollTo ??= function () {} as typeof Element.prototype.scrollTo;
