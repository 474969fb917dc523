/**
 * `slipway` — the command-line front door to the engine; every command is a thin view over core/.
 *
 * Starting must be quick (`slipway --version` and `--help` print at once): the program is built
 * from cli/commands/, which defines each command's flags and imports nothing heavier than
 * commander; a command's implementation (and with it the engine, the Kubernetes client, git,
 * SQLite) is imported by its action, when that command runs.
 */
import { Command } from 'commander';
import { SLIPWAY_VERSION } from '../core/version.js';
import { registerApply } from './commands/apply.js';
import { registerApps } from './commands/apps.js';
import { registerContexts } from './commands/contexts.js';
import { registerDiff } from './commands/diff.js';
import { registerHistory } from './commands/history.js';
import { registerLogs } from './commands/logs.js';
import { registerPlan } from './commands/plan.js';
import { registerRender } from './commands/render.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerWatch } from './commands/watch.js';

export function buildProgram(): Command {
  const program = new Command('slipway')
    .description('Terraform-style plan / apply for Kubernetes: a reviewable plan from any Git revision, safe apply, local history and rollback.')
    .version(SLIPWAY_VERSION, '-v, --version', 'print the Slipway version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError()
    .addHelpText('after', '\nDocumentation: README.md in the Slipway repository.');

  // In the order `slipway --help` lists them.
  registerApps(program);
  registerRender(program);
  registerPlan(program);
  registerDiff(program);
  registerApply(program);
  registerHistory(program);
  registerStatus(program);
  registerContexts(program);
  registerLogs(program);
  registerWatch(program);
  registerServe(program);

  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  await program.parseAsync([...argv]);
}
