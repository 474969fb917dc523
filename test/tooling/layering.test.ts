/**
 * The layering of DESIGN.md is enforced by lint: a deliberate bad import in each layer must fail,
 * and the allowed imports must pass.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restrictedImportMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  it.each([
    ['core/plan/bad.ts', "import { app } from 'electron';\nexport const a = app;\n", /never imports electron/],
    ['core/plan/bad.ts', "import { useState } from 'react';\nexport const s = useState;\n", /never imports electron, react/],
    ['core/plan/bad.ts', "import * as monaco from 'monaco-editor';\nexport const m = monaco;\n", /monaco/],
    ['core/plan/bad.ts', "import { App } from '../../renderer/src/App.js';\nexport const a = App;\n", /never imports the layers built on top/],
    ['renderer/src/bad.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", /no Node built-ins/],
    ['renderer/src/bad.ts', "import { join } from 'path';\nexport const j = join;\n", /no Node built-ins/],
    ['renderer/src/bad.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n", /never imports electron/],
    ['renderer/src/bad.ts', "import { SLIPWAY_VERSION } from '../../core/version.js';\nexport const v = SLIPWAY_VERSION;\n", /contract types from core/],
    ['renderer/src/bad.ts', "import { commands } from '../../core/api/contract.js';\nexport const c = commands;\n", /contract types from core/],
    // Of core, only the contract's types: a type of any other module is the engine's business.
    ['renderer/src/bad.ts', "import type { Plan } from '../../core/plan/types.js';\nexport type P = Plan;\n", /contract types from core/],
    ['renderer/src/bad.ts', "import { logsStartedSchema } from '../../core/api/contract/logs.js';\nexport const l = logsStartedSchema;\n", /contract types from core/],
    ['electron/bad.ts', "import { App } from '../renderer/src/App.js';\nexport const a = App;\n", /never imports renderer code/],
    ['cli/commands/bad.ts', "import { planApp } from '../../core/plan/service.js';\nexport const p = planApp;\n", /imports only commander and its siblings/],
    ['cli/commands/bad.ts', "import { runPlan } from '../plan.js';\nexport const r = runPlan;\n", /imports only commander and its siblings/],
    ['cli/commands/bad.ts', "import { parse } from 'yaml';\nexport const p = parse;\n", /imports only commander and its siblings/],
    ['renderer/src/components/Bad.test.tsx', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", /no Node built-ins/],
  ])('%s: rejects %j', async (file, code, message) => {
    const messages = await restrictedImportMessages(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['core/plan/good.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"],
    ['renderer/src/good.ts', "import type { HostApi } from '../../core/api/contract.js';\nexport type H = HostApi;\n"],
    // The contract's parts (core/api/contract/) are the contract too.
    ['renderer/src/good.ts', "import type { LogsStarted } from '../../core/api/contract/logs.js';\nexport type L = LogsStarted;\n"],
    ['renderer/src/good.tsx', "import { useState } from 'react';\nexport const s = useState;\n"],
    // The channel names are plain strings with no dependencies: the one runtime import from core.
    ['renderer/src/good.ts', "import { COMMAND_CHANNELS } from '../../core/api/channels.js';\nexport const c = COMMAND_CHANNELS;\n"],
    // Component tests check their fixtures with the contract's schemas.
    ['renderer/src/components/Good.test.tsx', "import { commands } from '../../../core/api/contract.js';\nexport const c = commands;\n"],
    ['renderer/src/testing/good.ts', "import { commands } from '../../../core/api/contract.js';\nexport const c = commands;\n"],
    ['electron/good.ts', "import { app } from 'electron';\nimport { SLIPWAY_VERSION } from '../core/version.js';\nexport const a = [app, SLIPWAY_VERSION];\n"],
    ['cli/commands/good.ts', "import { Command } from 'commander';\nimport type { Plan } from '../../core/plan/types.js';\nimport { addAppOptions } from './options.js';\nexport const c: [Command?, Plan?, typeof addAppOptions?] = [];\n"],
  ])('%s: allows %j', async (file, code) => {
    expect(await restrictedImportMessages(file, code)).toEqual([]);
  });
});
