/**
 * Builds real Git repositories for tests with the git CLI: deterministic authors and dates, so
 * commit oids are stable across runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TestRepo {
  readonly dir: string;
  /** Writes files (path → content; null deletes) into the work tree. */
  write(files: Readonly<Record<string, string | Uint8Array | null>>): void;
  symlink(path: string, target: string): void;
  /** Stages everything and commits (as `author`, "Name <email>", when given); returns the commit oid. */
  commit(message: string, opts?: { author?: string }): string;
  /** Merges a branch into the current one with a merge commit (never fast-forward); returns its oid. */
  merge(branch: string, message: string): string;
  /** A lightweight tag, or an annotated one when a message is given. */
  tag(name: string, opts?: { message?: string; target?: string }): void;
  git(...args: string[]): string;
  cleanup(): void;
}

let clock = Date.UTC(2026, 0, 1) / 1000;

export function createTestRepo(opts: { prefix?: string } = {}): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), opts.prefix ?? 'slipway-repo-'));
  const git = (...args: string[]): string => {
    const time = `${clock} +0000`;
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Ada Lovelace',
        GIT_AUTHOR_EMAIL: 'ada@example.com',
        GIT_COMMITTER_NAME: 'Ada Lovelace',
        GIT_COMMITTER_EMAIL: 'ada@example.com',
        GIT_AUTHOR_DATE: time,
        GIT_COMMITTER_DATE: time,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
      },
    }).trim();
  };
  git('init', '-q', '-b', 'main');
  // No background `gc --auto` after commits: it would race an explicit `git gc` ("gc is already running") and make timings noisy.
  git('config', 'gc.auto', '0');
  return {
    dir,
    git,
    write(files) {
      for (const [path, content] of Object.entries(files)) {
        const full = join(dir, path);
        if (content === null) rmSync(full, { force: true, recursive: true });
        else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, content);
        }
      }
    },
    symlink(path, target) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      symlinkSync(target, join(dir, path));
    },
    commit(message, commitOpts = {}) {
      clock += 3600;
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message, ...(commitOpts.author ? [`--author=${commitOpts.author}`] : []));
      return git('rev-parse', 'HEAD');
    },
    merge(branch, message) {
      clock += 3600;
      git('merge', '-q', '--no-ff', '-m', message, branch);
      return git('rev-parse', 'HEAD');
    },
    tag(name, tagOpts = {}) {
      const target = tagOpts.target ?? 'HEAD';
      if (tagOpts.message === undefined) git('tag', name, target);
      else git('tag', '-a', name, '-m', tagOpts.message, target);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
