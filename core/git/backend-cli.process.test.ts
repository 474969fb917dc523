/**
 * The git CLI backend in a short-lived Node process (tsx): a long-lived `git cat-file` helper must
 * neither keep a CLI from exiting nor be left behind. Runs in the `tooling` project (it starts Node).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRepo, type TestRepo } from '../../test/support/git-repo.js';

/** The helper's idle close (IDLE_MS, 30 s) would end a process it kept alive: an exit well before it is prompt. */
const PROMPT_EXIT_MS = 10_000;

let t: TestRepo;
let scratch: string;
beforeAll(() => {
  t = createTestRepo({ prefix: 'slipway-catfile-' });
  t.write({ 'a.yaml': 'a: 1\n' });
  t.commit('files');
  scratch = mkdtempSync(join(tmpdir(), 'slipway-catfile-script-'));
});
afterAll(() => {
  t.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the git CLI backend in a short-lived process', () => {
  it.each(['close', 'no-close'])('lets Node exit promptly after reading (%s)', async (mode) => {
    const repositoryModule = fileURLToPath(new URL('./repository.ts', import.meta.url));
    const script = join(scratch, `exit-${mode}.mts`); // .mts: an ES module wherever it lives
    writeFileSync(
      script,
      `import { openRepository } from ${JSON.stringify(repositoryModule)};
const repo = await openRepository(process.argv[2]!, { backend: 'git-cli' });
const snap = await repo.snapshot(await repo.resolve('HEAD'), '');
await repo.readFile(snap, snap.files[0]!);
if (process.argv[3] === 'close') await repo.close();
console.log('done');
`,
    );
    // Timed from "done" to exit, not from the start: starting Node and tsx takes seconds on a busy machine.
    let doneAt: number | undefined;
    const { code, stdout, exitedAt } = await new Promise<{ code: number | null; stdout: string; exitedAt: number }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', script, t.dir, mode], { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeout: 50_000 }, (_err, out) =>
        resolve({ code: child.exitCode, stdout: out, exitedAt: performance.now() }),
      );
      child.stdout?.on('data', () => (doneAt ??= performance.now()));
    });
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: 'done' });
    expect(exitedAt - (doneAt ?? 0)).toBeLessThan(PROMPT_EXIT_MS);
  });
});
