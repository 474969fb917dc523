/**
 * The version of the git on PATH in the process's disk cache, so a command does not start
 * `git --version` (20–40 ms of a process start, before any object is read) each time. Keyed by
 * the executable PATH finds — its path, inode, size and modification time, which an upgrade or
 * another git first on PATH changes. Not kept when PATH has a relative folder before git (what
 * it finds depends on the working folder) or on Windows (PATHEXT decides there).
 */
import { statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { diskCache } from '../disk-cache/process.js';

export const GIT_VERSION_NAMESPACE = 'git-version/1';

/** The git that a spawn of `git` would run, as a key, or undefined when that cannot be told safely. */
export function gitExecutableKey(path: string | undefined = process.env.PATH): string | undefined {
  if (process.platform === 'win32' || !path) return undefined;
  for (const dir of path.split(delimiter)) {
    if (!isAbsolute(dir)) return undefined;
    try {
      const st = statSync(join(dir, 'git'));
      if (st.isFile() && (st.mode & 0o111) !== 0) return `${join(dir, 'git')}:${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export function persistedGitVersion(key: string): readonly [number, number] | undefined {
  const text = diskCache()?.get(GIT_VERSION_NAMESPACE, key);
  const m = text === undefined ? null : /^(\d+)\.(\d+)$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function persistGitVersion(key: string, version: readonly [number, number]): void {
  diskCache()?.put(GIT_VERSION_NAMESPACE, key, `${version[0]}.${version[1]}`);
}
