// npm start: opens the desktop app; where the Electron binary is missing and cannot be fetched
// (machines that reach only the npm registry), falls back to browser mode and prints the address.
// SLIPWAY_BROWSER=1 forces browser mode.
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
    if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron');
    if (!existsSync(pathFile)) return undefined;
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(bin) ? bin : undefined;
  };
  const found = resolve();
  if (found) return { bin: found };
  log('the Electron binary is not downloaded yet: trying to fetch it once');
  const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'inherit', timeout: 120_000 });
  const after = r.status === 0 ? resolve() : undefined;
  return after ? { bin: after } : { missing: 'the Electron binary could not be downloaded (this machine may reach only the npm registry)' };
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
    const child = spawn(electron.bin, ['.'], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    browserMode(electron.missing);
  }
}
