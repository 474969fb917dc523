/**
 * What SOPS decryption adds to a plan (issue 18: "a SOPS-encrypted app of 100 Secrets adds ≤ 200 ms
 * to a plan"): the engine's renderApp of a folder of 100 Secrets encrypted by the real sops for an
 * age key (Flux's usual --encrypted-regex ^(data|stringData)$), against the same folder of the
 * same 100 Secrets unencrypted, alternately, each render from a cleared parse cache (a plan of a new
 * revision; the repository stays open as in the app and `slipway serve`).
 *
 *   npx tsx bench/sops-bench.ts [RUNS]
 *
 * The figure is the time added: per run, encrypted minus unencrypted. Side by side, the same with
 * the sops binary decrypting each Secret (the path before in-process decryption, still the path
 * for PGP, cloud KMS and Vault): forced by giving the key only through SOPS_AGE_KEY_CMD, which
 * only sops reads (it runs `cat KEYFILE` once per sops process, ~1 ms of its ~20).
 * No cluster: sops and age-keygen come from the test tool cache (built from their Go modules).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { GitCache } from '../core/git/cache.js';
import { openRepository } from '../core/git/repository.js';
import type { Repository, Revision } from '../core/git/types.js';
import { clearRenderCaches, renderApp } from '../core/render/render.js';
import { selectApp } from '../core/source/load.js';
import { ensureSopsTools } from '../test/cluster/sops-tools.js';
import { createTestRepo } from '../test/support/git-repo.js';
import { markdownTable, speedup, summarizeSamples, type BenchRow, type BenchSection } from './report.js';

const log = (m: string): void => console.error(`[bench] sops: ${m}`);
const SECRETS = 100;
const TARGET_MS = 200;

/** A Secret of the usual shape: a few string values and one binary value. */
function secret(i: number): string {
  const id = String(i).padStart(3, '0');
  const r = (n: number): string => randomBytes(n).toString('base64url').slice(0, n);
  return `apiVersion: v1
kind: Secret
metadata:
  name: app-${id}
  labels:
    app.kubernetes.io/name: app-${id}
    app.kubernetes.io/part-of: shop
type: Opaque
stringData:
  username: svc-${id}
  password: ${r(32)}
  database-url: postgres://svc-${id}:${r(24)}@db-${id}.shop.svc:5432/app
  api-token: ${r(40)}
data:
  tls.key: ${randomBytes(192).toString('base64')}
`;
}

/** Runs `fn` with these environment variables set (undefined: removed), then puts the old ones back. */
async function withEnv<T>(vars: Readonly<Record<string, string | undefined>>, fn: () => Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>): void => {
    for (const [k, value] of Object.entries(v)) {
      if (value === undefined) delete process.env[k];
      else process.env[k] = value;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(old);
  }
}

export async function sopsSection(opts: { runs?: number } = {}): Promise<BenchSection> {
  const runs = Math.max(3, opts.runs ?? 15);
  const binaryRuns = Math.max(3, Math.ceil(runs / 3));
  const tools = await ensureSopsTools(log);
  const load = loadavg()[0]!;
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-bench-sops-'));
  const git = createTestRepo({ prefix: 'slipway-bench-sops-repo-' });
  let repo: Repository | undefined;
  try {
    const home = join(tmp, 'home');
    mkdirSync(home);
    const keyFile = join(tmp, 'age-key.txt');
    execFileSync(tools.ageKeygen, ['-o', keyFile], { stdio: 'ignore' });
    const recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(keyFile, 'utf8'))![1]!;

    log(`encrypting ${SECRETS} Secrets with sops`);
    const plain = Array.from({ length: SECRETS }, (_, i) => secret(i));
    const run = promisify(execFile);
    const encrypted: string[] = new Array<string>(SECRETS);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < SECRETS) {
          const i = next++;
          const file = join(tmp, `plain-${i}.yaml`);
          writeFileSync(file, plain[i]!);
          encrypted[i] = (await run(tools.sops, ['encrypt', '--age', recipient, '--encrypted-regex', '^(data|stringData)$', file], { cwd: tmp, env: { PATH: process.env.PATH, HOME: home } })).stdout;
        }
      }),
    );
    const name = (i: number): string => `secret-${String(i).padStart(3, '0')}.yaml`;
    git.write({
      ...Object.fromEntries(plain.map((text, i) => [`plain/${name(i)}`, text])),
      ...Object.fromEntries(encrypted.map((text, i) => [`encrypted/${name(i)}`, text])),
    });
    git.commit(`${SECRETS} Secrets, unencrypted and encrypted with sops`);
    repo = await openRepository(git.dir, { cache: new GitCache() });
    const revision: Revision = await repo.resolve('HEAD');
    const apps = { plain: (await selectApp(repo, revision, { path: 'plain' })).app, encrypted: (await selectApp(repo, revision, { path: 'encrypted' })).app };
    const cacheDir = join(tmp, 'trees');
    // The search path holds sops for the binary path; the in-process path never looks for it.
    const searchPath = [join(tools.sops, '..'), process.env.PATH ?? ''].join(':');
    const render = async (app: keyof typeof apps): Promise<number> => {
      clearRenderCaches();
      const t = performance.now();
      const result = await renderApp(repo!, revision, apps[app], { cacheDir, searchPath });
      const ms = performance.now() - t;
      const secretData = result.objects.map((o) => JSON.stringify(o.manifest.stringData ?? {}));
      if (result.objects.length !== SECRETS || secretData.some((s) => s.includes('ENC['))) throw new Error(`${app}: ${result.objects.length} objects, not all decrypted`);
      return ms;
    };
    const inProcessEnv = { HOME: home, SOPS_AGE_KEY_FILE: keyFile, SOPS_AGE_KEY: undefined, SOPS_AGE_KEY_CMD: undefined };
    const binaryEnv = { HOME: home, SOPS_AGE_KEY_FILE: undefined, SOPS_AGE_KEY: undefined, SOPS_AGE_KEY_CMD: `cat ${keyFile}` };

    // The first decryption of a fresh process (as in each `slipway plan`): after one unencrypted render warmed the rest of the path.
    const first = await withEnv(inProcessEnv, async () => {
      await render('plain');
      return (await render('encrypted')) - (await render('plain'));
    });
    const added: number[] = [];
    const plainTimes: number[] = [];
    const encryptedTimes: number[] = [];
    await withEnv(inProcessEnv, async () => {
      for (let i = 0; i < runs; i++) {
        // Alternating, so a busy moment of the machine falls on both.
        let p: number;
        let e: number;
        if (i % 2 === 0) {
          p = await render('plain');
          e = await render('encrypted');
        } else {
          e = await render('encrypted');
          p = await render('plain');
        }
        plainTimes.push(p);
        encryptedTimes.push(e);
        added.push(e - p);
      }
    });
    log(`in process: +${summarizeSamples(added).medianMs.toFixed(1)} ms`);
    const binaryAdded: number[] = [];
    await withEnv(binaryEnv, async () => {
      for (let i = 0; i < binaryRuns; i++) {
        const p = await render('plain');
        binaryAdded.push((await render('encrypted')) - p);
      }
    });
    log(`binary: +${summarizeSamples(binaryAdded).medianMs.toFixed(1)} ms`);

    const a = summarizeSamples(added);
    const b = summarizeSamples(binaryAdded);
    const met = a.medianMs <= TARGET_MS;
    const rows: BenchRow[] = [
      {
        name: `plan input (render) of an app of ${SECRETS} sops-encrypted Secrets: time added over the same Secrets unencrypted`,
        ...a,
        comparison: { name: 'the sops binary per Secret', ...b },
        ratio: speedup(Math.max(a.medianMs, 0.1), b.medianMs),
        target: { text: `≤ ${TARGET_MS} ms added`, met },
        notes:
          `Per run: the encrypted app's render minus the unencrypted one's (${runs} runs in process, ${binaryRuns} with the binary). ` +
          'In process: the data key opened with typage (age-encryption, X25519 through WebCrypto), values with AES-256-GCM and the MAC checked (node:crypto), as sops does; ' +
          `the binary: one \`sops decrypt\` process per Secret, 4 at a time. The first decryption of a fresh process (each \`slipway plan\` is one) added ${first.toFixed(0)} ms: code not yet compiled, the first WebCrypto calls. Load average when the section started: ${load.toFixed(1)} (2 cores).` +
          (met ? '' : ' Not met in this run.'),
      },
      { name: `render the ${SECRETS} Secrets unencrypted`, ...summarizeSamples(plainTimes), notes: 'For reference: the folder app, parse cache cleared before each render.' },
      { name: `render the ${SECRETS} Secrets sops-encrypted (decrypted in process)`, ...summarizeSamples(encryptedTimes), notes: 'For reference: the same, with larger files to parse (ciphertext and sops metadata) and decryption.' },
    ];
    return {
      title: 'SOPS decryption (render)',
      description:
        `${SECRETS} Secrets (4 string values and one binary value each) encrypted by the real sops for an age key with --encrypted-regex ^(data|stringData)$, as Flux users do, ` +
        'and the same Secrets unencrypted, as two folder apps of one Git repository. Each is rendered by the engine (renderApp: read, parse, decrypt), alternately, with the parse cache cleared before each render. ' +
        "Issue 18's row: the encrypted app adds ≤ 200 ms to a plan. No cluster is needed.",
      rows,
    };
  } finally {
    await repo?.close();
    git.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await sopsSection({ runs: Number(process.argv[2] ?? 15) });
  console.log(`${section.title}\n\n${section.description}\n\n${markdownTable(section.rows)}`);
}
