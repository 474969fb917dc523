/**
 * What the desktop app opens first, from its command line: `--repo <dir>`, `--app <name>`,
 * `--rev <rev>` and `--context <name>` (or `--flag=value`), the same flags as `slipway serve`.
 * Anything else on the command line (Electron's and Chromium's own switches, the app folder) is
 * left alone. Pure, so it is unit-tested without Electron.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Startup } from '../core/api/contract.js';

const FLAGS = { '--repo': 'repository', '--app': 'app', '--rev': 'rev', '--context': 'context' } as const satisfies Record<string, keyof Startup>;
type Flag = keyof typeof FLAGS;
const isFlag = (s: string): s is Flag => Object.hasOwn(FLAGS, s);

/** The startup choice named by `args` (process.argv without the executable); a relative repository is resolved against `cwd`. */
export function startupFromArgs(args: readonly string[], cwd: string): Startup {
  const startup: { -readonly [K in keyof Startup]: Startup[K] } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!isFlag(name)) continue;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      if (eq < 0 && value !== undefined) i--;
      continue;
    }
    startup[FLAGS[name]] = name === '--repo' && !isAbsolute(value) && !/^~(\/|$)/.test(value) ? resolve(cwd, value) : value;
  }
  return startup;
}
