// npm test: everything, in order, with progress. Extra arguments go to vitest
// (e.g. `npm test -- --project unit`). Integration tests start the local cluster themselves
// (building it from Go modules on first use) unless SLIPWAY_TEST_KUBECONFIG points at one.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npx', ['tsc', '-b']],
  ['lint (ESLint, then the floors of core/)', 'npm', ['run', '-s', 'lint']],
  ['build', process.execPath, ['scripts/build.mjs']],
  // After the build: the tooling tier runs the built CLI from dist/.
  ['tests (unit, renderer, tooling, integration, e2e)', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];

const total = Date.now();
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.error(`\n[test] ${name} …`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`[test] ${name} failed after ${secs}s`);
    process.exit(r.status ?? 1);
  }
  console.error(`[test] ${name} ok (${secs}s)`);
}
console.error(`\n[test] all done in ${((Date.now() - total) / 1000).toFixed(0)}s`);
