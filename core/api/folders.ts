/**
 * Browser mode's folder picker: the sub-folders of one folder, Git repositories marked. Only what
 * the engine's own process may read is listed (an unreadable folder is an error, an unreadable
 * sub-folder is simply not marked); hidden folders are left out.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { SlipwayError } from '../model/diagnostics.js';
import type { FolderList } from './contract.js';
import { expandHome } from './repositories.js';

/** More sub-folders than this are cut (the list says so). */
const MAX_FOLDERS = 2000;

/** A Git repository's top folder: it has .git (a folder, or a file for worktrees and submodules). */
function isRepository(dir: string): boolean {
  try {
    return existsSync(join(dir, '.git'));
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export async function listFolders(path: string | undefined, env: NodeJS.ProcessEnv): Promise<FolderList> {
  const home = env.HOME ?? homedir();
  const expanded = path === undefined ? home : expandHome(path, env);
  if (!isAbsolute(expanded)) throw new SlipwayError('invalid-folder', `${path} is not an absolute folder`, { hint: 'start at ~ (your home folder) or /' });
  const dir = resolve(expanded);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SlipwayError('folder-not-found', `there is no folder ${dir}`);
    if (code === 'ENOTDIR') throw new SlipwayError('folder-not-found', `${dir} is a file, not a folder`);
    if (code === 'EACCES' || code === 'EPERM') throw new SlipwayError('folder-unreadable', `the engine may not read ${dir}`, { hint: 'pick a folder your user can read' });
    throw new SlipwayError('folder-unreadable', `cannot read ${dir}: ${(err as Error).message}`);
  }
  // Symlinks count when they lead to a folder, as a file dialog shows them.
  const names = entries
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isSymbolicLink() && isFolder(join(dir, e.name)))))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
  const parent = dirname(dir);
  return {
    path: dir,
    ...(parent !== dir && { parent }),
    home,
    repository: isRepository(dir),
    folders: names.slice(0, MAX_FOLDERS).map((name) => ({ name, path: join(dir, name), repository: isRepository(join(dir, name)) })),
    ...(names.length > MAX_FOLDERS && { truncated: true }),
  };
}
