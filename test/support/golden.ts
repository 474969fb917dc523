/**
 * Golden files: expected output kept next to the fixtures. `UPDATE_GOLDEN=1 npm test -- …`
 * rewrites them (review the diff before committing); a missing golden file fails the test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export function expectGolden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run with UPDATE_GOLDEN=1 to create it, then review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

export function expectGoldenJson(path: string, actual: unknown): void {
  expectGolden(path, `${JSON.stringify(actual, null, 2)}\n`);
}
