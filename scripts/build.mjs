// npm run build: bundles the Node side (CLI, Electron main and preload) with esbuild and the
// renderer with Vite, into dist/.
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const started = Date.now();
const log = (m) => console.error(`[build] ${m}`);

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning' };
log('engine, CLI, Electron shell and the parse worker (esbuild)');
await Promise.all([
  esbuild({ ...node, format: 'esm', entryPoints: { 'cli/slipway': 'cli/slipway.ts', 'electron/main': 'electron/main.ts', 'manifest/parse-worker': 'core/manifest/parse-worker.ts' }, outdir: 'dist' }),
  // Sandboxed preloads must be CommonJS and self-contained.
  esbuild({ ...node, packages: undefined, external: ['electron'], format: 'cjs', entryPoints: { 'electron/preload': 'electron/preload.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } }),
]);
log('renderer (vite)');
await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
