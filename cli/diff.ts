/**
 * slipway diff: the plan views for comparisons — two revisions (no cluster), or the live state of
 * a revision's objects in two contexts (e.g. staging against prod).
 */
import { InvalidArgumentError } from 'commander';
import { KubeClient } from '../core/kube/client.js';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import { compareContexts, compareRevisions } from '../core/plan/compare.js';
import { renderApp } from '../core/render/render.js';
import { resolveApp } from '../core/plan/child-apps.js';
import { withWhy } from '../core/plan/why/explain.js';
import { WORKING_COPY } from '../core/git/types.js';
import type { DiffFlags } from './commands/diff.js';
import { contextOf, openRepositoryArg, selectionOf, treesCacheDir } from './common.js';
import { formatOf, renderPlanSetAs } from './format.js';

/** Compares two revisions, or two contexts (cli/commands/diff.ts defines the flags). */
export async function runDiff(flags: DiffFlags): Promise<void> {
  const format = formatOf(flags);
  if (!flags.from && !flags.againstContext) throw new InvalidArgumentError('give --from REV to compare revisions, or --against-context CTX to compare contexts');
  const repo = await openRepositoryArg(flags.repo);
  const selection = selectionOf(flags);
  try {
    let plan;
    if (flags.from) {
      const [before, after] = [await repo.resolve(flags.from), await repo.resolve(flags.to ?? 'HEAD')];
      const { app } = await resolveApp(repo, after, selection, { cacheDir: treesCacheDir() });
      const opts = { cacheDir: treesCacheDir() };
      plan = compareRevisions({ app, repo: repo.dir, before: await renderApp(repo, before, app, opts), after: await renderApp(repo, after, app, opts), labels: { before: flags.from, after: flags.to ?? 'HEAD' } });
      // The compare base is the base of why this change.
      if (flags.why) plan = await withWhy(plan, { repo, revision: after, app, sourceType: plan.inputs.app.sourceType, base: { commit: before.kind === 'commit' ? before.oid : WORKING_COPY, what: `--from ${flags.from}` } });
    } else {
      const kubeconfig = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
      const context = contextOf(kubeconfig, flags.context);
      const revision = await repo.resolve(flags.rev);
      const { app } = await resolveApp(repo, revision, selection, { cacheDir: treesCacheDir() });
      const render = await renderApp(repo, revision, app, { cacheDir: treesCacheDir() });
      const clientOpts = flags.requestTimeout !== undefined ? { timeoutMs: flags.requestTimeout } : {};
      const [before, after] = [new KubeClient(kubeconfig, flags.againstContext!, clientOpts), new KubeClient(kubeconfig, context, clientOpts)];
      try {
        plan = await compareContexts({ app, render, repo: repo.dir, before, after });
      } finally {
        await Promise.all([before.close(), after.close()]);
      }
      if (flags.why) plan = await withWhy(plan, { repo, revision, app, sourceType: plan.inputs.app.sourceType, noBase: 'a comparison of two contexts has no base revision' });
    }
    const color = flags.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
    process.stdout.write(renderPlanSetAs(format, { plan, children: [] }, { color }));
  } finally {
    await repo.close();
  }
}
