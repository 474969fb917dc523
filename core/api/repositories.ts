/**
 * The repositories a front door opened, by id, for the life of the engine: two quick requests for
 * one folder share one repository, and history's runs reopen theirs by folder.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { openRepository } from '../git/repository.js';
import type { Repository } from '../git/types.js';
import { SlipwayError } from '../model/diagnostics.js';

export interface OpenRepo {
  readonly id: string;
  readonly dir: string;
  readonly name: string;
  readonly repo: Repository;
}

/** `~` and `~/…` as the user's home (from `env`, as a shell would). */
export function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === '~') return env.HOME ?? homedir();
  if (path.startsWith('~/')) return join(env.HOME ?? homedir(), path.slice(2));
  return path;
}

export class OpenRepositories {
  private readonly repos = new Map<string, OpenRepo>();
  /** Opens in flight, by folder. */
  private readonly opening = new Map<string, Promise<OpenRepo>>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  byId(id: string): OpenRepo {
    const open = this.repos.get(id);
    if (!open) throw new SlipwayError('unknown-repository', `no open repository has id ${id}`, { hint: 'open the repository again' });
    return open;
  }

  async open(path: string): Promise<OpenRepo> {
    const abs = resolve(expandHome(path, this.env));
    const pending = this.opening.get(abs);
    if (pending) return pending;
    const work = (async () => {
      const repo = await openRepository(abs);
      const id = `repo-${createHash('sha256').update(repo.dir).digest('hex').slice(0, 16)}`;
      const existing = this.repos.get(id);
      if (existing) {
        await repo.close();
        return existing;
      }
      const entry: OpenRepo = { id, dir: repo.dir, name: basename(repo.dir), repo };
      this.repos.set(id, entry);
      return entry;
    })();
    this.opening.set(abs, work);
    try {
      return await work;
    } finally {
      this.opening.delete(abs);
    }
  }

  /** The repository a run was applied from (history names it by folder). */
  async openAt(dir: string): Promise<OpenRepo> {
    try {
      return await this.open(dir);
    } catch (err) {
      throw new SlipwayError('repository-missing', `cannot open ${dir}, the repository the run was applied from: ${err instanceof Error ? err.message : String(err)}`, { hint: 'the folder may have moved: open it again and plan the revision you want' });
    }
  }

  /** The open repository whose folder is `dir` (a plan made from a run names its repository so). */
  byDir(dir: string): OpenRepo | undefined {
    return [...this.repos.values()].find((r) => r.dir === dir);
  }

  async closeAll(): Promise<void> {
    const open = [...this.repos.values()];
    this.repos.clear();
    await Promise.all(open.map((r) => r.repo.close()));
  }
}
