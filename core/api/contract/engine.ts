/** The engine itself: what it is and which front door serves it, what it was started with, its settings. */
import { z } from 'zod';
import { settingsSchema } from '../../engine/settings.js';

export const engineInfoSchema = z.object({
  version: z.string(),
  /** Node's platform of the engine process, e.g. "linux". */
  platform: z.string(),
  /** Which front door is serving this renderer. */
  transport: z.enum(['electron', 'http', 'memory']),
  /** How a folder is picked: the desktop app's own dialog (chooseFolder), else the engine's folder list (listFolders). */
  folderDialog: z.enum(['native', 'browse']).optional(),
});
export type EngineInfo = z.infer<typeof engineInfoSchema>;

/**
 * What this front door was started with (`slipway serve --repo … --app … --rev … --context …`, or
 * the same arguments of the desktop app): the renderer opens that repository and picks the app,
 * revision and context before the user does anything. Every field is optional; none is checked
 * here: the renderer asks for them through the usual commands, which report any problem.
 */
export const startupSchema = z.object({
  /** A folder inside a local repository. */
  repository: z.string().min(1).max(4096).optional(),
  /** An app name of that repository. */
  app: z.string().min(1).max(253).optional(),
  /** A branch, tag or commit (as `--rev`); default: the current branch. */
  rev: z.string().min(1).max(1024).optional(),
  /** A kubeconfig context name. */
  context: z.string().min(1).max(253).optional(),
});
export type Startup = z.infer<typeof startupSchema>;

export { settingsSchema, type Settings, type SettingsInput } from '../../engine/settings.js';
export const settingsResultSchema = z.object({
  settings: settingsSchema,
  /** The file they live in. */
  file: z.string(),
  /** Why the file on disk was not used (it is invalid); the defaults are in effect until the user saves. */
  problem: z.string().optional(),
});
export type SettingsResult = z.infer<typeof settingsResultSchema>;
