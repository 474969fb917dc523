/**
 * slipway diff: the plan views for comparisons — two revisions (no cluster), or the live state of
 * a revision's objects in two contexts (e.g. staging against prod).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { KubeClient } from '../core/kube/client.js';
import { listContexts, loadKubeconfig } from '../core/kube/kubeconfig.js';
import { compareContexts, compareRevisions } from '../core/plan/compare.js';
import { renderApp } from '../core/render/render.js';
import { resolveApp } from '../core/plan/child-apps.js';
import { withWhy } from '../core/plan/why/explain.js';
import { WORKING_COPY } from '../core/git/types.js';
import { addAppOptions, addKubeconfigOption, addRevOption, addRequestTimeoutOption, contextOf, openRepositoryArg, selectionOf, treesCacheDir } from './common.js';
import { addFormatOptions, formatOf, renderPlanSetAs, type FormatFlags } from './format.js';

interface DiffFlags extends FormatFlags {
  repo: string;
  app?: string;
  path?: string;
  from?: string;
  to?: string;
  rev: string;
  context?: string;
  againstContext?: string;
  kubeconfig?: string;
  /** Milliseconds (--request-timeout). */
  requestTimeout?: number;
  color: boolean;
  why?: boolean;
}

export function registerDiff(program: Command): void {
  const diff = addAppOptions(program
    .command('diff')
    .description('compare two revisions of an app (--from/--to, no cluster needed), or its live state in two contexts (--context/--against-context)'), { rev: false })
    .option('--from <rev>', 'the older revision (the "before" side)')
    .option('--to <rev>', 'the newer revision (the "after" side)', 'HEAD');
  addRevOption(diff, 'with --against-context: the revision whose objects are compared', 'HEAD')
    .option('--context <name>', 'with --against-context: the context shown as "after"')
    .option('--against-context <name>', 'the context shown as "before" (e.g. staging, to compare prod with it)');
  addFormatOptions(diff)
    .option('--no-color', 'no ANSI colours')
    .option('--why', 'list under each difference the commits that changed its sources since --from (with --against-context: its last 20), and for plain YAML which lines each last changed');
  addRequestTimeoutOption(addKubeconfigOption(diff)).action(async (flags: DiffFlags) => {
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
    });
}

export function registerContexts(program: Command): void {
  addKubeconfigOption(program
    .command('contexts')
    .description('list the kubeconfig contexts (cluster, server, user, namespace), as kubectl merges KUBECONFIG'))
    .option('--json', 'print JSON')
    .action((flags: { kubeconfig?: string; json?: boolean }) => {
      const cfg = loadKubeconfig(flags.kubeconfig ? { path: flags.kubeconfig } : {});
      // Files left out of the merge and unusable entries: the listed contexts are still usable.
      for (const d of cfg.diagnostics) if (d.severity !== 'info') process.stderr.write(`slipway: ${d.severity}: ${d.message}\n`);
      const contexts = listContexts(cfg);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(contexts, null, 2)}\n`);
        return;
      }
      const rows = [['CURRENT', 'NAME', 'CLUSTER', 'SERVER', 'USER', 'NAMESPACE'], ...contexts.map((c) => [c.current ? '*' : '', c.name, c.cluster, c.server, c.user, c.namespace])];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      process.stdout.write(rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('   ').trimEnd()).join('\n') + '\n');
    });
}
