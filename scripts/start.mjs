// npm start: opens the desktop app; where the Electron binary is missing and cannot be fetched
// (machines that reach only the npm registry), falls back to browser mode and prints the address.
// SLIPWAY_BROWSER=1 forces browser mode. Arguments go to either (`--repo <dir> --app <name> --rev <rev>
// --context <name>` open that repository first).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const log = (m) => console.error(`[start] ${m}`);

function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const resolve = () => {
    const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const bin = override ? join(override, name ?? 'electron') : name && join(pkgDir, 'dist', name);
    return bin && existsSync(bin) ? bin : undefined;
  };
  const found = resolve();
  if (found) return { bin: found };
  log('the Electron binary is not downloaded yet: trying to fetch it once');
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], timeout: 120_000, encoding: 'utf8' });
  const after = r.status === 0 ? resolve() : undefined;
  if (after) return { bin: after };
  const why = (r.stderr ?? '').split('\n').find((l) => l.trim()) ?? `exit ${r.status}`;
  return { missing: `the Electron binary could not be downloaded (${why.trim()}; this machine may reach only the npm registry)` };
}

function browserMode(reason) {
  if (reason) log(`${reason}; starting browser mode instead`);
  const child = spawn(process.execPath, ['dist/cli/slipway.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.env.SLIPWAY_BROWSER === '1') {
  browserMode();
} else {
  const electron = electronBinary();
  if (electron.bin) {
    const child = spawn(electron.bin, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    browserMode(electron.missing);
  }
}
