/**
 * The engine side of the contract: one set of handlers that both transports (Electron IPC and
 * the HTTP server) call, through `dispatch` (./dispatch.ts), which validates requests and results.
 * Transports never implement commands themselves.
 *
 * This file is the composition root of the commands: each handler maps its request onto the
 * engine and the engine's answer onto the contract. The state they share lives beside it: the
 * settings, history and open repositories (./handler-context.ts), the plans made (./kept-plans.ts:
 * `apply` takes a plan id and applies the engine's own copy, never a plan sent back by a front
 * door), the applies and streams running. What a command does lives below, in core/engine
 * (rollback, revert, the apply guard, settings → options), core/plan (planApp) and core/apply
 * (applyPlan).
 */
import { canApply } from '../engine/can-apply.js';
import { applyGuard, checkConfirmation, checkDeleteConfirmation } from '../engine/guard.js';
import { planOfRun } from '../engine/run-plan.js';
import { sourceSnippet } from '../engine/source-snippet.js';
import { planRevertOfRun, planRollbackToRun, runOf, type PlanFromRun } from '../engine/from-run.js';
import { readSettings, writeSettings } from '../engine/settings.js';
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
import { DriftStreams } from './drift-streams.js';
import { listContexts } from '../kube/kubeconfig.js';
import { SlipwayError } from '../model/diagnostics.js';
import { planApp } from '../plan/service.js';
import type { Plan } from '../plan/types.js';
import { loadAppTree } from '../plan/child-apps.js';
import { ApplyRuns } from './applies.js';
import { LogStreams } from './logs.js';
import { exportPlan } from './plan-export.js';
import type { CommandHandlers, EngineInfo, Startup, ValidRequest } from './contract.js';
import { argoCdSyncsChildren, planChildApps } from '../plan/plan-set.js';
import { selectionOf } from '../source/load.js';
import { createEventHub, type EventSource } from './events.js';
import { firstScreenHandlers } from './first-screen.js';
import { createHandlerContext, type ContextOptions } from './handler-context.js';
import { KeptPlans } from './kept-plans.js';
import { plainDiagnostics, toAppList, toChildPlanSummaries, toCommitSummary, toRefSummary, toRunDetails, toRunSummary } from './mappers.js';
import { expandHome } from './repositories.js';
import { planOptions, renderOptions, requestOptions } from './request-options.js';

export type Transport = EngineInfo['transport'];

export interface EngineHandlers extends CommandHandlers {
  /** Engine events (apply progress), validated; the transports subscribe. */
  readonly events: EventSource;
  /** Cancels running applies and waits for them, closes the history and every open repository. */
  close(): Promise<void>;
}

export interface HandlerOptions extends ContextOptions {
  readonly transport: Transport;
  /** What the front door was started with (repository, app, revision, context): `getStartup` hands it to the renderer. */
  readonly startup?: Startup;
  /** The desktop app's native folder dialog (opened at `start`; null when cancelled); without it, front doors list folders (listFolders). */
  readonly chooseFolder?: (start: string | undefined) => Promise<string | null>;
}

const DEFAULT_LOG_PAGE = 50;

export function createHandlers(opts: HandlerOptions): EngineHandlers {
  const ctx = createHandlerContext(opts);
  const { env, settingsPath, repos, watchHubs, settings, options, kubeconfigFor, historyDb } = ctx;
  const hub = createEventHub();
  const plans = new KeptPlans();
  const applies = new ApplyRuns((e) => hub.publish(e));
  const logs = new LogStreams((e) => hub.publish(e));
  const liveTrees = new LiveTreeStreams((e) => hub.publish(e));
  const drifts = new DriftStreams((e) => hub.publish(e));

  /** A plan made from a run, kept with the open repository it came from. */
  const keepFromRun = (made: PlanFromRun, kubeconfig: string | undefined): Plan => plans.keep({ plan: made.plan, repo: repos.byDir(made.repo.dir)!, ...(kubeconfig && { kubeconfig }) });
  const fromRun = (kubeconfig: string | undefined, context: string | undefined) => ({
    history: historyDb(),
    openRepository: async (dir: string) => (await repos.openAt(dir)).repo,
    kubeconfig: kubeconfigFor(kubeconfig),
    ...(context !== undefined && { context }),
    options: options(),
  });

  /** What liveTree and watchLiveTree ask the engine for: the app as plan finds it, with the history for members that are gone. */
  const liveTreeRequest = ({ namespace, events, ...app }: ValidRequest<'liveTree'>): LiveTreeRequest => ({
    ...ctx.appOn(app),
    ...(namespace !== undefined && { overrides: { namespace } }),
    ...planOptions(options()),
    // Members the app's last apply left that are gone show as missing.
    lastApply: historyDb(),
    ...(events !== undefined && { eventLimit: events }),
  });

  return {
    ...firstScreenHandlers({ transport: opts.transport, startup: opts.startup, nativeFolderDialog: opts.chooseFolder !== undefined, settingsPath }),

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
      return toAppList(await loadAppTree(repo, await repo.resolve(rev), renderOptions(options())));
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

    plan: async ({ namespace, prune, createNamespace, adopt, why, ...request }) => {
      const open = repos.byId(request.repoId);
      const plan = await planApp({
        ...ctx.appOn(request),
        rev: request.rev,
        overrides: { ...(namespace !== undefined && { namespace }), ...(prune !== undefined && { prune }), ...(createNamespace !== undefined && { createNamespace }) },
        ...(adopt && { adopt }),
        ...planOptions(options()),
        // Objects unchanged since the last successful apply skip their dry-run (the re-plan fast path).
        lastApply: historyDb(),
        // The commits behind each change, since that apply (core/plan/why).
        ...(why && { why: whyFromHistory(historyDb()) }),
      });
      return plans.keep({ plan, repo: open, ...(request.kubeconfig && { kubeconfig: request.kubeconfig }), ...(why && { why }) });
    },

    planChildren: async ({ planId }) => {
      const { kept, context } = plans.onCluster(planId, 'app-at-revision');
      const { inputs } = kept.plan;
      // Each child app at the plan's commit and context; each child's plan is kept, to be applied like any plan.
      const children = await planChildApps({
        repo: kept.repo.repo,
        repoLabel: kept.repo.dir,
        rev: inputs.commit,
        selection: selectionOf(inputs.app),
        kubeconfig: kubeconfigFor(kept.kubeconfig),
        context,
        ...planOptions(options()),
        lastApply: historyDb(),
        // Planned with the commits behind each change: the children too (also when the parent had no change to explain, and so no note saying it).
        ...(kept.why && { why: whyFromHistory(historyDb()) }),
      });
      const keepChild = (plan: Plan): string => plans.keep({ plan, repo: kept.repo, ...(kept.kubeconfig && { kubeconfig: kept.kubeconfig }), ...(kept.why && { why: kept.why }) }).id;
      return { children: toChildPlanSummaries(children, keepChild), argoCdSyncs: argoCdSyncsChildren(kept) };
    },

    apply: async ({ planId, confirmContext, forceConflicts, confirmPrune }) => {
      const kept = plans.get(planId, 'plan again, review, then apply');
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
        // Reverts restore exactly: they take back fields others changed since (as `slipway revert`).
        ...((kept.plan.inputs.mode.kind === 'revert' || forceConflicts) && { forceConflicts: true }),
        ...planOptions(o),
        ...(o.healthTimeoutMs !== undefined && { timeoutMs: o.healthTimeoutMs }),
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
      const { kept, context } = plans.onCluster(planId, 'cluster', 'plan again to see the objects');
      const objects = await objectHealth({ kubeconfig: kubeconfigFor(kept.kubeconfig), context, keys, ...requestOptions(options()) });
      return { objects };
    },

    planRollback: async ({ runId, context, kubeconfig }) => keepFromRun(await planRollbackToRun({ ...fromRun(kubeconfig, context), runId }), kubeconfig),

    planRevert: async ({ runId, context, kubeconfig }) => keepFromRun(await planRevertOfRun({ ...fromRun(kubeconfig, context), runId }), kubeconfig),

    runPlan: async ({ runId }) => planOfRun(historyDb(), runId),

    exportPlan: async (request) => {
      if ('runId' in request) return exportPlan(planOfRun(historyDb(), request.runId), request.format);
      return exportPlan(plans.get(request.planId).plan, request.format);
    },

    canApply: async ({ planId }) => {
      const { kept, context } = plans.onCluster(planId, 'cluster');
      const access = await canApply({ plan: kept.plan, kubeconfig: kubeconfigFor(kept.kubeconfig), context, ...requestOptions(options()) });
      return { user: access.user, missing: [...access.missing], unchecked: [...access.unchecked] };
    },

    sourceSnippet: async ({ repoId, rev, file, line }) => {
      const snippet = await sourceSnippet(repos.byId(repoId).repo, { rev, file, line });
      return 'hidden' in snippet ? { ...snippet } : { ...snippet, lines: [...snippet.lines] };
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

    // The app as plan finds it, its applied state from the history, the context's shared watches.
    watchDrift: async ({ streamId, ...request }) => {
      const o = options();
      return drifts.start(streamId, { ...ctx.appOn(request), ...renderOptions(o), ...requestOptions(o), history: historyDb(), hubs: watchHubs });
    },

    stopDrift: async ({ streamId }) => ({ stopped: drifts.stop(streamId) }),

    rememberRepository: async ({ dir, app, path }) => ({ repositories: rememberRecent(settingsPath, { dir, ...(app !== undefined && { app }), ...(path !== undefined && { path }) }) }),

    startLogs: async ({ streamId, context, kubeconfig, ...log }) => logs.start({ streamId, kubeconfig: kubeconfigFor(kubeconfig), context, log, ...requestOptions(options()) }),

    stopLogs: async ({ streamId }) => ({ stopped: logs.stop(streamId) }),

    events: { subscribe: (listener) => hub.subscribe(listener) },

    close: async () => {
      await Promise.all([applies.close(), logs.close(), liveTrees.close(), drifts.close()]);
      await ctx.close();
    },
  };
}
