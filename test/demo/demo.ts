/**
 * npm run demo: a complete tour in one command. Starts the local cluster (building it on first
 * use), builds the sample GitOps repository (./.demo/storefront-gitops, from scratch every time),
 * removes what an earlier demo left in the cluster, and opens Slipway on that repository with
 * the app, v1.0.0 and the slipway-admin context picked: the desktop app where Electron runs, else
 * browser mode (it prints the address to open). History and settings of the demo live in
 * ./.demo/data, apart from the user's own. SLIPWAY_DEMO_DIR moves ./.demo.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CONTEXTS } from '../cluster/cluster.js';
import { repoRoot } from '../cluster/paths.js';
import { demoEnv, prepareDemo } from './prepare.js';
import { DEMO_APP, DEMO_RELEASES, PROGRESS_DEADLINE_SECONDS } from './sample-repo.js';

const started = Date.now();
const log = (m: string): void => console.error(`[demo] ${m}`);
const demoDir = process.env.SLIPWAY_DEMO_DIR || join(repoRoot, '.demo');
const context = CONTEXTS.admin;

const { repo, dataDir } = await prepareDemo({ repoDir: join(demoDir, 'storefront-gitops'), dataDir: join(demoDir, 'data'), log });
log(`sample repository: ${repo.dir}`);
for (const r of DEMO_RELEASES) log(`  ${r.tag}  ${repo.commits[r.tag]!.slice(0, 7)}  ${r.subject}`);

console.error(`
Slipway demo: one app, five releases, on the local cluster (context ${context}).
  1. v1.0.0 is picked: Plan (Ctrl+Enter), review the new objects, Apply… — Namespace, Service,
     Deployment, applied in order, each waited for until healthy.
  2. Pick v1.1.0, Plan: a ConfigMap and a Secret (its values never shown) that the Deployment reads,
     and under Hooks two Argo CD hooks, which are no changes but run with every apply: a database
     migration Job (PreSync: before the app) and a smoke test Job (PostSync: once the app is healthy).
     Apply: the steps are headed PreSync hooks, Sync (by wave and kind), PostSync hooks.
  3. Pick v1.2.0, Plan: the Deployment diff shows replicas 2 → 4. Apply.
  4. Pick v2.0.0, Plan, Apply: its Pods ask for 250 CPUs (250m was meant), so none starts, and after
     ${PROGRESS_DEADLINE_SECONDS} s the Deployment fails its progress deadline — and so does the apply.
  5. History: the failed run and each object's result; select the v1.2.0 run, Roll back to this,
     review the plan, Apply.
  6. Pick v2.1.0, Plan: the storefront drops its database, so prune deletes the ConfigMap and the
     Secret — the destroy count is red and Apply turns into "Apply (destroys 2)".
Demo data (history, settings): ${dataDir}. Stop with Ctrl+C.
`);
log(`ready after ${((Date.now() - started) / 1000).toFixed(1)} s: opening Slipway`);

const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), '--repo', repo.dir, '--app', DEMO_APP, '--rev', DEMO_RELEASES[0]!.tag, '--context', context], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, ...demoEnv(dataDir, join(demoDir, 'cache')) },
});
// Ctrl+C reaches the app too (same process group); wait for it to finish.
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
