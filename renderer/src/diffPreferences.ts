/**
 * How the user likes diffs shown (layout, whole objects), kept in the page's local storage: each
 * change opens a diff editor of its own, and the choice made in one holds for the next.
 */
import { useCallback, useState } from 'react';
import { isLayoutChoice, type DiffLayoutChoice } from './diffLayout.js';

export interface DiffPreferences {
  readonly layout: DiffLayoutChoice;
  /** Show the unchanged regions too instead of folding them. */
  readonly wholeObjects: boolean;
}

const KEY = 'slipway.diffPreferences';
const DEFAULTS: DiffPreferences = { layout: 'auto', wholeObjects: false };

export function readDiffPreferences(): DiffPreferences {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<keyof DiffPreferences, unknown>>;
    return { layout: isLayoutChoice(v.layout) ? v.layout : DEFAULTS.layout, wholeObjects: v.wholeObjects === true };
  } catch {
    return DEFAULTS;
  }
}

export function useDiffPreferences(): [DiffPreferences, (change: Partial<DiffPreferences>) => void] {
  const [prefs, setPrefs] = useState(readDiffPreferences);
  const update = useCallback((change: Partial<DiffPreferences>) => {
    setPrefs((p) => {
      const next = { ...p, ...change };
      try {
        localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // storage unavailable: the choice holds for this diff only
      }
      return next;
    });
  }, []);
  return [prefs, update];
}
