/**
 * `-n/--namespace` means the app's namespace on every command that takes it, and every one checks
 * it is a namespace name before anything runs (a render's -n is Helm's release namespace).
 */
import { CommanderError, type Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { namespaceName } from './app-overrides.js';
import { buildProgram } from './main.js';

/** The program with errors thrown instead of printed and exiting. */
function quietProgram(): Command {
  const program = buildProgram();
  for (const cmd of [program, ...program.commands]) cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  return program;
}

describe('-n/--namespace', () => {
  it.each(['render', 'plan', 'apply', 'rollback', 'status', 'logs'])('%s refuses a name that cannot be a namespace before running', async (command) => {
    const run = quietProgram().parseAsync(['node', 'slipway', command, '--repo', '/nonexistent', '--path', 'app', '-n', 'Not_A_Namespace']);
    const err = await run.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).code).toBe('commander.invalidArgument');
    expect((err as CommanderError).message).toContain('expected a namespace name');
  });

  it.each([
    ['shop', true],
    ['a', true],
    ['team-1', true],
    ['Shop', false],
    ['-shop', false],
    ['shop-', false],
    ['my_shop', false],
    ['x'.repeat(64), false],
  ])('namespaceName(%j) accepts it: %s', (value, ok) => {
    if (ok) expect(namespaceName(value)).toBe(value);
    else expect(() => namespaceName(value)).toThrow(/expected a namespace name/);
  });
});
