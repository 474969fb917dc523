/**
 * `slipway --version` and `--help` must print at once (issue 21: ≤ 150 ms), so what the built CLI's
 * entry loads is the program's definition only — cli/, commander, the version and SlipwayError —
 * and each command's implementation (engine, Kubernetes client, git, SQLite) is a chunk its
 * action imports. Checked on the build (scripts/build.mjs): the files of dist/cli/ reachable from
 * slipway.js by static imports, the modules esbuild bundled into them (it heads each with a
 * `// path` comment), and the packages they import from node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = new URL('../../dist/cli/', import.meta.url).pathname;

/** The specifiers of a built ES module's static imports (`import … from "x"`, `import "x"`; not `import("x")`). */
function staticImports(code: string): string[] {
  return [...code.matchAll(/^import\s(?:[^;]*?\sfrom\s*)?"([^"]+)";?$/gm)].map((m) => m[1]!);
}

/** The source modules esbuild bundled into a file: the `// path` line it writes before each. */
function bundledModules(code: string): string[] {
  return [...code.matchAll(/^\/\/ (\S+\.(?:ts|js|mjs|cjs|json))$/gm)].map((m) => m[1]!);
}

/** What loads with `file` (in dist/cli/): its source modules, and the packages it imports from node_modules. */
function loadedWith(file: string): { modules: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string): void => {
    if (files.has(f)) return;
    files.add(f);
    const code = readFileSync(join(dist, f), 'utf8');
    for (const m of bundledModules(code)) modules.add(m);
    for (const spec of staticImports(code)) {
      if (spec.startsWith('./')) visit(spec.slice(2));
      else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) packages.add(spec);
    }
  };
  visit(file);
  return { modules, packages };
}

/** The definition of the program: the CLI's own modules, the version, SlipwayError (core/model), commander. */
const AT_START = /^(cli\/|core\/version\.ts$|core\/model\/(diagnostics|resource)\.ts$|node_modules\/commander\/)/;

describe('the built CLI at start', () => {
  it('loads the program definition only, before a command runs', () => {
    if (!existsSync(join(dist, 'slipway.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
    const { modules, packages } = loadedWith('slipway.js');
    expect([...modules].filter((m) => !AT_START.test(m))).toEqual([]);
    // Of the CLI, only the flags: no command's implementation.
    expect([...modules].filter((m) => m.startsWith('cli/') && !/^cli\/(commands\/[\w-]+|main|slipway|error-text)\.ts$/.test(m))).toEqual([]);
    expect([...packages].filter((p) => p !== 'commander')).toEqual([]);
  });

  it('reads static imports and bundled modules of esbuild output', () => {
    const code = 'import {\n  a,\n  b\n} from "./chunk-A.js";\nimport { Command } from "commander";\nimport "./side.js";\n\n// core/plan/service.ts\nconst x = await import("./plan-B.js");\n// node_modules/yaml/dist/index.js\n';
    expect(staticImports(code)).toEqual(['./chunk-A.js', 'commander', './side.js']);
    expect(bundledModules(code)).toEqual(['core/plan/service.ts', 'node_modules/yaml/dist/index.js']);
  });
});
