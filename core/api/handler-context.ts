/**
 * What the command handlers share (core/api/handlers.ts), set up once per engine: the settings (read
 * again by each command, so a save takes effect at once), the engine options and kubeconfig they
 * give, the history (opened at first use), the open repositories, the shared watches.
 */
import { join } from 'node:path';
import { engineOptions, type EngineOptions } from '../engine/options.js';
import { defaultSettingsPath, readSettings, type Settings } from '../engine/settings.js';
import { WatchHubs } from '../engine/watch-hubs.js';
import type { Repository } from '../git/types.js';
import { openHistory, type History } from '../history/history.js';
import { loadKubeconfig, type LoadedKubeconfig } from '../kube/kubeconfig.js';
import { SlipwayError } from '../model/diagnostics.js';
import { userCacheDir, userDataDir } from '../paths.js';
import type { ToolPaths } from '../render/tools.js';
import type { AppSelection } from '../source/load.js';
import { OpenRepositories, expandHome } from './repositories.js';

export interface ContextOptions {
  /** Environment for KUBECONFIG and HOME; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where materialized kustomize/helm trees are kept; defaults to the user cache. */
  readonly treesDir?: string;
  /** Overrides the tool paths of the settings (tests). */
  readonly tools?: ToolPaths;
  /** The history database; default $SLIPWAY_HISTORY, else history.db in the user data folder. */
  readonly historyPath?: string;
  /** The settings file; default $SLIPWAY_SETTINGS, else settings.json in the user data folder. */
  readonly settingsPath?: string;
}

/** An app as a request names it: a repository the front door opened, a revision, an app name or folder, a context. */
export interface AppRequestFields {
  readonly repoId: string;
  readonly rev?: string | undefined;
  readonly app?: string | undefined;
  readonly path?: string | undefined;
  readonly context: string;
  readonly kubeconfig?: string | undefined;
}

/** The app on its context as plan, the live tree and drift find it. */
export interface AppOnContext {
  readonly repo: Repository;
  readonly repoLabel: string;
  readonly rev?: string;
  readonly selection: AppSelection;
  readonly kubeconfig: LoadedKubeconfig;
  readonly context: string;
}

export type HandlerContext = ReturnType<typeof createHandlerContext>;

export function createHandlerContext(opts: ContextOptions) {
  const env = opts.env ?? process.env;
  const treesDir = opts.treesDir ?? join(userCacheDir(), 'trees');
  const settingsPath = opts.settingsPath ?? defaultSettingsPath(env);
  const historyPath = opts.historyPath ?? (env.SLIPWAY_HISTORY || join(userDataDir(), 'history.db'));
  const repos = new OpenRepositories(env);
  // One client and WatchHub per context, shared by the live trees and drift streams of that context.
  const watchHubs = new WatchHubs();
  let history: History | undefined;
  let closed = false;

  const settings = (): Settings => readSettings(settingsPath).settings;
  const kubeconfigFor = (path: string | undefined): LoadedKubeconfig => {
    const file = path || settings().kubeconfig;
    return loadKubeconfig(file ? { path: expandHome(file, env) } : { env });
  };
  return {
    env,
    settingsPath,
    repos,
    watchHubs,
    settings,
    options: (): EngineOptions => engineOptions(settings(), { cacheDir: treesDir, ...(opts.tools && { tools: opts.tools }) }),
    /** The kubeconfig file a request names, else the settings', else $KUBECONFIG or ~/.kube/config. */
    kubeconfigFor,
    historyDb: (): History => {
      if (closed) throw new SlipwayError('engine-closed', 'the engine is shutting down');
      history ??= openHistory({ path: historyPath });
      return history;
    },
    appOn: ({ repoId, rev, app, path, context, kubeconfig }: AppRequestFields): AppOnContext => {
      const open = repos.byId(repoId);
      return {
        repo: open.repo,
        repoLabel: open.dir,
        ...(rev !== undefined && { rev }),
        selection: { ...(app !== undefined && { app }), ...(path !== undefined && { path }) },
        kubeconfig: kubeconfigFor(kubeconfig),
        context,
      };
    },
    /** After the streams and applies stopped: the shared watches, the history, every open repository. */
    close: async (): Promise<void> => {
      await watchHubs.close();
      closed = true;
      history?.close();
      history = undefined;
      await repos.closeAll();
    },
  };
}
