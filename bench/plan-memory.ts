/**
 * Child process of the memory benchmark: reads {kubeconfig, context, repo, rev, app, cacheDir,
 * tools} as JSON on stdin, plans once, and prints {maxRssKiB, ms, summary} as one JSON line.
 */
import { openRepository } from '../core/git/repository.js';
import { loadKubeconfig } from '../core/kube/kubeconfig.js';
import { planApp } from '../core/plan/service.js';
import type { ToolPaths } from '../core/render/tools.js';

interface Input {
  readonly kubeconfig: string;
  readonly context: string;
  readonly repo: string;
  readonly rev: string;
  readonly app: string;
  readonly cacheDir: string;
  readonly tools: ToolPaths;
}

let text = '';
for await (const chunk of process.stdin) text += String(chunk);
const input = JSON.parse(text) as Input;
const repo = await openRepository(input.repo);
const t = performance.now();
const plan = await planApp({ repo, rev: input.rev, selection: { app: input.app }, kubeconfig: loadKubeconfig({ path: input.kubeconfig }), context: input.context, cacheDir: input.cacheDir, tools: input.tools });
const ms = performance.now() - t;
await repo.close();
const s = plan.summary;
console.log(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, ms, summary: `${plan.changes.length} changes (${s.create} create, ${s.noop} noop, ${s.error} error)` }));
