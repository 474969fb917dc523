/**
 * The engine side of the contract: one set of handlers that both transports (Electron IPC and
 * the HTTP server) call, through `dispatch` (./dispatch.ts), which validates requests and results.
 * Transports never implement commands themselves.
 *
 * Handlers keep the repositories the user opened, by id, and the plans they made, by id, for the
 * life of the engine: `apply` takes a plan id and applies the engine's own copy of that plan,
 * never a plan object sent back by a front door. Apply runs in the background; its progress is
 * published on the event hub (`events`), which the transports carry to the windows.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { checkApplicable, type ApplyEvent } from '../apply/executor.js';
import { planRevert } from '../apply/revert.js';
import { rollbackRequest } from '../apply/rollback.js';
import { applyPlan } from '../apply/service.js';
import { openRepository } from '../git/repository.js';
import { openHistory, type History } from '../history/history.js';
import type { RunDetail, RunKind, RunRecord } from '../history/types.js';
import { KubeClient } from '../kube/client.js';
import { WORKING_COPY, type LogEntry, type RefInfo, type Repository } from '../git/types.js';
import { listContexts, loadKubeconfig } from '../kube/kubeconfig.js';
import { SlipwayError, type Diagnostic } from '../model/diagnostics.js';
import { userCacheDir, userDataDir } from '../paths.js';
import { planApp } from '../plan/service.js';
import type { Plan } from '../plan/types.js';
import type { ToolPaths } from '../render/tools.js';
import type { App } from '../source/apps.js';
import { loadApps } from '../source/load.js';
import { SLIPWAY_VERSION } from '../version.js';
import type { AppSummary, CommandHandlers, CommandResult, CommitSummary, EngineEvent, EngineInfo, RefSummary, RunDetails, RunSummary, Settings, Startup } from './contract.js';
import { createEventHub, type EventSource } from './events.js';
import { defaultSettingsPath, readSettings, writeSettings } from './settings.js';

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
}

/** Plans kept for apply, newest last; older ones must be planned again. */
const KEPT_PLANS = 50;

const DEFAULT_LOG_PAGE = 50;
/** A search reads at most this many commits per request, then hands back a cursor. */
const SEARCH_SCAN_LIMIT = 5_000;
const SEARCH_PAGE = 200;

interface OpenRepo {
  readonly id: string;
  readonly dir: string;
  readonly name: string;
  readonly repo: Repository;
}

function expandHome(path: string, env: NodeJS.ProcessEnv): string {
  if (path === '~') return env.HOME ?? homedir();
  if (path.startsWith('~/')) return join(env.HOME ?? homedir(), path.slice(2));
  return path;
}

function toRefSummary(r: RefInfo): RefSummary {
  return { kind: r.kind, name: r.name, fullName: r.fullName, oid: r.oid, ...(r.current && { current: true }) };
}

function toCommitSummary(e: LogEntry, refsByOid: ReadonlyMap<string, string[]>): CommitSummary {
  return { oid: e.oid, shortOid: e.shortOid, subject: e.subject, author: { name: e.author.name, email: e.author.email }, date: e.author.time, refs: refsByOid.get(e.oid) ?? [] };
}

function toAppSummary(app: App): AppSummary {
  return {
    name: app.name,
    path: app.path,
    sourceType: app.source.type,
    ...(app.destination.namespace !== undefined && { namespace: app.destination.namespace }),
    ...(app.destination.context !== undefined && { context: app.destination.context }),
    origin: { kind: app.origin.kind, ...(app.origin.file !== undefined && { file: app.origin.file }), ...(app.origin.line !== undefined && { line: app.origin.line }) },
    prune: app.options.prune,
    createNamespace: app.options.createNamespace,
    protected: app.options.protected,
  };
}

/** Diagnostics as plain data (no extra fields that a strict schema would refuse). */
function plainDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    ...(d.location && { location: d.location }),
    ...(d.resource && { resource: d.resource }),
  }));
}

/** A plan this engine made, with what applying it needs. */
interface KeptPlan {
  readonly plan: Plan;
  readonly repo: OpenRepo;
  readonly kubeconfig?: string;
  readonly kind: RunKind;
  readonly rollbackOf?: string;
  /** Reverts restore exactly: they take back fields others changed since (as `slipway revert`). */
  readonly forceConflicts?: boolean;
}

interface RunningApply {
  readonly abort: AbortController;
  readonly done: Promise<unknown>;
}

function toRunSummary(r: RunRecord): RunSummary {
  return {
    id: r.id,
    kind: r.kind,
    ...(r.rollbackOf !== undefined && { rollbackOf: r.rollbackOf }),
    status: r.status,
    planId: r.planId,
    summary: { ...r.summary },
    repo: r.repo,
    app: { name: r.app.name, path: r.app.path },
    commit: r.commit,
    cluster: { context: r.cluster.context, server: r.cluster.server, uid: r.cluster.uid, version: r.cluster.version },
    user: { kube: r.user.kube, ...(r.user.gitAuthor !== undefined && { gitAuthor: r.user.gitAuthor }) },
    startedAt: r.startedAt,
    ...(r.finishedAt !== undefined && { finishedAt: r.finishedAt }),
    ...(r.error !== undefined && { error: r.error }),
  };
}

/** A run with its objects' results; the snapshot hashes stay in the engine. */
function toRunDetails(r: RunDetail): RunDetails {
  return {
    ...toRunSummary(r),
    objects: r.objects.map((o) => ({
      key: { ...o.key },
      action: o.action,
      outcome: o.outcome,
      ...(o.message !== undefined && { message: o.message }),
      ...(o.wave !== undefined && { wave: o.wave }),
      ...(o.startedAt !== undefined && { startedAt: o.startedAt }),
      finishedAt: o.finishedAt,
    })),
  };
}

/** The executor's event as the contract's, for one run. */
function toEngineEvent(runId: string, e: ApplyEvent): EngineEvent {
  switch (e.type) {
    case 'started':
      return { type: 'apply-started', runId, steps: e.steps, changes: e.changes };
    case 'step-started':
      return { type: 'apply-step', runId, step: e.step, wave: e.wave, phase: e.phase, count: e.count };
    case 'object':
      return { type: 'apply-object', runId, step: e.step, key: { ...e.key }, state: e.state, ...(e.message !== undefined && { message: e.message }) };
    case 'message':
      return { type: 'apply-message', runId, text: e.text };
    case 'finished':
      return { type: 'apply-finished', runId, status: e.status, ...(e.error !== undefined && { error: e.error }), elapsedMs: e.elapsedMs };
  }
}

/** The history, told who started a run the moment it does (the run id names the apply in events). */
function tapStartRun(history: History, onRun: (runId: string) => void): History {
  return new Proxy(history, {
    get(target, prop) {
      if (prop === 'startRun') {
        return (...args: Parameters<History['startRun']>) => {
          const id = target.startRun(...args);
          onRun(id);
          return id;
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The settings' per-request timeout, as planApp and applyPlan take it. */
const requestTimeout = (s: Settings): { requestTimeoutMs?: number } => (s.timeouts.requestSeconds !== undefined ? { requestTimeoutMs: s.timeouts.requestSeconds * 1000 } : {});

const hasChanges = (p: Plan): boolean => p.summary.create + p.summary.update + p.summary.delete + p.summary.replace > 0;

export function createHandlers(opts: HandlerOptions): EngineHandlers {
  const env = opts.env ?? process.env;
  const treesDir = opts.treesDir ?? join(userCacheDir(), 'trees');
  const settingsPath = opts.settingsPath ?? defaultSettingsPath(env);
  const historyPath = opts.historyPath ?? (env.SLIPWAY_HISTORY || join(userDataDir(), 'history.db'));
  const hub = createEventHub();
  const plans = new Map<string, KeptPlan>();
  const running = new Map<string, RunningApply>();
  let history: History | undefined;
  let closed = false;
  const historyDb = (): History => {
    if (closed) throw new SlipwayError('engine-closed', 'the engine is shutting down');
    history ??= openHistory({ path: historyPath });
    return history;
  };
  const settings = (): Settings => readSettings(settingsPath).settings;
  const toolsOf = (s: Settings): ToolPaths | undefined => {
    if (opts.tools) return opts.tools;
    const t = Object.fromEntries(Object.entries(s.tools).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as ToolPaths;
    return Object.keys(t).length ? t : undefined;
  };
  const keep = (entry: KeptPlan): Plan => {
    plans.delete(entry.plan.id);
    plans.set(entry.plan.id, entry);
    while (plans.size > KEPT_PLANS) plans.delete(plans.keys().next().value!);
    return entry.plan;
  };
  const repos = new Map<string, OpenRepo>();
  /** Opens in flight, by folder, so two quick requests share one repository. */
  const opening = new Map<string, Promise<OpenRepo>>();

  const repoById = (id: string): OpenRepo => {
    const open = repos.get(id);
    if (!open) throw new SlipwayError('unknown-repository', `no open repository has id ${id}`, { hint: 'open the repository again' });
    return open;
  };

  const kubeconfigFor = (path: string | undefined): ReturnType<typeof loadKubeconfig> => {
    const file = path || settings().kubeconfig;
    return loadKubeconfig(file ? { path: expandHome(file, env) } : { env });
  };

  const runOf = (runId: string): RunDetail => {
    const run = historyDb().run(runId);
    if (!run) throw new SlipwayError('unknown-run', `no run ${runId} in the history (${historyPath})`);
    return run;
  };

  async function open(path: string): Promise<OpenRepo> {
    const abs = resolve(expandHome(path, env));
    const pending = opening.get(abs);
    if (pending) return pending;
    const work = (async () => {
      const repo = await openRepository(abs);
      const id = `repo-${createHash('sha256').update(repo.dir).digest('hex').slice(0, 16)}`;
      const existing = repos.get(id);
      if (existing) {
        await repo.close();
        return existing;
      }
      const entry: OpenRepo = { id, dir: repo.dir, name: basename(repo.dir), repo };
      repos.set(id, entry);
      return entry;
    })();
    opening.set(abs, work);
    try {
      return await work;
    } finally {
      opening.delete(abs);
    }
  }

  /** The repository a run was applied from (history names it by folder). */
  const openRepoAt = async (dir: string): Promise<OpenRepo> => {
    try {
      return await open(dir);
    } catch (err) {
      throw new SlipwayError('repository-missing', `cannot open ${dir}, the repository the run was applied from: ${err instanceof Error ? err.message : String(err)}`, { hint: 'the folder may have moved: open it again and plan the revision you want' });
    }
  };

  return {
    engineInfo: async () => ({ version: SLIPWAY_VERSION, platform: process.platform, transport: opts.transport }),

    getStartup: async () => ({ ...opts.startup }),

    openRepository: async ({ path }) => {
      const { id, dir, name } = await open(path);
      return { id, dir, name };
    },

    listRevisions: async ({ repoId, query, limit = DEFAULT_LOG_PAGE, after }) => {
      const { repo } = repoById(repoId);
      const refs = await repo.listRefs();
      const q = query?.trim().toLowerCase() ?? '';
      const refsByOid = new Map<string, string[]>();
      for (const r of refs) refsByOid.set(r.oid, [...(refsByOid.get(r.oid) ?? []), r.name]);
      const refMatches = (r: RefInfo): boolean => q === '' || r.name.toLowerCase().includes(q);

      let commits: CommitSummary[] = [];
      let next: string | undefined;
      if (q === '') {
        const page = await repo.log({ limit, ...(after && { after }) });
        commits = page.entries.map((e) => toCommitSummary(e, refsByOid));
        next = page.next;
      } else {
        const matches = (e: LogEntry): boolean =>
          e.subject.toLowerCase().includes(q) || e.author.name.toLowerCase().includes(q) || e.author.email.toLowerCase().includes(q) || e.oid.startsWith(q) || (refsByOid.get(e.oid) ?? []).some((n) => n.toLowerCase().includes(q));
        let cursor = after;
        let scanned = 0;
        scan: for (;;) {
          const page = await repo.log({ limit: SEARCH_PAGE, ...(cursor && { after: cursor }) });
          for (const [i, e] of page.entries.entries()) {
            scanned++;
            if (matches(e)) commits.push(toCommitSummary(e, refsByOid));
            const more = i < page.entries.length - 1 || page.next !== undefined;
            if ((commits.length >= limit || scanned >= SEARCH_SCAN_LIMIT) && more) {
              next = e.oid;
              break scan;
            }
          }
          if (!page.next) break;
          cursor = page.next;
        }
      }

      let workingCopy: CommandResult<'listRevisions'>['workingCopy'] = null;
      try {
        const wc = await repo.resolve(WORKING_COPY);
        workingCopy = { rev: WORKING_COPY, ...(wc.kind === 'working-copy' && wc.head !== undefined && { head: wc.head }) };
      } catch (err) {
        if (!(err instanceof SlipwayError && err.code === 'no-working-copy')) throw err;
      }

      const of = (kind: RefInfo['kind']): RefSummary[] => refs.filter((r) => r.kind === kind && refMatches(r)).map(toRefSummary);
      return { branches: of('branch'), remoteBranches: of('remote-branch'), tags: of('tag'), workingCopy, commits, ...(next && { next }) };
    },

    listApps: async ({ repoId, rev }) => {
      const { repo } = repoById(repoId);
      const catalog = await loadApps(repo, await repo.resolve(rev));
      const folders = (catalog.folders ?? []).map((f) => ({ path: f.path, sourceType: f.sourceType }));
      return { apps: catalog.apps.map(toAppSummary), configured: catalog.configured, diagnostics: plainDiagnostics(catalog.diagnostics), folders };
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

    plan: async ({ repoId, rev, app, path, context, kubeconfig, namespace, prune, createNamespace, adopt }) => {
      const open = repoById(repoId);
      const s = settings();
      const tools = toolsOf(s);
      const plan = await planApp({
        repo: open.repo,
        repoLabel: open.dir,
        rev,
        selection: { ...(app !== undefined && { app }), ...(path !== undefined && { path }) },
        kubeconfig: kubeconfigFor(kubeconfig),
        context,
        overrides: { ...(namespace !== undefined && { namespace }), ...(prune !== undefined && { prune }), ...(createNamespace !== undefined && { createNamespace }) },
        ...(adopt && { adopt }),
        cacheDir: treesDir,
        concurrency: s.concurrency,
        ...requestTimeout(s),
        // Objects unchanged since the last successful apply skip their dry-run (the re-plan fast path).
        lastApply: historyDb(),
        ...(tools && { tools }),
      });
      return keep({ plan, repo: open, ...(kubeconfig && { kubeconfig }), kind: 'apply' });
    },

    apply: async ({ planId, confirmContext, forceConflicts }) => {
      const kept = plans.get(planId);
      if (!kept) throw new SlipwayError('unknown-plan', `this engine has no plan ${planId}`, { hint: 'plans are kept while the engine runs: plan again, review, then apply' });
      const { plan } = kept;
      checkApplicable(plan);
      if (!hasChanges(plan)) throw new SlipwayError('no-changes', 'the plan has no changes: there is nothing to apply');
      const s = settings();
      const context = plan.inputs.cluster!.context;
      const why = plan.inputs.app.protected ? `app ${plan.inputs.app.name} is protected` : s.protectedContexts.includes(context) ? `context ${context} is protected` : undefined;
      if (why && confirmContext?.trim() !== context) throw new SlipwayError('confirmation-needed', `${why}: type the context name (${context}) to apply`);
      // A second apply of the same app is refused by the app's Lease in the cluster (status `refused`).
      const abort = new AbortController();
      let runId: string | undefined;
      let finished = false;
      const early: ApplyEvent[] = [];
      const publish = (e: ApplyEvent): void => {
        if (!runId) return void early.push(e);
        if (e.type === 'finished') finished = true;
        hub.publish(toEngineEvent(runId, e));
      };
      let started!: (id: string) => void;
      let failedBeforeStart!: (e: unknown) => void;
      const runStarted = new Promise<string>((ok, fail) => {
        started = ok;
        failedBeforeStart = fail;
      });
      const tools = toolsOf(s);
      const done = applyPlan({
        plan,
        repo: kept.repo.repo,
        kubeconfig: kubeconfigFor(kept.kubeconfig),
        history: tapStartRun(historyDb(), (id) => {
          runId = id;
          running.set(id, { abort, done });
          started(id);
        }),
        cacheDir: treesDir,
        kind: kept.kind,
        ...(kept.rollbackOf && { rollbackOf: kept.rollbackOf }),
        ...((kept.forceConflicts || forceConflicts) && { forceConflicts: true }),
        ...(tools && { tools }),
        ...(s.timeouts.healthSeconds !== undefined && { timeoutMs: s.timeouts.healthSeconds * 1000 }),
        concurrency: s.concurrency,
        ...requestTimeout(s),
        signal: abort.signal,
        onEvent: publish,
      }).then(
        () => undefined,
        (err: unknown) => {
          failedBeforeStart(err);
          if (runId && !finished) hub.publish({ type: 'apply-finished', runId, status: 'failed', error: err instanceof Error ? err.message : String(err), elapsedMs: 0 });
          if (runId) console.error(`slipway engine: apply ${runId} failed:`, err);
        },
      ).finally(() => {
        if (runId) running.delete(runId);
      });
      const id = await runStarted;
      // Events the executor sent before the run id was known (none today; kept in order if any).
      for (const e of early.splice(0)) publish(e);
      return { runId: id, planId };
    },

    cancelApply: async ({ runId }) => {
      const run = running.get(runId);
      if (!run) return { cancelled: false };
      run.abort.abort();
      return { cancelled: true };
    },

    listRuns: async (request) => {
      const page = { ...(request.limit !== undefined && { limit: request.limit }), ...(request.before !== undefined && { before: request.before }) };
      const result = 'context' in request ? historyDb().runsOfContext({ context: request.context, ...page }) : historyDb().runsOfApp({ repo: repoById(request.repoId).dir, app: request.app, ...page });
      return { runs: result.items.map(toRunSummary), ...(result.next !== undefined && { next: result.next }) };
    },

    runDetails: async ({ runId }) => toRunDetails(runOf(runId)),

    planRollback: async ({ runId, context, kubeconfig }) => {
      const run = runOf(runId);
      if (run.commit === ':working') throw new SlipwayError('not-a-commit', `run ${run.id} applied uncommitted files (the working copy): there is no commit to roll back to`, { hint: 'revert the run instead: it restores what the run changed' });
      const back = rollbackRequest(run, historyDb().planById(run.planId));
      const open = await openRepoAt(run.repo);
      const s = settings();
      const tools = toolsOf(s);
      const plan = await planApp({
        repo: open.repo,
        repoLabel: open.dir,
        rev: back.rev,
        selection: back.selection,
        overrides: back.overrides,
        kubeconfig: kubeconfigFor(kubeconfig),
        context: context ?? run.cluster.context,
        cacheDir: treesDir,
        concurrency: s.concurrency,
        ...requestTimeout(s),
        // Objects unchanged since the last successful apply skip their dry-run (the re-plan fast path).
        lastApply: historyDb(),
        ...(tools && { tools }),
      });
      return keep({ plan, repo: open, ...(kubeconfig && { kubeconfig }), kind: 'rollback', rollbackOf: run.id });
    },

    planRevert: async ({ runId, context, kubeconfig }) => {
      const run = runOf(runId);
      const open = await openRepoAt(run.repo);
      const s = settings();
      const tools = toolsOf(s);
      const client = new KubeClient(kubeconfigFor(kubeconfig), context ?? run.cluster.context, { ...(s.timeouts.requestSeconds !== undefined && { timeoutMs: s.timeouts.requestSeconds * 1000 }) });
      try {
        const plan = await planRevert({ history: historyDb(), runId: run.id, repo: open.repo, client, cacheDir: treesDir, ...(tools && { tools }) });
        return keep({ plan, repo: open, ...(kubeconfig && { kubeconfig }), kind: 'revert', rollbackOf: run.id, forceConflicts: true });
      } finally {
        await client.close();
      }
    },

    getSettings: async () => {
      const loaded = readSettings(settingsPath);
      return { settings: loaded.settings, file: settingsPath, ...(loaded.problem && { problem: loaded.problem }) };
    },

    saveSettings: async (value) => ({ settings: writeSettings(settingsPath, value), file: settingsPath }),

    events: { subscribe: (listener) => hub.subscribe(listener) },

    close: async () => {
      for (const r of running.values()) r.abort.abort();
      await Promise.all([...running.values()].map((r) => r.done));
      closed = true;
      history?.close();
      history = undefined;
      const open = [...repos.values()];
      repos.clear();
      await Promise.all(open.map((r) => r.repo.close()));
    },
  };
}
