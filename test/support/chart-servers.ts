/**
 * Real chart sources for tests: a Helm chart repository (charts made by `helm package` and indexed
 * by `helm repo index`) served over HTTP with basic auth by a small Node process, and a CNCF
 * distribution registry (built from its Go module, cached like kustomize) with charts pushed by
 * `helm push`. Both listen on loopback and are stopped by the test.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { cacheDir } from '../cluster/paths.js';

export const REGISTRY_VERSION = 'v3.1.2';

export interface Running {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** `helm package` of each chart folder into dir, then `helm repo index` over it. */
export function packageCharts(helm: string, charts: readonly string[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const c of charts) execFileSync(helm, ['package', c, '--destination', dir], { stdio: 'pipe' });
  execFileSync(helm, ['repo', 'index', dir], { stdio: 'pipe' });
}

/** A chart repository served over HTTP with basic auth; `requests()` lists what it was asked so far ("GET /index.yaml"). */
export async function startChartRepo(dir: string, auth: { user: string; password: string }): Promise<Running & { requests(): readonly string[] }> {
  const script = fileURLToPath(new URL('./basic-auth-server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, dir, auth.user, auth.password], { stdio: ['ignore', 'pipe', 'inherit'] });
  const requests: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^port (\d+)$/.exec(line);
        if (m) resolve(Number(m[1]));
        else if (line.startsWith('request ')) requests.push(line.slice('request '.length));
      }
    });
    child.once('exit', (code) => reject(new Error(`chart repository server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, port, stop: stopper(child), requests: () => [...requests] };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/** The distribution registry binary, built once per version and Go version into the test cache. */
export function ensureRegistry(): string {
  const gover = execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  const key = createHash('sha256').update(`${REGISTRY_VERSION}\0${gover}`).digest('hex').slice(0, 12);
  const dir = join(cacheDir(), 'tools', `registry-${REGISTRY_VERSION}-${key}`);
  const bin = join(dir, 'registry');
  if (existsSync(bin)) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    execFileSync('go', ['install', `github.com/distribution/distribution/v3/cmd/registry@${REGISTRY_VERSION}`], {
      cwd: tmpdir(),
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false -trimpath', GOTOOLCHAIN: 'local', GOBIN: tmp },
      stdio: 'pipe',
      timeout: 15 * 60_000,
    });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}

/** With `auth`, the registry asks for HTTP basic auth (distribution's htpasswd, bcrypt). */
export async function startRegistry(binary: string, dataDir: string, auth?: { user: string; password: string }): Promise<Running> {
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  const config = join(dataDir, 'config.yml');
  let authConfig = '';
  if (auth) {
    const htpasswd = join(dataDir, 'htpasswd');
    writeFileSync(htpasswd, `${auth.user}:${bcrypt.hashSync(auth.password, 10)}\n`);
    authConfig = `auth:\n  htpasswd:\n    realm: charts\n    path: ${htpasswd}\n`;
  }
  writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dataDir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n${authConfig}`);
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' } });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const status = (await fetch(`${url}/v2/`)).status;
      if (status === 200 || status === 401) return { url, port, stop: stopper(child) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopper(child)();
  throw new Error('the registry did not start');
}
