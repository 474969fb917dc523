/**
 * External renderers (kustomize, kubectl kustomize, helm, jsonnet): found through settings or PATH, run
 * with execFile (never a shell), a timeout, and their stderr in the error when they fail.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { SlipwayError } from '../model/diagnostics.js';

export type ToolName = 'kubectl' | 'kustomize' | 'helm' | 'sops' | 'jsonnet';

/** Explicit paths from settings; a tool not listed is looked up on PATH. */
export type ToolPaths = Readonly<Partial<Record<ToolName, string>>> & {
  /** The age key file sops decrypts with (sops.ts); absent: sops' own variables and default file. */
  readonly sopsAgeKeyFile?: string;
  /** The chart repository credentials file (charts/credentials.ts); absent: $SLIPWAY_CHART_CREDENTIALS. */
  readonly chartCredentialsFile?: string;
};

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of a tool, or undefined when it is not on PATH. A path given in settings must exist:
 * a wrong setting is an error, not a silent fallback.
 */
export async function findTool(name: ToolName, opts: { settings?: ToolPaths; env?: NodeJS.ProcessEnv } = {}): Promise<string | undefined> {
  const configured = opts.settings?.[name];
  if (configured) {
    if (await isExecutable(configured)) return configured;
    throw new SlipwayError('tool-not-found', `${name} is set to ${configured} in settings, but no executable is there`, { hint: `fix the ${name} path in settings, or clear it to use ${name} from PATH` });
  }
  const path = (opts.env ?? process.env).PATH ?? '';
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function missingTool(what: string, install: string): SlipwayError {
  return new SlipwayError('tool-missing', `${what}, but it was not found on PATH or in settings`, { hint: install });
}

export interface RunOptions {
  /** Default: the process's working folder. */
  readonly cwd?: string;
  /** Default 120 s. */
  readonly timeoutMs?: number;
  /** Used in messages, e.g. "helm template" for app "shop". */
  readonly what: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the tool's stdin (e.g. values that must not touch the disk: `helm template --values -`). */
  readonly input?: string;
}

/** At most this much of a failed tool's stderr is kept with its error. */
const MAX_OUTPUT = 64 * 1024;

/** Runs a tool and returns its stdout; fails with its exit code and the tail of its stderr. */
export function runTool(file: string, args: readonly string[], opts: RunOptions): Promise<string> {
  const timeout = opts.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = execFile(file, [...args], { cwd: opts.cwd, timeout, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: opts.env ?? process.env, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const tail = stderr.trim().split('\n').slice(-30).join('\n');
      if (error.killed || (error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
        return reject(new SlipwayError('render-timeout', `${opts.what} did not finish within ${Math.round(timeout / 1000)} s${tail ? `:\n${tail}` : ''}`));
      }
      const code = typeof error.code === 'number' ? `exit ${error.code}` : String(error.code ?? error.message);
      // All it said goes along (its end, if huge): the message keeps the tail, a caller may explain the rest (tool-errors.ts).
      const output = stderr.trim().slice(-MAX_OUTPUT);
      reject(new SlipwayError('render-failed', `${opts.what} failed (${code})${tail ? `:\n${tail}` : ''}`, { ...(output && { output }), cause: error }));
    });
    if (opts.input !== undefined) {
      child.stdin?.on('error', () => undefined); // the tool may exit before reading it all; its exit code says why
      child.stdin?.end(opts.input);
    }
  });
}
