/**
 * sops and age-keygen for the SOPS tests, built from their Go modules and cached by version and
 * Go version, like kustomize in build.ts: tests make an age key and encrypt fixtures with the real sops.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cached, goEnv, goVersion, inputsKey, runGo, type Log } from './build.js';
import { cacheDir } from './paths.js';

export const SOPS_VERSION = 'v3.13.3';
export const AGE_VERSION = 'v1.3.2';

export interface SopsTools {
  readonly sops: string;
  readonly ageKeygen: string;
}

export async function ensureSopsTools(log: Log): Promise<SopsTools> {
  const dir = join(cacheDir(), 'tools', `sops-${SOPS_VERSION}-age-${AGE_VERSION}-${inputsKey(goVersion())}`);
  if (!existsSync(join(dir, 'sops')) || !existsSync(join(dir, 'age-keygen'))) {
    log(`building sops ${SOPS_VERSION} and age-keygen ${AGE_VERSION} (cold: a few minutes on 2 cores)`);
    await cached(dir, ['sops', 'age-keygen'], async (tmp) => {
      const env = { ...goEnv(), GOBIN: tmp };
      // One module per `go install`.
      await runGo(['install', '-v', `filippo.io/age/cmd/age-keygen@${AGE_VERSION}`], { cwd: tmpdir(), env, what: 'age-keygen', total: 0, log });
      await runGo(['install', '-v', `github.com/getsops/sops/v3/cmd/sops@${SOPS_VERSION}`], { cwd: tmpdir(), env, what: 'sops', total: 0, log });
    });
  }
  return { sops: join(dir, 'sops'), ageKeygen: join(dir, 'age-keygen') };
}
