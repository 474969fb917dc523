#!/usr/bin/env node
// The `slipway` command: runs the built CLI (npm run build makes dist/).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/slipway.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('slipway: the CLI is not built yet. Run `npm run build` in the Slipway checkout first.');
  process.exit(1);
}
await import(entry.href);
