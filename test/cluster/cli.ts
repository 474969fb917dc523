/**
 * npm run cluster -- up | down | status | build
 *
 *   up      build what is missing (cached), start the local cluster (or reuse a healthy one) and print the kubeconfig path
 *   down    stop the processes `up` started and remove the cluster's data
 *   status  say whether a cluster is running, and where its kubeconfig is
 *   build   only build/fetch the binaries and tools (warms the cache)
 */
import { Command } from 'commander';
import { ensureClientTools, ensureControlPlane } from './build.js';
import { CONTEXTS, down, readState, up } from './cluster.js';
import { KUBERNETES_VERSION } from './versions.js';

const log = (m: string): void => console.error(`[cluster] ${m}`);

const program = new Command('npm run cluster --')
  .description(`Local Kubernetes v${KUBERNETES_VERSION} for Slipway's tests, built from Go modules`)
  .showHelpAfterError();

program.command('up').description('start the cluster (reuses a healthy one); prints the kubeconfig path on stdout').action(async () => {
  const { state } = await up({ log });
  log(`contexts: ${Object.values(CONTEXTS).join(', ')}`);
  log(`try: ${state.tools.kubectl} --kubeconfig ${state.kubeconfig} get --raw /version`);
  console.log(state.kubeconfig);
});

program.command('down').description('stop the cluster and remove its data').action(async () => {
  await down({ log });
});

program.command('status').description('print whether the cluster is running').action(() => {
  const state = readState();
  if (!state) {
    console.log('not running');
    process.exitCode = 1;
    return;
  }
  console.log(`Kubernetes v${state.version}; kubeconfig: ${state.kubeconfig}`);
  for (const p of state.processes) console.log(`  ${p.name} pid ${p.pid} log ${p.log}`);
});

program.command('build').description('build the control plane and fetch client tools into the cache').action(async () => {
  const bins = await ensureControlPlane(log);
  const tools = await ensureClientTools(log);
  for (const [name, path] of Object.entries({ ...bins, ...tools })) console.log(`${name}\t${path}`);
});

program.parseAsync().catch((e: unknown) => {
  log(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
