#!/usr/bin/env node
// The `slipway` command: runs the built CLI (npm run build makes dist/).
import { existsSync } from 'node:fs';
import module from 'node:module';

const entry = new URL('../dist/cli/slipway.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('slipway: the CLI is not built yet. Run `npm run build` in the Slipway checkout first.');
  process.exit(1);
}
// Node 22.1 and later keep the code they compiled for the CLI's modules between runs (each command
// loads megabytes of bundled JavaScript); older Node has no such cache, and the call is skipped.
module.enableCompileCache?.();
await import(entry.href);
