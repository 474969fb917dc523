// Lint, and the layering rules of DESIGN.md:
//   core/      never imports electron, react, monaco, or anything from renderer/, electron/ or cli/
//   renderer/  never imports Node built-ins, electron, or anything of core but the contract's types (core/api/contract.ts and its
//              parts in core/api/contract/) and the channel names (core/api/channels.ts)
//   core/      inside: floors, enforced by dependency-cruiser (.dependency-cruiser.cjs) in `npm run lint`
//   electron/  never imports renderer/ code (it loads the built page)
//   cli/commands/  the flags of each command, loaded at every start: imports commander and its siblings only
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];
const uiLibraries = ['electron', 'react', 'react-dom', 'react-dom/*', 'react/*', 'monaco-editor', 'monaco-editor/*', '@monaco-editor/*'];

export const layerRules = {
  core: {
    paths: [],
    patterns: [
      { group: uiLibraries, message: 'core/ is plain Node: it never imports electron, react or monaco (DESIGN.md layering).' },
      { regex: '^(\\.{1,2}/)+(.*/)?(renderer|electron|cli)(/|$)', message: 'core/ never imports the layers built on top of it (renderer/, electron/, cli/).' },
    ],
  },
  renderer: {
    paths: nodeBuiltins.map((name) => ({ name, message: 'renderer/ runs in a browser: no Node built-ins. Ask the engine through HostApi.' })),
    patterns: [
      { group: ['electron', 'electron/*'], message: 'renderer/ never imports electron: it talks to the engine through the injected HostApi.' },
      // Of core, the contract only: channels.ts is its list of channel names (plain strings, no runtime dependencies), so the
      // renderer may import it; the contract's types come from contract.ts, which re-exports its parts in core/api/contract/.
      { regex: '(^|/)core(/(?!api/channels\\.js$|api/contract\\.js$|api/contract/[^/]+\\.js$).*)?$', message: 'renderer/ imports only contract types from core (`import type` from core/api/contract.ts or its parts in core/api/contract/), and the channel names of core/api/channels.ts; the rest of core is the engine.' },
      { regex: '(^|/)core/api/contract(/[^/]+)?\\.js$', allowTypeImports: true, message: 'renderer/ imports only contract types from core (use `import type`): the schemas and all runtime code stay in the engine.' },
    ],
  },
  /**
   * Component tests and their support (the renderer's *.test.ts(x) files, renderer/src/testing/): still no
   * Node built-ins or electron, but they may run the contract's schemas, to check their fixtures
   * and the requests the UI sends.
   */
  rendererTests: {
    paths: nodeBuiltins.map((name) => ({ name, message: 'renderer tests run the renderer as a browser would: no Node built-ins.' })),
    patterns: [{ group: ['electron', 'electron/*'], message: 'renderer tests never import electron.' }],
  },
  electron: {
    paths: [],
    patterns: [{ regex: '^(\\.{1,2}/)+(.*/)?renderer(/|$)', message: 'electron/ loads the built renderer page; it never imports renderer code.' }],
  },
  /**
   * cli/commands/ is loaded by every start of the CLI, also `slipway --version` and `--help`, which
   * must print at once (issue 21): the flags only. What a command does is imported by its action
   * (`await import('../plan.js')`), so the engine loads when a command runs.
   */
  cliCommands: {
    paths: [],
    patterns: [{ regex: '^(?!commander$|\\./)', allowTypeImports: true, message: "cli/commands/ loads at every start of the CLI (--version, --help): it imports only commander and its siblings; import a command's implementation in its action (await import('../x.js')), and other modules' types with `import type`." }],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cluster/**', 'release/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['core/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', layerRules.core] } },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { '@typescript-eslint/no-restricted-imports': ['error', layerRules.renderer] },
  },
  { files: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx', 'renderer/src/testing/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', layerRules.rendererTests] } },
  { files: ['electron/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', layerRules.electron] } },
  { files: ['cli/commands/**/*.ts'], ignores: ['cli/commands/**/*.test.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', layerRules.cliCommands] } },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
