/**
 * slipway plan: what applying a revision to a cluster context would do. Exit codes follow
 * Terraform's --detailed-exitcode: 0 no changes, 1 error, 2 changes present. An app of apps is
 * planned with its child apps (their changes and errors count too, except on a cluster that runs
 * Argo CD, where Argo CD syncs them and their plans are a preview).
 */
import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import { planApp } from '../core/plan/service.js';
import { renderPlanJson } from '../core/plan/view-json.js';
import { argoCdSyncsChildren, childPlansInOrder, planAppSet, type PlanSet } from '../core/plan/plan-set.js';
import { openHistory } from '../core/history/history.js';
import { whyFromHistory } from '../core/engine/why.js';
import { addOverrideOptions, planRequestOf, type OverrideFlags } from './app-overrides.js';
import { addAppOptions, addKubeconfigOption, addRequestTimeoutOption, contextOf, historyPath, openRepositoryArg, type AppFlags } from './common.js';
import { addFormatOptions, formatOf, renderPlanSetAs, type FormatFlags } from './format.js';

interface PlanFlags extends AppFlags, OverrideFlags, FormatFlags {
  context?: string;
  kubeconfig?: string;
  out?: string;
  detailedExitcode?: boolean;
  color: boolean;
  concurrency: number;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
  /** A path, or false with --no-history. */
  history?: string | false;
  /** False with --no-children. */
  children: boolean;
  why?: boolean;
  whySince?: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number from 1 to 256');
  return n;
}

export function registerPlan(program: Command): void {
  addFormatOptions(addOverrideOptions(addRequestTimeoutOption(addKubeconfigOption(addAppOptions(program
    .command('plan')
    .description('show what applying a revision of an app to a cluster context would do (nothing is changed)'))))))
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--out <file>', 'also save the plan as JSON, to apply it later exactly (whatever --format prints)')
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
    .option('--no-color', 'no ANSI colours (also when NO_COLOR is set or the output is not a terminal)')
    .option('--concurrency <n>', 'parallel dry-run calls to the API server', positiveInt, 16)
    .option('--history <file>', 'history database whose last successful apply lets unchanged objects skip their dry-run (default: in the user data folder, or $SLIPWAY_HISTORY)')
    .option('--no-history', 'dry-run every object, ignoring what earlier applies recorded')
    .option('--no-children', 'plan the app only, not the child apps it defines (Argo CD Applications; Flux HelmReleases on a cluster without Flux)')
    .option('--why', "list under each change the commits that changed its sources since the app's last apply to this cluster (from the history; else each object's last 20), and for plain YAML which lines of the after side each commit last changed")
    .option('--why-since <revision>', 'as --why, listing the commits since this revision (a branch, tag or commit) instead of the last apply')
    .action(async (flags: PlanFlags) => {
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
    });
}
