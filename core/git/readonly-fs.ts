/**
 * The file system given to isomorphic-git when reading a user's repository: reads pass through,
 * every write throws. Whatever isomorphic-git does internally (index stat-cache refreshes, lock
 * files), it cannot change the repository.
 */
import { promises as fsp } from 'node:fs';

export class ReadOnlyViolation extends Error {
  constructor(operation: string, path: unknown) {
    super(`Slipway opened this repository read-only, but something tried to ${operation} ${String(path)}`);
    this.name = 'ReadOnlyViolation';
  }
}

const deny =
  (operation: string) =>
  async (path: unknown): Promise<never> => {
    throw new ReadOnlyViolation(operation, path);
  };

/** An isomorphic-git `fs` client (promise form) that can only read. */
export const readOnlyFs = {
  promises: {
    readFile: fsp.readFile,
    stat: fsp.stat,
    lstat: fsp.lstat,
    readdir: fsp.readdir,
    readlink: fsp.readlink,
    writeFile: deny('write'),
    mkdir: deny('create the folder'),
    rmdir: deny('remove the folder'),
    rm: deny('remove'),
    unlink: deny('delete'),
    symlink: deny('create the symlink'),
    chmod: deny('chmod'),
  },
};
