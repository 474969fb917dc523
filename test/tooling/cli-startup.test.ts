/**
 * `slipway --version` and `--help` must print at once (issue 21: ≤ 150 ms), so the built CLI's entry
 * loads only commander, Node's built-ins and the few small modules the program's definition needs;
 * each command's implementation (engine, Kubernetes client, git, SQLite) is a chunk its action
 * imports. Checked on the build: the static imports reachable from dist/cli/slipway.js.
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

/** The packages and built-ins loaded with `file` (relative to dist/cli/), and the files of dist/cli/ loaded with it. */
function loadedWith(file: string): { packages: Set<string>; files: Set<string> } {
  const packages = new Set<string>();
  const files = new Set<string>();
  const visit = (f: string): void => {
    if (files.has(f)) return;
    files.add(f);
    for (const spec of staticImports(readFileSync(join(dist, f), 'utf8'))) {
      if (spec.startsWith('./')) visit(spec.slice(2));
      else packages.add(spec);
    }
  };
  visit(file);
  return { packages, files };
}

const builtin = (spec: string): boolean => spec.startsWith('node:') || builtinModules.includes(spec);

describe('the built CLI at start', () => {
  it('loads only commander and Node built-ins before a command runs', () => {
    if (!existsSync(join(dist, 'slipway.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
    const { packages, files } = loadedWith('slipway.js');
    expect([...packages].filter((p) => !builtin(p))).toEqual(['commander']);
    // The entry and a few small chunks (the flags, the version, SlipwayError), not the engine.
    const bytes = [...files].reduce((n, f) => n + readFileSync(join(dist, f)).length, 0);
    expect(bytes).toBeLessThan(100_000);
  });

  it('reads the staticImports of esbuild output, and not dynamic ones', () => {
    const code = 'import {\n  a,\n  b\n} from "./chunk-A.js";\nimport { Command } from "commander";\nimport "./side.js";\nconst x = await import("./plan-B.js");\n';
    expect(staticImports(code)).toEqual(['./chunk-A.js', 'commander', './side.js']);
  });
});
