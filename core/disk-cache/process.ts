/**
 * The process's disk cache, if its front door chose one: the CLI and the engine servers put it in
 * the user's cache folder; tests and library callers that set none get none, so nothing they do
 * reads or writes the user's files. Like the parse pool's start, a process-wide switch: the
 * parse, tree-listing and discovery caches all look here, wherever they are called from.
 *
 * Only the type of DiskCache is imported: modules that consult the cache do not load SQLite's
 * native addon; the front door that opens one does.
 */
import type { DiskCache } from './disk-cache.js';

let current: DiskCache | undefined;

/** Sets (or, with undefined, removes) the process's disk cache; the previous one is closed. */
export function useDiskCache(cache: DiskCache | undefined): void {
  if (current && current !== cache) current.close();
  current = cache;
}

/** The process's disk cache, or undefined: nothing is persisted. */
export function diskCache(): DiskCache | undefined {
  return current?.available ? current : undefined;
}
