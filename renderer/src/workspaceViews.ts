/**
 * The Workspace's views behind an open repository (components/WorkspaceViews.ts), loaded lazily:
 * the first screen (the start bar, or the Workspace's top bar while a repository opens) comes from a
 * smaller first chunk, and preloadWorkspaceViews starts the import as soon as there is a repository
 * (asked for at start, or opened), so the views are there by the time its revisions are listed.
 */
import { lazy } from 'react';
import type * as ViewsModule from './components/WorkspaceViews.js';

type Views = typeof ViewsModule;

let loading: Promise<Views> | null = null;
let loaded: Views | null = null;

/** One import for the page (a failed one is asked again next time). */
export function loadWorkspaceViews(): Promise<Views> {
  loading ??= import('./components/WorkspaceViews.js').then(
    (views) => (loaded = views),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

export function preloadWorkspaceViews(): void {
  void loadWorkspaceViews().catch(() => undefined); // a failed load is retried, and reported, by the lazy component
}

/**
 * A thenable that calls back at once. React.lazy reads a module its loader hands over this way in
 * the same render, so a view whose chunk is already loaded (preloaded when the repository opened)
 * shows without a fallback frame; a promise would call back a microtask later, after React suspended.
 */
function now<T>(value: T): Promise<T> {
  const thenable = { then: (ok: (v: T) => unknown) => (ok(value), thenable) };
  return thenable as unknown as Promise<T>;
}

function view<K extends keyof Views>(name: K) {
  return lazy(() => (loaded ? now({ default: loaded[name] }) : loadWorkspaceViews().then((views) => ({ default: views[name] }))));
}

export const PlanArea = view('PlanArea');
export const HistoryView = view('HistoryView');
export const LiveView = view('LiveView');
export const ApplyProgressView = view('ApplyProgressView');
export const ApplyDialog = view('ApplyDialog');
