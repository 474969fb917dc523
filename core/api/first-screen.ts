/**
 * The commands a front door's first screen asks before anything else: the engine it reached, what
 * it was started with, the settings. They read no repository, cluster or history, so they need none
 * of the engine's modules: `slipway serve` answers them while the engine still loads (and starts
 * loading it only when another command comes), and the engine's own handlers (./handlers.ts) are
 * these same functions, so both answer alike.
 */
import { readSettings } from '../engine/settings.js';
import { SLIPWAY_VERSION } from '../version.js';
import type { CommandHandlers, EngineInfo, Startup } from './contract.js';

/** The commands of the first screen. */
export const FIRST_SCREEN_COMMANDS = ['engineInfo', 'getStartup', 'getSettings'] as const;

export type FirstScreenHandlers = Pick<CommandHandlers, (typeof FIRST_SCREEN_COMMANDS)[number]>;

export interface FirstScreenOptions {
  readonly transport: EngineInfo['transport'];
  /** What the front door was started with (repository, app, revision, context). */
  readonly startup?: Startup | undefined;
  /** Whether the front door has a folder dialog of its own (the desktop app); else the page lists folders. */
  readonly nativeFolderDialog: boolean;
  /** The settings file (core/engine/settings.ts defaultSettingsPath, unless a front door names another). */
  readonly settingsPath: string;
}

export function firstScreenHandlers(opts: FirstScreenOptions): FirstScreenHandlers {
  return {
    engineInfo: async () => ({ version: SLIPWAY_VERSION, platform: process.platform, transport: opts.transport, folderDialog: opts.nativeFolderDialog ? 'native' : 'browse' }),

    getStartup: async () => ({ ...opts.startup }),

    getSettings: async () => {
      const loaded = readSettings(opts.settingsPath);
      return { settings: loaded.settings, file: opts.settingsPath, ...(loaded.problem && { problem: loaded.problem }) };
    },
  };
}
