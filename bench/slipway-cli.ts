/**
 * The built `slipway` command for benches that run it as users do, a fresh process each time:
 * where it is, building it so the current code is measured, and an environment whose data and
 * cache folders live in a bench folder (the user's own are left alone).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { timeProcess, type ProcessTime } from './process-time.js';

export const root = new URL('..', import.meta.url).pathname;
export const slipwayBin = join(root, 'bin/slipway.js');

/** npm run build, so the bench measures the current code. */
export function buildCli(log: (m: string) => void): void {
  log('building (npm run build) so the current code is measured');
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
}

/** The environment of the bench's slipway processes: history (data folder) and disk cache under `dir`. */
export function cliEnv(dir: string): NodeJS.ProcessEnv {
  return { ...process.env, SLIPWAY_APP_CACHE_DIR: join(dir, 'cache'), SLIPWAY_DATA_DIR: join(dir, 'data'), NO_COLOR: '1' };
}

/** Times one process, which must exit with one of `okCodes` (default 0). */
export async function timeOk(command: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; okCodes?: readonly number[] } = {}): Promise<ProcessTime> {
  const t = await timeProcess(command, args, { cwd: root, ...(opts.env && { env: opts.env }) });
  if (!(opts.okCodes ?? [0]).includes(t.code)) throw new Error(`${command} ${args.join(' ')} exited ${t.code}: ${t.stderr.slice(0, 2000)}`);
  return t;
}
