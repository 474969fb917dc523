// npm run build: bundles the Node side (CLI, Electron main and preload) with esbuild and the
// renderer with Vite, into dist/.
import { readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const started = Date.now();
const log = (m) => console.error(`[build] ${m}`);

const node = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning' };
log('engine, CLI, Electron shell and the parse worker (esbuild)');
/**
 * The CLI is split into chunks: `slipway --version` and `--help` load only the entry (commander and
 * the flags of cli/commands/), and a command's action imports its chunk, so a command loads what
 * it uses instead of the whole engine. The chunks sit beside the entry in dist/cli/, where the
 * paths code finds relative to its own file (import.meta.url: the renderer, the parse worker,
 * package.json) are the same as from the entry.
 *
 * The packages are bundled into the chunks too: Node loads an ES module file by file, and
 * @kubernetes/client-node alone is ~1,000 files (its index imports every generated API), so
 * loading what `slipway plan` uses took ~2 s of CPU from node_modules and ~0.7 s bundled. Left
 * out: better-sqlite3 (a native addon found beside its package) and ws's optional native helpers
 * (not installed; ws goes without them). CommonJS packages call `require`, which an ES module
 * lacks: the banner makes one.
 */
async function buildCli() {
  const out = 'dist/cli';
  const result = await esbuild({
    ...node,
    packages: undefined,
    external: ['better-sqlite3', 'bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __slipwayCreateRequire } from 'node:module'; const require = __slipwayCreateRequire(import.meta.url);" },
    format: 'esm',
    splitting: true,
    entryPoints: { slipway: 'cli/slipway.ts' },
    outdir: out,
    chunkNames: '[name]-[hash]',
    metafile: true,
  });
  // Chunks of earlier builds (their names hold a hash of their contents) are deleted once the new ones are written.
  const written = new Set(Object.keys(result.metafile.outputs).map((f) => basename(f)));
  for (const f of readdirSync(out)) if (!written.has(f)) rmSync(join(out, f), { force: true });
}

await Promise.all([
  buildCli(),
  esbuild({ ...node, format: 'esm', entryPoints: { 'electron/main': 'electron/main.ts', 'manifest/parse-worker': 'core/manifest/parse-worker.ts' }, outdir: 'dist' }),
  // Sandboxed preloads must be CommonJS and self-contained.
  esbuild({ ...node, packages: undefined, external: ['electron'], format: 'cjs', entryPoints: { 'electron/preload': 'electron/preload.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } }),
]);
log('renderer (vite)');
await vite({ configFile: 'vite.config.ts', logLevel: 'warn' });
log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
