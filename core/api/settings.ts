/**
 * The user's settings: one JSON file in the user data folder, validated with the contract's
 * schema when it is read and before it is written. A missing file is the defaults; a damaged one
 * is reported (the engine keeps running on the defaults and does not overwrite it until the user
 * saves).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SlipwayError } from '../model/diagnostics.js';
import { userDataDir } from '../paths.js';
import { describeIssues, settingsSchema, type Settings } from './contract.js';

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export function defaultSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLIPWAY_SETTINGS || join(userDataDir(), 'settings.json');
}

export interface LoadedSettings {
  readonly settings: Settings;
  /** Why the file was not used, when it exists but is not valid. */
  readonly problem?: string;
}

export function readSettings(file: string): LoadedSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
    return { settings: DEFAULT_SETTINGS, problem: `cannot read ${file}: ${(e as Error).message}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { settings: DEFAULT_SETTINGS, problem: `${file} is not valid JSON: using the defaults until you save` };
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) return { settings: DEFAULT_SETTINGS, problem: `${file} is not valid (${describeIssues(parsed.error)}): using the defaults until you save` };
  return { settings: parsed.data };
}

/** Validates and writes atomically (temporary file, then rename). */
export function writeSettings(file: string, value: unknown): Settings {
  const parsed = settingsSchema.safeParse(value);
  if (!parsed.success) throw new SlipwayError('invalid-settings', `invalid settings: ${describeIssues(parsed.error)}`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(parsed.data, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return parsed.data;
}
