/** Errors of the history database that name the file and what to do. */
import Sqlite from 'better-sqlite3';
import { SlipwayError } from '../model/diagnostics.js';

export const CORRUPT_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

export function corrupt(file: string, detail: string, cause?: unknown): SlipwayError {
  return new SlipwayError('history-corrupt', `The history database ${file} is damaged: ${detail}`, {
    hint: `Move ${file} aside (for example rename it to ${file}.corrupt, with its -wal and -shm files) and Slipway starts a new history; the old file can be salvaged with "sqlite3 ${file} .recover".`,
    cause,
  });
}

export function sqliteCode(e: unknown): string | undefined {
  return e instanceof Sqlite.SqliteError ? e.code : undefined;
}
