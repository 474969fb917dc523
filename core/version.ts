import { readFileSync } from 'node:fs';

/** Reads the product version from package.json, found by walking up from this module (works from sources and from dist/). */
function readVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'slipway' && pkg.version) return pkg.version;
    } catch {
      // not here: keep walking up
    }
    dir = new URL('..', dir);
  }
  throw new Error('slipway: cannot find its own package.json to read the version');
}

export const SLIPWAY_VERSION: string = readVersion();
