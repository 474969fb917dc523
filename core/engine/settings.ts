/**
 * The user's settings: one JSON file in the user data folder, validated with its schema when it is
 * read and before it is written. A missing file is the defaults; a damaged one is reported (the
 * engine keeps running on the defaults and does not overwrite it until the user saves). The
 * contract carries the same schema to the front doors.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SlipwayError } from '../model/diagnostics.js';
import { describeIssues } from '../model/issues.js';
import { userDataDir } from '../paths.js';

const contextName = z.string().min(1).max(253);
/** A repository opened lately, with the app (or folder) last chosen in it. */
export const recentRepositorySchema = z.strictObject({ dir: z.string().min(1).max(4096), app: z.string().min(1).max(253).optional(), path: z.string().max(4096).optional() });
export type RecentRepository = z.infer<typeof recentRepositorySchema>;
const toolPath = z.string().trim().max(4096).optional();
/** The user's settings, kept by the engine as JSON in the user data folder. Every field has a default. */
export const settingsSchema = z.strictObject({
  /** Kubeconfig file; empty: $KUBECONFIG of the engine, else ~/.kube/config. */
  kubeconfig: z.string().trim().max(4096).optional(),
  /**
   * Explicit tool paths (empty: looked up on PATH), and the files tools read: the age key file sops
   * decrypts with (empty: sops' own variables and default file) and the chart repository
   * credentials file (empty: $SLIPWAY_CHART_CREDENTIALS). Only paths: a file's content is read
   * when it is used, never kept here.
   */
  tools: z
    .strictObject({ kubectl: toolPath, helm: toolPath, kustomize: toolPath, jsonnet: toolPath, sops: toolPath, sopsAgeKeyFile: toolPath, chartCredentialsFile: toolPath })
    .default({}),
  /** Parallel API calls while planning. */
  concurrency: z.number().int().min(1).max(64).default(16),
  timeouts: z
    .strictObject({
      /** Wait at most this long for each object to become healthy; absent: per kind. */
      healthSeconds: z.number().int().min(1).max(86_400).optional(),
      /** Give up on one API request after this long (connect, send, answer), like kubectl's --request-timeout; absent: 30 s. */
      requestSeconds: z.number().int().min(1).max(3_600).optional(),
    })
    .default({}),
  /** Applying to these contexts needs the context name typed; they are marked red. */
  protectedContexts: z.array(contextName).max(200).default([]),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** Desktop notifications of the app window: drift found, an apply that ended while the window was in the background, a watched cluster unreachable (and back). */
  notifications: z
    .strictObject({
      drift: z.boolean().default(true),
      applyFinished: z.boolean().default(true),
      unreachable: z.boolean().default(true),
    })
    .default({ drift: true, applyFinished: true, unreachable: true }),
  /** The start screen's recent repositories, newest first (rememberRepository keeps them; a save without them keeps those on disk). */
  recentRepositories: z.array(recentRepositorySchema).max(20).optional(),
});
export type Settings = z.output<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

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
