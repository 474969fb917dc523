/**
 * The diff editor's chunk (Monaco, ~3 MB of JavaScript to fetch and compile), loaded lazily by
 * ChangeView. preloadDiffView starts loading it without showing it: called when a plan is asked
 * for, so the editor compiles while the engine plans instead of on the main thread just as a large
 * plan's list is drawn (bench/ui-bench.ts).
 */
import type * as DiffViewModuleType from './components/DiffView.js';

type DiffViewModule = typeof DiffViewModuleType;

let loading: Promise<DiffViewModule> | null = null;

/** One import for the page (a failed one is asked again next time). */
export function loadDiffView(): Promise<DiffViewModule> {
  loading ??= import('./components/DiffView.js').catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

export function preloadDiffView(): void {
  void loadDiffView().catch(() => undefined); // a failed load is retried, and reported, by the lazy component
}
