/**
 * slipway history: the apply runs of an app or a context, one run with its objects, or who changed
 * one object (cli/commands/history.ts defines the flags).
 */
import { InvalidArgumentError } from 'commander';
import { openHistory } from '../core/history/history.js';
import { SlipwayError } from '../core/model/diagnostics.js';
import { formatKey } from '../core/model/resource.js';
import type { HistoryFlags } from './commands/history.js';
import { historyPath, openRepositoryArg } from './common.js';

export async function runHistory(runId: string | undefined, flags: HistoryFlags): Promise<void> {
  const history = openHistory({ path: historyPath(flags) });
  try {
    if (runId) {
      const run = history.run(runId);
      if (!run) throw new SlipwayError('unknown-run', `no run ${runId} in ${history.path}`);
      if (flags.json) return void process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      process.stdout.write(`${run.id}  ${run.kind} ${run.status}  ${run.app.name} @ ${run.commit.slice(0, 12)} → ${run.cluster.context}  by ${run.user.kube}  ${run.startedAt}\n`);
      if (run.error) process.stdout.write(`  error: ${run.error}\n`);
      for (const o of run.objects) process.stdout.write(`  ${o.outcome.padEnd(9)} ${(o.hook ? `hook ${o.hook}` : o.action).padEnd(7)} ${formatKey(o.key)}${o.message ? `  ${o.message}` : ''}\n`);
      return;
    }
    if (flags.resource) {
      const m = /^([^./]+)(?:\.([^/]+))?\/(.+)$/.exec(flags.resource);
      if (!m) throw new InvalidArgumentError('--resource takes Kind[.group]/name, e.g. Deployment.apps/web');
      const entries = history.historyOfResource({ key: { group: m[2] ?? '', version: '', kind: m[1]!, name: m[3]!, ...(flags.namespace && { namespace: flags.namespace }) }, limit: flags.limit });
      if (flags.json) return void process.stdout.write(`${JSON.stringify(entries.items, null, 2)}\n`);
      if (entries.items.length === 0) process.stdout.write('no runs touched it\n');
      for (const e of entries.items) process.stdout.write(`${e.run.startedAt}  ${e.result.action.padEnd(7)} ${e.result.outcome.padEnd(9)} ${e.run.id}  ${e.run.app.name} @ ${e.run.commit.slice(0, 12)} → ${e.run.cluster.context}  by ${e.run.user.kube}${e.run.user.gitAuthor ? ` (commit by ${e.run.user.gitAuthor})` : ''}\n`);
      return;
    }
    let page;
    if (flags.context) page = history.runsOfContext({ context: flags.context, limit: flags.limit });
    else {
      if (!flags.app) throw new InvalidArgumentError('give --app (with --repo) or --context, or a run id');
      const repo = await openRepositoryArg(flags.repo);
      page = history.runsOfApp({ repo: repo.dir, app: flags.app, limit: flags.limit });
      await repo.close();
    }
    if (flags.json) return void process.stdout.write(`${JSON.stringify(page.items, null, 2)}\n`);
    if (page.items.length === 0) process.stdout.write('no runs\n');
    for (const r of page.items) process.stdout.write(`${r.id}  ${r.startedAt}  ${r.kind.padEnd(8)} ${r.status.padEnd(11)} ${r.app.name} @ ${r.commit.slice(0, 12)} → ${r.cluster.context}  by ${r.user.kube}\n`);
  } finally {
    history.close();
  }
}
