/**
 * What `npm run demo` and `npm run screenshots` both need before Slipway starts: the local cluster
 * up (built on first use), the demo app's namespace gone from it (a clean slate: the first plan
 * creates everything), the sample repository built from scratch, and a data folder of its own
 * (empty history; settings naming the cluster's kubeconfig and the tools built with it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from '../cluster/build.js';
import { CONTEXTS, up, type ClusterState } from '../cluster/cluster.js';
import { buildDemoRepo, DEMO_NAMESPACE, type DemoRepo } from './sample-repo.js';

export interface PreparedDemo {
  readonly cluster: ClusterState;
  readonly repo: DemoRepo;
  /** For SLIPWAY_DATA_DIR: settings.json, and the history once something is applied. */
  readonly dataDir: string;
}

export async function prepareDemo(opts: { readonly repoDir: string; readonly dataDir: string; readonly log: Log }): Promise<PreparedDemo> {
  const { log } = opts;
  log('starting the local Kubernetes cluster (the first run builds it from source, which takes several minutes; later runs reuse it)');
  const { state } = await up({ log: (m) => console.error(`[cluster] ${m}`) });
  const kubectl = (...args: string[]): ReturnType<typeof spawnSync> => spawnSync(state.tools.kubectl, ['--kubeconfig', state.kubeconfig, '--context', CONTEXTS.admin, ...args], { encoding: 'utf8' });
  if (kubectl('get', 'namespace', DEMO_NAMESPACE).status === 0) {
    log(`removing namespace ${DEMO_NAMESPACE} left by an earlier demo`);
    const r = kubectl('delete', 'namespace', DEMO_NAMESPACE, '--wait=true', '--timeout=120s');
    if (r.status !== 0) throw new Error(`could not delete namespace ${DEMO_NAMESPACE}: ${String(r.stderr)}`);
  }
  const repo = buildDemoRepo({ dir: opts.repoDir });
  rmSync(opts.dataDir, { recursive: true, force: true });
  mkdirSync(opts.dataDir, { recursive: true });
  writeFileSync(join(opts.dataDir, 'settings.json'), `${JSON.stringify({ kubeconfig: state.kubeconfig, tools: state.tools, timeouts: { healthSeconds: 120 } }, null, 2)}\n`);
  return { cluster: state, repo, dataDir: opts.dataDir };
}

/** The environment Slipway runs with in a demo: its own data and cache folders, no history or settings overrides. */
export function demoEnv(dataDir: string, cacheDir: string): NodeJS.ProcessEnv {
  return { SLIPWAY_DATA_DIR: dataDir, SLIPWAY_APP_CACHE_DIR: cacheDir, SLIPWAY_HISTORY: '', SLIPWAY_SETTINGS: '' };
}
