import react from '@vitejs/plugin-react';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        // Fast, pure tests in one process: a test here keeps Vitest's 5 s default. Properties set
        // their own timeouts (sized to their run counts); anything that starts a process goes to `tooling`.
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'cli/**/*.test.ts', 'electron/**/*.test.ts', 'test/unit/**/*.test.ts'],
          exclude: [...configDefaults.exclude, '**/*.process.test.ts'],
          environment: 'node',
          // Secret values enter plan hashes (and so plan ids) under the user's key: a fixed one keeps
          // golden plan ids the same on every machine, and the tests away from the user's key file.
          env: { SLIPWAY_SECRET_HASH_KEY: '5eed'.repeat(16) },
        },
      },
      {
        // Black-box tests of whole programs: the built CLI (`npm test` builds dist/ first), ESLint with
        // the layering rules, and `*.process.test.ts` beside a module, which start Node children under tsx.
        test: {
          name: 'tooling',
          include: ['test/tooling/**/*.test.ts', 'core/**/*.process.test.ts', 'cli/**/*.process.test.ts', 'electron/**/*.process.test.ts'],
          environment: 'node',
          // A Node start is ~1 s when idle and 10-15 s on a loaded 2-core machine; a test starts a few.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Component tests of the renderer (jsdom), each against the in-memory HostApi (renderer/src/testing).
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['renderer/src/testing/setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // Tests share one real cluster; files run one at a time to keep it calm on small machines.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // The plan review tests need the real cluster (same setup as integration tests).
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The UI waits on the engine, git and the API server: give polled assertions time on a busy 2-core machine.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          // One Chromium at a time on small machines.
          fileParallelism: false,
        },
      },
    ],
  },
});
