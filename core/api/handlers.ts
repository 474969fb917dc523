/**
 * The engine side of the contract: one set of handlers that both transports (Electron IPC and
 * the HTTP server) call, through `dispatch` (./dispatch.ts), which validates requests and results.
 * Transports never implement commands themselves.
 *
 * This file is state and mapping: the repositories the user opened, the plans made (by id, for
 * the life of the engine: `apply` takes a plan id and applies the engine's own copy, never a plan
 * sent back by a front door), the applies running, the history and the settings. What a command
 * does lives below, in core/engine (rollback, revert, the apply guard, settings → options),
 * core/plan (planApp) and core/apply (applyPlan).
 */
import { join } from 'node:path';
import { canApply } from '../engine/can-apply.js';
import { applyGuard, checkConfirmation, checkDeleteConfirmation } from '../engine/guard.js';
import { planOfRun } from '../engine/run-plan.js';
import { sourceSnippet } from '../engine/source-snippet.js';
import { planRevertOfRun, planRollbackToRun, runOf, type PlanFromRun } from '../engine/from-run.js';
import { engineOptions, type EngineOptions } from '../engine/options.js';
import { defaultSettingsPath, readSettings, writeSettings } from '../engine/settings.js';
import { searchRevisions } from '../git/search.js';
import { describeCommits } from '../git/describe.js';
import { lastAppliedBefore } from '../history/previous.js';
import { rememberRecent } from '../engine/recent.js';
import { whyFromHistory } from '../engine/why.js';
import { listFolders } from './folders.js';
import { WORKING_COPY } from '../git/types.js';
import { objectHealth } from '../apply/object-health.js';
import { liveTreeOf, type LiveTreeRequest } from '../engine/live-tree.js';
import { toLiveTreeResult } from './live-tree.js';
import { LiveTreeStreams } from './live-trees.js';
import { DriftStreams, type DriftStreamRequest } from './drift-streams.js';
import { WatchHubs } from '../engine/watch-hubs.js';
import { openHistory, type History } from '../history/history.js';
import { listContexts, loadKubeconfig, type LoadedKubeconfig } from '../kube/kubeconfig.js';
import { SlipwayError } from '../model/diagnostics.js';
import { userCacheDir, userDataDir } from '../paths.js';
import { planApp } from '../plan/service.js';
import type { Plan } from '../plan/types.js';
import type { ToolPaths } from '../render/tools.js';
import { loadAppTree, type AppNode } from '../plan/child-apps.js';
import { SLIPWAY_VERSION } from '../version.js';
import { ApplyRuns } from './applies.js';
import { LogStreams } from './logs.js';
import { exportPlan } from './plan-export.js';
import type { AppSummary, ChildPlanSummary, CommandHandlers, EngineInfo, Startup, ValidRequest } from './contract.js';
import { argoCdSyncsChildren, planChildApps, type ChildPlan } from '../plan/plan-set.js';
import { selectionOf } from '../source/load.js';
import { createEventHub, type EventSource } from './events.js';
import { plainDiagnostics, toAppSummary, toCommitSummary, toRefSummary, toRunDetails, toRunSummary } from './mappers.js';
import { expandHome, OpenRepositories, type OpenRepo } from './repositories.js';

export type Transport = EngineInfo['transport'];

export interface EngineHandlers extends CommandHandlers {
  /** Engine events (apply progress), validated; the transports subscribe. */
  readonly events: EventSource;
  /** Cancels running applies and waits for them, closes the history and every open repository. */
  close(): Promise<void>;
}

export interface HandlerOptions {
  readonly transport: Transport;
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
  /** What the front door was started with (repository, app, revision, context): `getStartup` hands it to the renderer. */
  readonly startup?: Startup;
  /** The desktop app's native folder dialog (opened at `start`; null when cancelled); without it, front doors list folders (listFolders). */
  readonly chooseFolder?: (start: string | undefined) => Promise<string | null>;
}

/** Plans kept for apply, newest last; older ones must be planned again. */
const KEPT_PLANS = 50;
const DEFAULT_LOG_PAGE = 50;

/** A plan this engine made, with what applying it needs. */
interface KeptPlan {
  readonly plan: Plan;
  readonly repo: OpenRepo;
  readonly kubeconfig?: string;
  /** Planned with the commits behind each change (PlanRequest.why): its child apps are too. */
  readonly why?: true;
}

export function createHandlers(opts: HandlerOptions): EngineHandlers {
  const env = opts.env ?? process.env;
  const treesDir = opts.treesDir ?? join(userCacheDir(), 'trees');
  const settingsPath = opts.settingsPath ?? defaultSettingsPath(env);
  const historyPath = opts.historyPath ?? (env.SLIPWAY_HISTORY || join(userDataDir(), 'history.db'));
  const hub = createEventHub();
  const plans = new Map<string, KeptPlan>();
  const applies = new ApplyRuns((e) => hub.publish(e));
  const logs = new LogStreams((e) => hub.publish(e));
  const liveTrees = new LiveTreeStreams((e) => hub.publish(e));
  const drifts = new DriftStreams((e) => hub.publish(e));
  // One client and WatchHub per context, shared by the live trees and drift streams of that context.
  const watchHubs = new WatchHubs();
  const repos = new OpenRepositories(env);
  let history: History | undefined;
  let closed = false;

  const historyDb = (): History => {
    if (closed) throw new SlipwayError('engine-closed', 'the engine is shutting down');
    history ??= openHistory({ path: historyPath });
    return history;
  };
  const settings = (): ReturnType<typeof readSettings>['settings'] => readSettings(settingsPath).settings;
  const options = (): EngineOptions => engineOptions(settings(), { cacheDir: treesDir, ...(opts.tools && { tools: opts.tools }) });
  const kubeconfigFor = (path: string | undefined): LoadedKubeconfig => {
    const file = path || settings().kubeconfig;
    return loadKubeconfig(file ? { path: expandHome(file, env) } : { env });
  };
  const keep = (entry: KeptPlan): Plan => {
    plans.delete(entry.plan.id);
    plans.set(entry.plan.id, entry);
    while (plans.size > KEPT_PLANS) plans.delete(plans.keys().next().value!);
    return entry.plan;
  };
  /** A plan made from a run, kept with the open repository it came from. */
  const keepFromRun = (made: PlanFromRun, kubeconfig: string | undefined): Plan => keep({ plan: made.plan, repo: repos.byDir(made.repo.dir)!, ...(kubeconfig && { kubeconfig }) });
  const fromRun = (kubeconfig: string | undefined, context: string | undefined) => ({
    history: historyDb(),
    openRepository: async (dir: string) => (await repos.openAt(dir)).repo,
    kubeconfig: kubeconfigFor(kubeconfig),
    ...(context !== undefined && { context }),
    options: options(),
  });

  /** What liveTree and watchLiveTree ask the engine for: the app as plan finds it, with the history for members that are gone. */
  const liveTreeRequest = ({ repoId, rev, app, path, context, kubeconfig, namespace, events }: ValidRequest<'liveTree'>): LiveTreeRequest => {
    const open = repos.byId(repoId);
    const o = options();
    return {
      repo: open.repo,
      repoLabel: open.dir,
      ...(rev !== undefined && { rev }),
      selection: { ...(app !== undefined && { app }), ...(path !== undefined && { path }) },
      kubeconfig: kubeconfigFor(kubeconfig),
      context,
      ...(namespace !== undefined && { overrides: { namespace } }),
      cacheDir: o.cacheDir,
      ...(o.tools && { tools: o.tools }),
      ...(o.concurrency !== undefined && { concurrency: o.concurrency }),
      ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }),
      // Members the app's last apply left that are gone show as missing.
      lastApply: historyDb(),
      ...(events !== undefined && { eventLimit: events }),
    };
  };

  /** What watchDrift asks the engine for: the app as plan finds it, its applied state from the history, the context's shared watches. */
  const driftRequest = ({ repoId, rev, app, path, context, kubeconfig }: Omit<ValidRequest<'watchDrift'>, 'streamId'>): DriftStreamRequest => {
    const open = repos.byId(repoId);
    const o = options();
    return {
      repo: open.repo,
      repoLabel: open.dir,
      ...(rev !== undefined && { rev }),
      selection: { ...(app !== undefined && { app }), ...(path !== undefined && { path }) },
      kubeconfig: kubeconfigFor(kubeconfig),
      context,
      cacheDir: o.cacheDir,
      ...(o.tools && { tools: o.tools }),
      ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }),
      history: historyDb(),
      hubs: watchHubs,
    };
  };

  return {
    engineInfo: async () => ({ version: SLIPWAY_VERSION, platform: process.platform, transport: opts.transport, folderDialog: opts.chooseFolder ? 'native' : 'browse' }),

    getStartup: async () => ({ ...opts.startup }),

    openRepository: async ({ path }) => {
      const { id, dir, name } = await repos.open(path);
      return { id, dir, name };
    },

    listRevisions: async ({ repoId, query, limit = DEFAULT_LOG_PAGE, after }) => {
      const found = await searchRevisions(repos.byId(repoId).repo, { ...(query !== undefined && { query }), limit, ...(after && { after }) });
      const of = (kind: 'branch' | 'remote-branch' | 'tag') => found.refs.filter((r) => r.kind === kind).map(toRefSummary);
      return {
        branches: of('branch'),
        remoteBranches: of('remote-branch'),
        tags: of('tag'),
        workingCopy: found.workingCopy && { rev: WORKING_COPY, ...(found.workingCopy.head !== undefined && { head: found.workingCopy.head }) },
        commits: found.commits.map((e) => toCommitSummary(e, found.refsByOid)),
        ...(found.next && { next: found.next }),
      };
    },

    listApps: async ({ repoId, rev }) => {
      const { repo } = repos.byId(repoId);
      const o = options();
      // With their child apps (app of apps), parents before their children.
      const tree = await loadAppTree(repo, await repo.resolve(rev), { cacheDir: o.cacheDir, ...(o.tools && { tools: o.tools }) });
      const { catalog } = tree;
      const folders = (catalog.folders ?? []).map((f) => ({ path: f.path, sourceType: f.sourceType }));
      const children = (nodes: readonly AppNode[], parentFolder?: string): AppSummary[] => nodes.flatMap((n) => [{ ...toAppSummary(n.app), ...(parentFolder !== undefined && { parentFolder }) }, ...children(n.children)]);
      const apps = [...children(tree.apps), ...tree.folders.flatMap((f) => children(f.children, f.folder.path))];
      return { apps, configured: catalog.configured, diagnostics: plainDiagnostics(tree.diagnostics), ...(folders.length > 0 && { folders }) };
    },

    listContexts: async ({ kubeconfig }) => {
      const cfg = kubeconfigFor(kubeconfig);
      const protectedContexts = new Set(settings().protectedContexts);
      return {
        contexts: listContexts(cfg).map((c) => ({ ...c, ...(protectedContexts.has(c.name) && { protected: true }) })),
        ...(cfg.currentContext !== undefined && { currentContext: cfg.currentContext }),
        files: [...cfg.files],
        diagnostics: plainDiagnostics(cfg.diagnostics),
      };
    },

    plan: async ({ repoId, rev, app, path, context, kubeconfig, namespace, prune, createNamespace, adopt, why }) => {
      const open = repos.byId(repoId);
      const o = options();
      const plan = await planApp({
        repo: open.repo,
        repoLabel: open.dir,
        rev,
        selection: { ...(app !== undefined && { app }), ...(path !== undefined && { path }) },
        kubeconfig: kubeconfigFor(kubeconfig),
        context,
        overrides: { ...(namespace !== undefined && { namespace }), ...(prune !== undefined && { prune }), ...(createNamespace !== undefined && { createNamespace }) },
        ...(adopt && { adopt }),
        cacheDir: o.cacheDir,
        ...(o.tools && { tools: o.tools }),
        ...(o.concurrency !== undefined && { concurrency: o.concurrency }),
        ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }),
        // Objects unchanged since the last successful apply skip their dry-run (the re-plan fast path).
        lastApply: historyDb(),
        // The commits behind each change, since that apply (core/plan/why).
        ...(why && { why: whyFromHistory(historyDb()) }),
      });
      return keep({ plan, repo: open, ...(kubeconfig && { kubeconfig }), ...(why && { why }) });
    },

    planChildren: async ({ planId }) => {
      const kept = plans.get(planId);
      const context = kept?.plan.inputs.cluster?.context;
      if (!kept || !context || kept.plan.inputs.mode.kind !== 'normal') throw new SlipwayError('unknown-plan', `this engine has no plan ${planId} of an app at a revision`, { hint: 'plans are kept while the engine runs: plan again' });
      const o = options();
      const { inputs } = kept.plan;
      // Each child app at the plan's commit and context; each child's plan is kept, to be applied like any plan.
      const children = await planChildApps({
        repo: kept.repo.repo,
        repoLabel: kept.repo.dir,
        rev: inputs.commit,
        selection: selectionOf(inputs.app),
        kubeconfig: kubeconfigFor(kept.kubeconfig),
        context,
        cacheDir: o.cacheDir,
        ...(o.tools && { tools: o.tools }),
        ...(o.concurrency !== undefined && { concurrency: o.concurrency }),
        ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }),
        lastApply: historyDb(),
        // Planned with the commits behind each change: the children too (also when the parent had no change to explain, and so no note saying it).
        ...(kept.why && { why: whyFromHistory(historyDb()) }),
      });
      const summaries = (list: readonly ChildPlan[], depth: number): ChildPlanSummary[] =>
        list.flatMap((c) => [
          {
            app: c.app,
            parent: c.parent,
            path: c.path,
            depth,
            ...(c.plan && { planId: keep({ plan: c.plan, repo: kept.repo, ...(kept.kubeconfig && { kubeconfig: kept.kubeconfig }), ...(kept.why && { why: kept.why }) }).id, summary: { ...c.plan.summary }, errors: c.plan.diagnostics.filter((d) => d.severity === 'error').length }),
            ...(c.error && { error: c.error.message }),
          },
          ...summaries(c.children, depth + 1),
        ]);
      return { children: summaries(children, 1), argoCdSyncs: argoCdSyncsChildren(kept) };
    },

    apply: async ({ planId, confirmContext, forceConflicts, confirmPrune }) => {
      const kept = plans.get(planId);
      if (!kept) throw new SlipwayError('unknown-plan', `this engine has no plan ${planId}`, { hint: 'plans are kept while the engine runs: plan again, review, then apply' });
      const s = settings();
      checkConfirmation(applyGuard(kept.plan, { protectedContexts: s.protectedContexts }), confirmContext);
      checkDeleteConfirmation(kept.plan, confirmPrune, { how: 'the confirmation of these deletes ticked' });
      const o = options();
      // The app's drift streams on this context wait for the apply, then compare with what it left.
      const release = drifts.hold({ repo: kept.repo.dir, app: kept.plan.inputs.app.name, context: kept.plan.inputs.cluster?.context ?? '' });
      // A second apply of the same app is refused by the app's Lease in the cluster (status `refused`).
      const runId = await applies.start({
        plan: kept.plan,
        repo: kept.repo.repo,
        kubeconfig: kubeconfigFor(kept.kubeconfig),
        history: historyDb(),
        cacheDir: o.cacheDir,
        // Reverts restore exactly: they take back fields others changed since (as `slipway revert`).
        ...((kept.plan.inputs.mode.kind === 'revert' || forceConflicts) && { forceConflicts: true }),
        ...(o.tools && { tools: o.tools }),
        ...(o.healthTimeoutMs !== undefined && { timeoutMs: o.healthTimeoutMs }),
        ...(o.concurrency !== undefined && { concurrency: o.concurrency }),
        ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }),
      }).catch((err: unknown) => {
        release();
        throw err;
      });
      void applies.finished(runId).then(release);
      return { runId, planId };
    },

    cancelApply: async ({ runId }) => ({ cancelled: applies.cancel(runId) }),

    listRuns: async (request) => {
      const page = { ...(request.limit !== undefined && { limit: request.limit }), ...(request.before !== undefined && { before: request.before }) };
      const result = 'context' in request ? historyDb().runsOfContext({ context: request.context, ...page }) : historyDb().runsOfApp({ repo: repos.byId(request.repoId).dir, app: request.app, ...page });
      return { runs: result.items.map(toRunSummary), ...(result.next !== undefined && { next: result.next }) };
    },

    runDetails: async ({ runId }) => {
      const run = runOf(historyDb(), runId);
      const before = lastAppliedBefore(historyDb(), run);
      return { ...toRunDetails(run), ...(before && { before: { runId: before.id, commit: before.commit } }) };
    },

    objectHealth: async ({ planId, keys }) => {
      const kept = plans.get(planId);
      const context = kept?.plan.inputs.cluster?.context;
      if (!kept || !context) throw new SlipwayError('unknown-plan', `this engine has no plan ${planId} with a cluster`, { hint: 'plans are kept while the engine runs: plan again to see the objects' });
      const o = options();
      const objects = await objectHealth({ kubeconfig: kubeconfigFor(kept.kubeconfig), context, keys, ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }) });
      return { objects };
    },

    planRollback: async ({ runId, context, kubeconfig }) => keepFromRun(await planRollbackToRun({ ...fromRun(kubeconfig, context), runId }), kubeconfig),

    planRevert: async ({ runId, context, kubeconfig }) => keepFromRun(await planRevertOfRun({ ...fromRun(kubeconfig, context), runId }), kubeconfig),

    runPlan: async ({ runId }) => planOfRun(historyDb(), runId),

    exportPlan: async (request) => {
      if ('runId' in request) return exportPlan(planOfRun(historyDb(), request.runId), request.format);
      const kept = plans.get(request.planId);
      if (!kept) throw new SlipwayError('unknown-plan', `this engine has no plan ${request.planId}`, { hint: 'plans are kept while the engine runs: plan again' });
      return exportPlan(kept.plan, request.format);
    },

    canApply: async ({ planId }) => {
      const kept = plans.get(planId);
      const context = kept?.plan.inputs.cluster?.context;
      if (!kept || !context) throw new SlipwayError('unknown-plan', `this engine has no plan ${planId} with a cluster`, { hint: 'plans are kept while the engine runs: plan again' });
      const o = options();
      const access = await canApply({ plan: kept.plan, kubeconfig: kubeconfigFor(kept.kubeconfig), context, ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }) });
      return { user: access.user, missing: [...access.missing], unchecked: [...access.unchecked] };
    },

    sourceSnippet: async ({ repoId, rev, file, line }) => {
      const snippet = await sourceSnippet(repos.byId(repoId).repo, { rev, file, line });
      return 'hidden' in snippet ? { ...snippet } : { ...snippet, lines: [...snippet.lines] };
    },

    getSettings: async () => {
      const loaded = readSettings(settingsPath);
      return { settings: loaded.settings, file: settingsPath, ...(loaded.problem && { problem: loaded.problem }) };
    },

    // The settings dialog does not edit the recent repositories: a save without them keeps those on disk.
    saveSettings: async (value) => {
      const recent = value.recentRepositories ?? readSettings(settingsPath).settings.recentRepositories;
      return { settings: writeSettings(settingsPath, { ...value, ...(recent && { recentRepositories: recent }) }), file: settingsPath };
    },

    describeRevisions: async ({ repoId, commits }) => ({ revisions: (await describeCommits(repos.byId(repoId).repo, commits)).map((r) => ({ ...r, tags: [...r.tags] })) }),

    listFolders: async ({ path }) => listFolders(path, env),

    chooseFolder: async ({ start }) => {
      if (!opts.chooseFolder) throw new SlipwayError('no-folder-dialog', 'this front door has no folder dialog of its own', { hint: 'pick the folder from the list (listFolders)' });
      return { path: await opts.chooseFolder(start && expandHome(start, env)) };
    },

    liveTree: async (request) => toLiveTreeResult(await liveTreeOf(liveTreeRequest(request))),

    watchLiveTree: async ({ streamId, ...request }) => liveTrees.start(streamId, { ...liveTreeRequest(request), hubs: watchHubs }),

    stopLiveTree: async ({ streamId }) => ({ stopped: liveTrees.stop(streamId) }),

    watchDrift: async ({ streamId, ...request }) => drifts.start(streamId, driftRequest(request)),

    stopDrift: async ({ streamId }) => ({ stopped: drifts.stop(streamId) }),

    rememberRepository: async ({ dir, app, path }) => ({ repositories: rememberRecent(settingsPath, { dir, ...(app !== undefined && { app }), ...(path !== undefined && { path }) }) }),

    startLogs: async ({ streamId, context, kubeconfig, ...log }) => {
      const o = options();
      return logs.start({ streamId, kubeconfig: kubeconfigFor(kubeconfig), context, log, ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }) });
    },

    stopLogs: async ({ streamId }) => ({ stopped: logs.stop(streamId) }),

    events: { subscribe: (listener) => hub.subscribe(listener) },

    close: async () => {
      await Promise.all([applies.close(), logs.close(), liveTrees.close(), drifts.close()]);
      await watchHubs.close();
      closed = true;
      history?.close();
      history = undefined;
      await repos.closeAll();
    },
  };
}
