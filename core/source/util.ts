/** Small helpers shared by the parsers of this folder. */
import type { Diagnostic } from '../model/diagnostics.js';

export { isPlainObject as isRecord } from '../model/desired.js';

/**
 * By file, line and column; diagnostics at the same place keep the order they were found in
 * (the order of the fields checked), so the same input always reports in the same order.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.location?.file ?? '', b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
