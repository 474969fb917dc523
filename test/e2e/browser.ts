/**
 * Drives Debian's Chromium with playwright-core (never a downloaded browser) for end-to-end tests
 * of the renderer in browser mode.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.SLIPWAY_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set SLIPWAY_CHROMIUM`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ServedApp {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the server printed so far (engine failures are logged there). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `slipway serve` from the build and returns the one-time address it prints. `env` adds to (or, with undefined, removes from) this process's environment. */
export async function serveApp(args: readonly string[] = [], opts: { env?: Readonly<Record<string, string | undefined>> } = {}): Promise<ServedApp> {
  const root = new URL('../../', import.meta.url).pathname;
  const child = spawn(process.execPath, [`${root}bin/slipway.js`, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`slipway serve printed no address within 20s:\n${output}`)), 20_000);
    const onData = (c: Buffer): void => {
      output += c.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`slipway serve exited (${code}):\n${output}`)));
  });
  return {
    url,
    process: child,
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
