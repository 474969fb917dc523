/**
 * `-n/--namespace` means the app's namespace on every command that takes it, and every one checks
 * it is a namespace name before anything runs (a render's -n is Helm's release namespace).
 */
import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './main.js';

/** The program with errors thrown instead of printed and exiting. */
function quietProgram(): Command {
  const program = buildProgram();
  for (const cmd of [program, ...program.commands]) cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  return program;
}

const parseError = (args: readonly string[]): Promise<unknown> => quietProgram().parseAsync(['node', 'slipway', ...args]).then(() => undefined, (e: unknown) => e);

describe('-n/--namespace', () => {
  it.each(['render', 'plan', 'apply', 'rollback', 'status', 'logs'])('%s refuses a name that cannot be a namespace before running', async (command) => {
    const err = await parseError([command, '--repo', '/nonexistent', '--path', 'app', '-n', 'Not_A_Namespace']);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).code).toBe('commander.invalidArgument');
    expect((err as CommanderError).message).toContain('expected a namespace name');
  });

  it.each(['Shop', '-shop', 'shop-', 'my_shop', 'x'.repeat(64)])('plan refuses %j', async (value) => {
    const err = await parseError(['plan', '--repo', '/nonexistent', '--path', 'app', '-n', value]);
    expect((err as CommanderError).code).toBe('commander.invalidArgument');
  });
});
