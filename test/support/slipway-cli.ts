/**
 * The `slipway` command as users run it, for integration tests: a fresh process of bin/slipway.js
 * (build first: `npm run build`), with helm and kustomize on PATH, no colour, and the test's own
 * app cache folder.
 */
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const root = new URL('../..', import.meta.url).pathname;

/** A runner of the CLI; `tmp`: the test's folder (its cache goes in tmp/cache). */
export function slipwayCli(opts: { readonly tmp: string; readonly tools: { readonly helm: string; readonly kustomize: string; readonly jsonnet?: string }; readonly env?: NodeJS.ProcessEnv }): (args: readonly string[]) => CliRun {
  const env = { ...process.env, SLIPWAY_APP_CACHE_DIR: join(opts.tmp, 'cache'), NO_COLOR: '1', PATH: [dirname(opts.tools.helm), dirname(opts.tools.kustomize), ...(opts.tools.jsonnet ? [dirname(opts.tools.jsonnet)] : []), process.env.PATH ?? ''].join(delimiter), ...opts.env };
  return (args) => {
    const r = spawnSync(process.execPath, [`${root}bin/slipway.js`, ...args], { encoding: 'utf8', env });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/** A run as an assertion message shows it. */
export const showRun = (r: CliRun): string => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
