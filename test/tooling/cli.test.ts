import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string; bin: { slipway: string } };

function slipway(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(`${root}dist/cli/slipway.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
  const r = spawnSync(process.execPath, [`${root}${pkg.bin.slipway}`, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('slipway CLI', () => {
  it('prints its version', () => {
    expect(slipway('--version')).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
  });

  it('prints help with its commands', () => {
    const r = slipway('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: slipway \[options\] \[command\]/);
    expect(r.stdout).toContain('serve');
    expect(r.stdout).toContain('--version');
  });

  it('rejects an unknown command with help and a non-zero exit', () => {
    const r = slipway('plna');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown command 'plna'/);
  });

  it('rejects a bad port for serve', () => {
    const r = slipway('serve', '--port', 'http');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/expected a port number/);
  });
});
