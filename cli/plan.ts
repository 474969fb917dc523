/**
 * slipway plan: what applying a revision to a cluster context would do. Exit codes follow
 * Terraform's --detailed-exitcode: 0 no changes, 1 error, 2 changes present. An app of apps is
 * planned with its child apps (their changes and errors count too, except on a cluster that runs
 * Argo CD, where Argo CD syncs them and their plans are a preview).
 */
import { writeFileSync } from 'node:fs';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import { planApp } from '../core/plan/service.js';
import { renderPlanJson } from '../core/plan/view-json.js';
import { argoCdSyncsChildren, childPlansInOrder, planAppSet, type PlanSet } from '../core/plan/plan-set.js';
import { openHistory } from '../core/history/history.js';
import { whyFromHistory } from '../core/engine/why.js';
import { planRequestOf } from './app-overrides.js';
import type { PlanFlags } from './commands/plan.js';
import { contextOf, historyPath, openRepositoryArg } from './common.js';
import { formatOf, renderPlanSetAs } from './format.js';

/** Plans the app, with its child apps (cli/commands/plan.ts defines the flags). */
export async function runPlan(flags: PlanFlags): Promise<void> {
  const format = formatOf(flags);
  const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
  const context = contextOf(kubeconfig, flags.context);
  const repo = await openRepositoryArg(flags.repo);
  const history = flags.history === false ? undefined : openHistory({ path: historyPath(flags) });
  try {
    const request = {
      ...(history && { lastApply: history }),
      repo,
      kubeconfig,
      context,
      ...planRequestOf(flags),
      concurrency: flags.concurrency,
      ...((flags.why || flags.whySince !== undefined) && { why: whyFromHistory(history, { ...(flags.whySince !== undefined && { base: flags.whySince }) }) }),
    };
    // An app of apps: the parent's plan, then each child app's (core/plan/plan-set.ts).
    const set: PlanSet = flags.children ? await planAppSet(request) : { plan: await planApp(request), children: [] };
    const { plan } = set;
    if (flags.out) writeFileSync(flags.out, renderPlanJson(plan), { mode: 0o600 });
    const color = flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
    process.stdout.write(renderPlanSetAs(format, set, { color }));
    if (flags.out && set.children.length > 0) process.stderr.write(`${flags.out} holds the plan of ${plan.inputs.app.name} only; save a child app's plan with slipway plan --app <child> --out <file>\n`);
    const plans = [plan, ...childPlansInOrder(set).map((c) => c.plan)];
    const errors = plans.some((p) => !p || p.summary.error > 0 || p.diagnostics.some((d) => d.severity === 'error'));
    // On a cluster that runs Argo CD the children are Argo CD's to sync: their changes are a preview.
    const applied = argoCdSyncsChildren(set) ? [plan] : plans;
    if (errors) process.exitCode = 1;
    else if (flags.detailedExitcode && applied.some((p) => p && p.summary.create + p.summary.update + p.summary.delete + p.summary.replace > 0)) process.exitCode = 2;
  } finally {
    history?.close();
    await repo.close();
  }
}
