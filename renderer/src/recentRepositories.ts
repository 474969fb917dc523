/** The repositories opened last (newest first, at most six), kept in the page's local storage for the start screen. */
const RECENT_KEY = 'slipway.recentRepositories';
const MAX = 6;

export function recentRepositories(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function rememberRepository(dir: string): void {
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify([dir, ...recentRepositories().filter((d) => d !== dir)].slice(0, MAX)));
  } catch {
    // storage unavailable: nothing to remember
  }
}
