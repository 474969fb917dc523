/**
 * slipway contexts: the kubeconfig's contexts, as kubectl merges KUBECONFIG (the flags are in
 * cli/commands/contexts.ts).
 */
import { listContexts, loadKubeconfig } from '../core/kube/kubeconfig.js';
import type { ContextsFlags } from './commands/contexts.js';

export function runContexts(flags: ContextsFlags): void {
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
}
