/**
 * A real local Kubernetes for tests: etcd, two kube-apiservers (the main cluster and an
 * independent second one, each with its own etcd prefix and therefore its own kube-system uid),
 * kube-controller-manager and kube-scheduler, and kwok faking Nodes (capacity.ts) so Pods run and
 * Deployments become Available, Jobs finish (or fail, or hang: test/support/kwok-outcomes.ts) and
 * Pod logs stream through the API server (kwok's kubelet server). All on loopback, RBAC on, token
 * authentication.
 *
 * `up` is idempotent: if a healthy cluster from this checkout is running it is reused.
 * The kubeconfig it writes has the contexts slipway-admin, slipway-readonly and slipway-second.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ensureClientTools, ensureControlPlane, type ClientTools, type ControlPlaneBinaries, type Log } from './build.js';
import { capacityKey, KWOK_NODE_ANNOTATION, KWOK_NODE_COUNT, kwokNodeName, kwokNodes, SERVICE_CLUSTER_IP_RANGE } from './capacity.js';
import { KWOK_CRDS, kwokConfigKey, writeKwokLogsConfig } from './kwok-config.js';
import { clusterDir } from './paths.js';
import { KUBERNETES_VERSION } from './versions.js';

export const CONTEXTS = { admin: 'slipway-admin', readonly: 'slipway-readonly', second: 'slipway-second' } as const;
/** The first of the Nodes kwok pretends to run (capacity.ts). Pods scheduled to them become Running and Ready. */
export const FAKE_NODE = kwokNodeName(0);

interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  readonly binary: string;
  readonly log: string;
}

interface ApiServerRecord {
  readonly name: 'main' | 'second';
  readonly url: string;
  readonly caFile: string;
  readonly adminToken: string;
}

export interface ClusterState {
  readonly version: string;
  readonly kubeconfig: string;
  /** The etcd client URL the API servers use (absent in state files written before it was recorded: see etcdUrlOf). */
  readonly etcdUrl?: string;
  /** kwokConfigKey() when kwok was started (absent before it was recorded): another value means a restart. */
  readonly kwokConfig?: string;
  /** capacityKey() when the cluster was started (absent before it was recorded); another value is reported, not restarted (see up). */
  readonly capacity?: string;
  readonly apiservers: readonly ApiServerRecord[];
  readonly processes: readonly ProcessRecord[];
  readonly tools: ClientTools;
}

export interface UpResult {
  readonly state: ClusterState;
  /** False when a healthy cluster was already running and was reused; only the starter should stop it. */
  readonly startedNow: boolean;
}

const statePath = (): string => join(clusterDir(), 'state.json');

export function readState(): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A pid is ours only if it is alive and still runs the binary we started (pids get reused). */
function isOurs(p: ProcessRecord): boolean {
  if (!alive(p.pid)) return false;
  try {
    return readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0')[0] === p.binary;
  } catch {
    return true; // no /proc (macOS): trust the pid
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls until `probe` answers (not undefined), or gives up after `timeoutMs` — or at once when
 * `gone` says the process it waits for has exited — quoting the end of `logFile`.
 */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, logFile?: string, gone?: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  let why = '';
  let delay = 50;
  while (Date.now() < deadline && !(why = gone?.() ?? '')) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await sleep(delay);
    delay = Math.min(250, delay * 2);
  }
  const tail = logFile && existsSync(logFile) ? `\nlast lines of ${logFile}:\n${readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n')}` : '';
  throw new Error(`${why ? `gave up` : `timed out after ${timeoutMs / 1000}s`} waiting for ${what}${why ? ` (${why})` : ''}${lastError ? ` (${lastError})` : ''}${tail}`);
}

/** One HTTPS call to an API server with a bearer token; resolves with status and body. */
export function apiCall(api: { url: string; caFile: string; token: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, api.url),
      {
        method,
        ca: readFileSync(api.caFile),
        headers: { authorization: `Bearer ${api.token}`, ...(data ? { 'content-type': 'application/json' } : {}) },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * The etcd client URL of a running cluster: recorded in the state, or (state files written before
 * it was) read from the etcd process's own command line.
 */
export function etcdUrlOf(state: ClusterState): string | undefined {
  if (state.etcdUrl) return state.etcdUrl;
  const etcd = state.processes.find((p) => p.name === 'etcd');
  if (!etcd || !isOurs(etcd)) return undefined;
  try {
    const args = readFileSync(`/proc/${etcd.pid}/cmdline`, 'utf8').split('\0');
    return args.find((a) => a.startsWith('--advertise-client-urls='))?.slice('--advertise-client-urls='.length).split(',')[0];
  } catch {
    return undefined;
  }
}

async function healthy(state: ClusterState): Promise<boolean> {
  if (!state.processes.every(isOurs)) return false;
  for (const a of state.apiservers) {
    try {
      const r = await apiCall({ url: a.url, caFile: a.caFile, token: a.adminToken }, 'GET', '/readyz');
      if (r.status !== 200) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function startProcess(dir: string, name: string, binary: string, args: string[]): ProcessRecord {
  const log = join(dir, 'logs', `${name}.log`);
  const fd = openSync(log, 'a');
  // Detached with its own process group, so it outlives `npm run cluster -- up` and `down` can stop it.
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], cwd: dir });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${name} (${binary})`);
  return { name, pid: child.pid, binary, log };
}

function componentKubeconfig(file: string, api: ApiServerRecord): void {
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: api.name, cluster: { server: api.url, 'certificate-authority': api.caFile } }],
      users: [{ name: 'admin', user: { token: api.adminToken } }],
      contexts: [{ name: api.name, context: { cluster: api.name, user: 'admin' } }],
      'current-context': api.name,
    }),
    { mode: 0o600 },
  );
}

async function expectOk(r: Promise<{ status: number; body: string }>, what: string, okStatuses: number[] = [200, 201]): Promise<void> {
  const res = await r;
  if (!okStatuses.includes(res.status)) throw new Error(`${what}: HTTP ${res.status}: ${res.body.slice(0, 500)}`);
}

export async function up(opts: { log: Log }): Promise<UpResult> {
  const { log } = opts;
  const existing = readState();
  const current = existing && existing.version === KUBERNETES_VERSION && existing.kwokConfig === kwokConfigKey();
  if (existing && current && (await healthy(existing))) {
    log(`cluster already running (Kubernetes v${existing.version}); kubeconfig: ${existing.kubeconfig}`);
    // Not replaced on its own, unlike a changed version or kwok configuration: a test run would restart the cluster under the runs using it.
    if (existing.capacity !== capacityKey()) log(`the running cluster holds less than this checkout expects (${existing.capacity ?? 'started before capacity.ts: a /24 Service range and one Node'}; this checkout: ${capacityKey()}): run \`npm run cluster -- down\` and \`up\` when nobody uses it`);
    return { state: existing, startedNow: false };
  }
  if (existing) {
    log(current ? 'found a stopped or unhealthy cluster from an earlier run: cleaning it up' : 'found a cluster started with another Kubernetes version or kwok configuration: replacing it');
    await down({ log: () => {} });
  }

  const [bins, tools] = [await ensureControlPlane(log), await ensureClientTools(log)];
  const started = Date.now();
  const dir = clusterDir();
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['logs', 'etcd', 'certs-main', 'certs-second']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });

  const processes: ProcessRecord[] = [];
  const partialState = (): ClusterState => ({ version: KUBERNETES_VERSION, kubeconfig: '', apiservers: [], processes, tools });
  try {
    return await bootstrap(dir, bins, tools, processes, log, started);
  } catch (e) {
    // Never leave half a cluster running.
    await stopProcesses(partialState(), () => {});
    throw e;
  }
}

async function bootstrap(dir: string, bins: ControlPlaneBinaries, tools: ClientTools, processes: ProcessRecord[], log: Log, started: number): Promise<UpResult> {
  const token = (): string => randomBytes(24).toString('hex');
  const tokens = { admin: token(), readonly: token(), secondAdmin: token() };
  // Token file lines: token,user,uid,"group1,group2"
  writeFileSync(join(dir, 'tokens-main.csv'), `${tokens.admin},slipway-admin,slipway-admin,"system:masters"\n${tokens.readonly},slipway-readonly,slipway-readonly,""\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'tokens-second.csv'), `${tokens.secondAdmin},slipway-admin,slipway-admin,"system:masters"\n`, { mode: 0o600 });
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  writeFileSync(join(dir, 'sa.key'), sa.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'sa.pub'), sa.publicKey);

  const ports = { etcd: await freePort(), etcdPeer: await freePort(), main: await freePort(), second: await freePort(), cmMain: await freePort(), cmSecond: await freePort(), sched: await freePort(), kubelet: await freePort() };

  log('starting etcd');
  const etcdUrl = `http://127.0.0.1:${ports.etcd}`;
  const etcdPeer = `http://127.0.0.1:${ports.etcdPeer}`;
  const etcd = startProcess(dir, 'etcd', bins.etcd, [
    '--name=slipway', `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=${etcdPeer}`, `--initial-advertise-peer-urls=${etcdPeer}`, `--initial-cluster=slipway=${etcdPeer}`,
    '--quota-backend-bytes=4294967296', '--unsafe-no-fsync=true', '--log-level=warn',
  ]);
  processes.push(etcd);
  await waitFor('etcd', 30_000, async () => {
    const r = await fetch(`${etcdUrl}/health`);
    return r.ok ? true : undefined;
  }, etcd.log);

  const apiservers: ApiServerRecord[] = [];
  for (const name of ['main', 'second'] as const) {
    log(`starting kube-apiserver (${name})`);
    const certDir = join(dir, `certs-${name}`);
    const port = ports[name];
    const p = startProcess(dir, `kube-apiserver-${name}`, bins.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`, `--etcd-prefix=/registry-${name}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${port}`, `--cert-dir=${certDir}`,
      `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`, '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      `--token-auth-file=${join(dir, `tokens-${name}.csv`)}`, '--authorization-mode=RBAC', '--endpoint-reconciler-type=none',
      '--allow-privileged=true', '--profiling=false', '--v=0',
      // Logs, exec and port-forward go to the Node's kubelet: kwok's server, at the Node's InternalIP
      // (127.0.0.1) and status port. No --kubelet-certificate-authority: its self-signed certificate is not verified.
      '--kubelet-preferred-address-types=InternalIP',
    ]);
    processes.push(p);
    apiservers.push({ name, url: `https://127.0.0.1:${port}`, caFile: join(certDir, 'apiserver.crt'), adminToken: name === 'main' ? tokens.admin : tokens.secondAdmin });
  }
  for (const a of apiservers) {
    await waitFor(`kube-apiserver (${a.name}) to become ready`, 90_000, async () => {
      if (!existsSync(a.caFile)) return undefined;
      const r = await apiCall({ url: a.url, caFile: a.caFile, token: a.adminToken }, 'GET', '/readyz');
      return r.status === 200 ? true : undefined;
    }, join(dir, 'logs', `kube-apiserver-${a.name}.log`));
  }
  const [mainApi, secondApi] = apiservers as [ApiServerRecord, ApiServerRecord];
  const admin = { url: mainApi.url, caFile: mainApi.caFile, token: mainApi.adminToken };

  // Read-only user: may get, list and watch everything, and nothing else (for permission tests).
  await expectOk(apiCall(admin, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'slipway-readonly' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }, { nonResourceURLs: ['*'], verbs: ['get'] }],
  }), 'create ClusterRole slipway-readonly');
  await expectOk(apiCall(admin, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'slipway-readonly' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'slipway-readonly' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'slipway-readonly' }],
  }), 'create ClusterRoleBinding slipway-readonly');

  for (const a of apiservers) componentKubeconfig(join(dir, `component-${a.name}.kubeconfig`), a);

  // kwok's Logs CRD, so tests can map a Pod's containers to log files of their own (kwok-config.ts).
  const logsCrd = parse(readFileSync(bins.kwokLogsCrd, 'utf8')) as { metadata: { name: string } };
  await expectOk(apiCall(admin, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', logsCrd), `create CustomResourceDefinition ${logsCrd.metadata.name}`);

  log('starting kube-controller-manager, kube-scheduler and kwok');
  for (const a of apiservers) {
    processes.push(startProcess(dir, `kube-controller-manager-${a.name}`, bins.kubeControllerManager, [
      `--kubeconfig=${join(dir, `component-${a.name}.kubeconfig`)}`, '--leader-elect=false', '--controllers=*',
      `--service-account-private-key-file=${join(dir, 'sa.key')}`, `--root-ca-file=${a.caFile}`,
      '--bind-address=127.0.0.1', `--secure-port=${a.name === 'main' ? ports.cmMain : ports.cmSecond}`,
      `--cert-dir=${join(dir, `certs-${a.name}`, 'cm')}`, '--profiling=false',
    ]));
  }
  processes.push(startProcess(dir, 'kube-scheduler', bins.kubeScheduler, [
    `--kubeconfig=${join(dir, 'component-main.kubeconfig')}`, '--leader-elect=false',
    '--bind-address=127.0.0.1', `--secure-port=${ports.sched}`, `--cert-dir=${join(dir, 'certs-main', 'scheduler')}`, '--profiling=false',
  ]));
  await waitFor(`CustomResourceDefinition ${logsCrd.metadata.name} to be established`, 30_000, async () => {
    const r = await apiCall(admin, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${logsCrd.metadata.name}`);
    const crd = JSON.parse(r.body) as { status?: { conditions?: { type: string; status: string }[] } };
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
  });
  // kwok also serves the kubelet API (container logs) on 127.0.0.1, the address and port its Node reports.
  processes.push(startProcess(dir, 'kwok', bins.kwok, [
    `--kubeconfig=${join(dir, 'component-main.kubeconfig')}`, '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.key}=${KWOK_NODE_ANNOTATION.value}`,
    `--server-address=127.0.0.1:${ports.kubelet}`, '--node-ip=127.0.0.1', `--node-port=${ports.kubelet}`,
    `--config=${bins.kwokStages}`, `--config=${writeKwokLogsConfig(dir)}`, `--enable-crds=${KWOK_CRDS.join(',')}`,
  ]));

  for (const node of kwokNodes()) await expectOk(apiCall(admin, 'POST', '/api/v1/nodes', node), `create Node ${node.metadata.name}`);

  await waitFor(`${KWOK_NODE_COUNT} Nodes to become Ready (kwok)`, 120_000, async () => {
    const r = await apiCall(admin, 'GET', '/api/v1/nodes?labelSelector=type%3Dkwok');
    const nodes = (JSON.parse(r.body) as { items?: { status?: { conditions?: { type: string; status: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } }[] }).items ?? [];
    const ready = nodes.filter((node) => node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && node.status?.daemonEndpoints?.kubeletEndpoint?.Port === ports.kubelet);
    return ready.length === KWOK_NODE_COUNT ? true : undefined;
  }, join(dir, 'logs', 'kwok.log'));
  for (const a of apiservers) {
    // The controller-manager creates each namespace's default ServiceAccount; Pods need it.
    await waitFor(`the default ServiceAccount (${a.name}; kube-controller-manager running)`, 60_000, async () => {
      const r = await apiCall({ url: a.url, caFile: a.caFile, token: a.adminToken }, 'GET', '/api/v1/namespaces/default/serviceaccounts/default');
      return r.status === 200 ? true : undefined;
    }, join(dir, 'logs', `kube-controller-manager-${a.name}.log`));
  }

  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'slipway', cluster: { server: mainApi.url, 'certificate-authority': mainApi.caFile } },
      { name: 'slipway-second', cluster: { server: secondApi.url, 'certificate-authority': secondApi.caFile } },
    ],
    users: [
      { name: 'slipway-admin', user: { token: tokens.admin } },
      { name: 'slipway-readonly', user: { token: tokens.readonly } },
      { name: 'slipway-second-admin', user: { token: tokens.secondAdmin } },
    ],
    contexts: [
      { name: CONTEXTS.admin, context: { cluster: 'slipway', user: 'slipway-admin', namespace: 'default' } },
      { name: CONTEXTS.readonly, context: { cluster: 'slipway', user: 'slipway-readonly', namespace: 'default' } },
      { name: CONTEXTS.second, context: { cluster: 'slipway-second', user: 'slipway-second-admin', namespace: 'default' } },
    ],
    'current-context': CONTEXTS.admin,
  }), { mode: 0o600 });

  const state: ClusterState = { version: KUBERNETES_VERSION, kubeconfig, etcdUrl, kwokConfig: kwokConfigKey(), capacity: capacityKey(), apiservers, processes, tools };
  writeFileSync(statePath(), JSON.stringify(state, null, 2), { mode: 0o600 });
  log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s (Kubernetes v${KUBERNETES_VERSION}); kubeconfig: ${kubeconfig}`);
  return { state, startedNow: true };
}

async function stopProcesses(state: ClusterState, log: Log): Promise<void> {
  const ours = [...state.processes].reverse().filter(isOurs);
  for (const p of ours) {
    log(`stopping ${p.name} (pid ${p.pid})`);
    try {
      process.kill(p.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 15_000;
  while (ours.some((p) => alive(p.pid)) && Date.now() < deadline) await sleep(100);
  for (const p of ours) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
}

export async function down(opts: { log: Log }): Promise<void> {
  const state = readState();
  if (!state) {
    opts.log('no cluster state found: nothing to stop');
    rmSync(clusterDir(), { recursive: true, force: true });
    return;
  }
  await stopProcesses(state, opts.log);
  rmSync(clusterDir(), { recursive: true, force: true });
  opts.log('cluster stopped and its data removed');
}
