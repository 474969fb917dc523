/**
 * Plans made from an earlier run, for both front doors: a rollback (the app as that run left it,
 * at its commit, in its namespace and context) and a revert (the exact undo of what it changed).
 * A rollback may also go to a revision; it then counts as a rollback of the last run that applied
 * that commit, if this history has one.
 */
import type { Repository } from '../git/types.js';
import type { History } from '../history/history.js';
import type { RunDetail, RunRecord } from '../history/types.js';
import { KubeClient } from '../kube/client.js';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import { SlipwayError } from '../model/diagnostics.js';
import { appliedEverything } from '../model/run.js';
import { withMode } from '../plan/assemble.js';
import { planApp } from '../plan/service.js';
import type { Plan } from '../plan/types.js';
import { planRevert } from '../apply/revert.js';
import type { AppOverrides } from '../source/apps.js';
import type { AppSelection } from '../source/load.js';
import type { EngineOptions } from './options.js';
import { rollbackRequest } from './rollback.js';

/** How the repository a run was applied from is opened (the UI keeps its open repositories; the CLI opens it). */
export type OpenRepository = (dir: string) => Promise<Repository>;

export interface FromRunRequest {
  readonly history: History;
  readonly openRepository: OpenRepository;
  readonly kubeconfig: LoadedKubeconfig;
  /** Default: the context the run applied to. */
  readonly context?: string;
  readonly options: EngineOptions;
}

/** A plan, and the run it rolls back to or reverts (undefined: a rollback to a revision no run of this history applied). */
export interface PlanFromRun {
  readonly plan: Plan;
  readonly repo: Repository;
  readonly of?: RunRecord;
}

export function runOf(history: History, runId: string): RunDetail {
  const run = history.run(runId);
  if (!run) throw new SlipwayError('unknown-run', `no run ${runId} in the history (${history.path})`);
  return run;
}

/** Plan the app at an earlier run's commit as that run had it; flags given now (`overrides`) still win. */
export async function planRollbackToRun(req: FromRunRequest & { readonly runId: string; readonly overrides?: AppOverrides; readonly adopt?: boolean }): Promise<PlanFromRun> {
  const run = runOf(req.history, req.runId);
  if (run.commit === ':working') throw new SlipwayError('not-a-commit', `run ${run.id} applied uncommitted files (the working copy): there is no commit to roll back to`, { hint: 'revert the run instead: it restores what the run changed' });
  const back = rollbackRequest(run, req.history.planById(run.planId));
  const repo = await req.openRepository(run.repo);
  const plan = await planApp({
    ...planOptions(req),
    repo,
    repoLabel: repo.dir,
    rev: back.rev,
    selection: back.selection,
    overrides: { ...back.overrides, ...req.overrides },
    ...(req.adopt && { adopt: true }),
    context: req.context ?? run.cluster.context,
    mode: { kind: 'rollback', to: run.id },
  });
  return { plan, repo, of: run };
}

/** Plan an app at a revision (`slipway rollback --to v1.2.0`): a rollback to the last run that applied that commit, if any. */
export async function planRollbackToRevision(
  req: Omit<FromRunRequest, 'context' | 'openRepository'> & { readonly context: string; readonly repo: Repository; readonly rev: string; readonly selection: AppSelection; readonly overrides?: AppOverrides; readonly adopt?: boolean },
): Promise<PlanFromRun> {
  const plan = await planApp({ ...planOptions(req), repo: req.repo, rev: req.rev, selection: req.selection, context: req.context, ...(req.overrides && { overrides: req.overrides }), ...(req.adopt && { adopt: true }) });
  const of = lastSucceededAt(req.history, plan);
  return { plan: of ? withMode(plan, { kind: 'rollback', to: of.id }) : plan, repo: req.repo, ...(of && { of }) };
}

/** The exact undo of a run, planned against the cluster like any plan. */
export async function planRevertOfRun(req: FromRunRequest & { readonly runId: string }): Promise<PlanFromRun> {
  const run = runOf(req.history, req.runId);
  const repo = await req.openRepository(run.repo);
  const client = new KubeClient(req.kubeconfig, req.context ?? run.cluster.context, { ...(req.options.requestTimeoutMs !== undefined && { timeoutMs: req.options.requestTimeoutMs }) });
  try {
    const plan = await planRevert({ history: req.history, runId: run.id, repo, client, cacheDir: req.options.cacheDir, ...(req.options.tools && { tools: req.options.tools }) });
    return { plan, repo, of: run };
  } finally {
    await client.close();
  }
}

function planOptions(req: Pick<FromRunRequest, 'history' | 'kubeconfig' | 'options'>): Pick<Parameters<typeof planApp>[0], 'kubeconfig' | 'cacheDir' | 'tools' | 'concurrency' | 'requestTimeoutMs' | 'lastApply'> {
  const o = req.options;
  return {
    kubeconfig: req.kubeconfig,
    cacheDir: o.cacheDir,
    ...(o.tools && { tools: o.tools }),
    ...(o.concurrency !== undefined && { concurrency: o.concurrency }),
    ...(o.requestTimeoutMs !== undefined && { requestTimeoutMs: o.requestTimeoutMs }),
    // Objects unchanged since the last successful apply skip their dry-run (the re-plan fast path).
    lastApply: req.history,
  };
}

/** The latest apply of the plan's app and commit to its cluster that applied everything (succeeded, or progressing), from this history. */
function lastSucceededAt(history: History, plan: Plan): RunRecord | undefined {
  let cursor: string | undefined;
  do {
    const page = history.runsOfApp({ repo: plan.inputs.repo, app: plan.inputs.app.name, limit: 100, ...(cursor && { before: cursor }) });
    const found = page.items.find((r) => appliedEverything(r.status) && r.commit === plan.inputs.commit && r.cluster.uid === plan.inputs.cluster?.uid);
    if (found) return found;
    cursor = page.next;
  } while (cursor);
  return undefined;
}
