/**
 * The colour theme: the user's setting (light, dark, or follow the OS), resolved to light or dark.
 * App sets it on <html data-theme> for the CSS; Monaco's diff editor reads it from ThemeContext.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { Settings } from '../../core/api/contract.js';

export type ResolvedTheme = 'light' | 'dark';

const query = (): MediaQueryList | undefined => (typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined);

/** The theme to show for a setting, following the OS while the setting is "system". */
export function useResolvedTheme(setting: Settings['theme']): ResolvedTheme {
  const [osDark, setOsDark] = useState(() => query()?.matches ?? false);
  useEffect(() => {
    const q = query();
    if (!q) return;
    const onChange = (): void => setOsDark(q.matches);
    q.addEventListener('change', onChange);
    return () => q.removeEventListener('change', onChange);
  }, []);
  return setting === 'system' ? (osDark ? 'dark' : 'light') : setting;
}

export const ThemeContext = createContext<ResolvedTheme>('light');

export function useTheme(): ResolvedTheme {
  return useContext(ThemeContext);
}

/** Monaco's built-in theme for ours. */
export function monacoTheme(theme: ResolvedTheme): 'vs' | 'vs-dark' {
  return theme === 'dark' ? 'vs-dark' : 'vs';
}
