/**
 * Apply a plan and record it: the one entry point the CLI and the UI use. The plan is recorded,
 * a run is started in history, every object's result is written as it happens (results that
 * finish within 100 ms of each other share one transaction: result-recorder.ts), and the run is finished with
 * its status — also when the apply is refused (stale plan, another apply running).
 */
import type { Repository } from '../git/types.js';
import { KubeClient } from '../kube/client.js';
import type { LoadedKubeconfig } from '../kube/kubeconfig.js';
import type { History } from '../history/history.js';
import type { RunKind } from '../history/types.js';
import { SlipwayError } from '../model/diagnostics.js';
import { identityOf } from '../model/resource.js';
import { manifestHash } from '../plan/assemble.js';
import type { Plan, PlanMode } from '../plan/types.js';
import type { ToolPaths } from '../render/tools.js';
import { desiredForPlan } from './desired.js';
import { checkApplicable, executePlan, type ApplyEvent, type ApplyResult } from './executor.js';
import { kubeClusterPort } from './kube-port.js';
import { ResultRecorder } from './result-recorder.js';

export interface ApplyRequest {
  readonly plan: Plan;
  readonly repo: Repository;
  readonly kubeconfig: LoadedKubeconfig;
  /** Default: the context the plan was made for. */
  readonly context?: string;
  readonly history: History;
  readonly cacheDir: string;
  readonly tools?: ToolPaths;
  readonly forceConflicts?: boolean;
  /** Overrides the per-kind health wait. */
  readonly timeoutMs?: number;
  /** Give up on one API request after this long; default 30 s (KubeClient). */
  readonly requestTimeoutMs?: number;
  /** Writes in flight at once within a step (default 16, as for plans). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: ApplyEvent) => void;
  /** Called once the run is in history, before anything is sent: the caller learns its id while it runs (to show or cancel it). */
  readonly onRunStarted?: (runId: string) => void;
}

export interface ApplyOutcome extends ApplyResult {
  readonly runId: string;
}

/** Who is applying, as the cluster sees it (SelfSubjectReview), else the kubeconfig user. */
export async function whoAmI(client: KubeClient): Promise<string> {
  try {
    const review = (await client.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      info: { verb: 'create', resource: 'selfsubjectreviews.authentication.k8s.io' },
    })) as { status?: { userInfo?: { username?: string } } };
    return review.status?.userInfo?.username ?? client.user;
  } catch {
    return client.user || 'unknown';
  }
}

/** The run a plan makes, from its mode: a rollback names the run it goes back to, a revert the run it undoes. */
export function runKindOf(mode: PlanMode): { kind: RunKind; rollbackOf?: string } {
  switch (mode.kind) {
    case 'rollback':
      return { kind: 'rollback', rollbackOf: mode.to };
    case 'revert':
      return { kind: 'revert', rollbackOf: mode.of };
    default:
      return { kind: 'apply' };
  }
}

export async function applyPlan(req: ApplyRequest): Promise<ApplyOutcome> {
  const { plan, history } = req;
  checkApplicable(plan);
  const context = req.context ?? plan.inputs.cluster!.context;
  const client = new KubeClient(req.kubeconfig, context, { ...(req.requestTimeoutMs !== undefined && { timeoutMs: req.requestTimeoutMs }) });
  try {
    const revision = plan.inputs.commit === ':working' ? undefined : await req.repo.resolve(plan.inputs.commit).catch(() => undefined);
    const gitAuthor = revision?.kind === 'commit' ? `${revision.author.name} <${revision.author.email}>` : undefined;
    const user = { kube: await whoAmI(client), ...(gitAuthor && { gitAuthor }) };
    history.recordPlan(plan);
    const { kind, rollbackOf } = runKindOf(plan.inputs.mode);
    const runId = history.startRun({ plan, kind, user, ...(rollbackOf && { rollbackOf }) });
    req.onRunStarted?.(runId);
    const recorder = new ResultRecorder(history, runId);
    let result: ApplyResult;
    try {
      const desired = await desiredForPlan(plan, { repo: req.repo, client, cacheDir: req.cacheDir, history, ...(req.tools && { tools: req.tools }) });
      result = await executePlan({
        plan,
        desired,
        cluster: kubeClusterPort(client),
        appliedBy: user.kube,
        ...(req.forceConflicts !== undefined && { forceConflicts: req.forceConflicts }),
        ...(req.timeoutMs !== undefined && { timeoutMs: req.timeoutMs }),
        ...(req.concurrency !== undefined && { concurrency: req.concurrency }),
        ...(req.signal && { signal: req.signal }),
        ...(req.onEvent && { onEvent: req.onEvent }),
        onObjectResult: (r) => {
          // What a re-plan needs to skip this object's dry-run: the manifest sent and the resourceVersion it left (healthy only).
          const sent = r.outcome === 'healthy' && r.hook === undefined ? desired.objects.get(identityOf(r.key))?.manifest : undefined;
          const resultResourceVersion = sent ? r.after?.metadata.resourceVersion : undefined;
          recorder.add({
            key: r.key,
            action: r.action,
            outcome: r.outcome,
            wave: r.wave,
            ...(r.hook && { hook: r.hook }),
            startedAt: r.startedAt,
            finishedAt: r.finishedAt,
            ...(r.message !== undefined && { message: r.message }),
            ...(r.before && { before: r.before }),
            ...(r.after && { after: r.after }),
            ...(sent && resultResourceVersion !== undefined && { desiredHash: manifestHash(sent), resultResourceVersion }),
          });
        },
      });
      recorder.flush();
    } catch (e) {
      recorder.flushQuietly();
      const refused = e instanceof SlipwayError && (e.code === 'plan-stale' || e.code === 'apply-in-progress');
      history.finishRun(runId, { status: refused ? 'refused' : 'failed', error: e instanceof Error ? e.message : String(e) });
      if (refused) {
        req.onEvent?.({ type: 'finished', status: 'refused', error: (e as Error).message, elapsedMs: 0 });
        return { runId, status: 'refused', error: (e as Error).message, results: [] };
      }
      throw e;
    }
    history.finishRun(runId, { status: result.status, ...(result.error !== undefined && { error: result.error }) });
    return { runId, ...result };
  } finally {
    await client.close();
  }
}
