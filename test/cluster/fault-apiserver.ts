/**
 * A test-owned kube-apiserver for fault tests: an extra process on the shared cluster's etcd, with
 * its own etcd prefix (so it is an independent, empty cluster with its own kube-system uid), its
 * own certificates, token file and a one-context kubeconfig. RBAC on, no controllers (use kinds
 * that are healthy without them: ConfigMaps, Secrets, Services, ServiceAccounts).
 *
 * The test controls its life: stop (SIGKILL / SIGTERM), pause (SIGSTOP), resume (SIGCONT),
 * restart on the same port with the same certificates, and cleanup, which always kills it (call
 * it in afterAll; it also runs when the test process exits). The shared cluster's processes are
 * never touched. Without a local cluster (SLIPWAY_TEST_KUBECONFIG), it starts its own etcd.
 *
 * Binaries come from ensureControlPlane (cached; nothing is rebuilt when the cluster is running).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ensureControlPlane, type Log } from './build.js';
import { SERVICE_CLUSTER_IP_RANGE } from './capacity.js';
import { apiCall, etcdUrlOf, freePort, readState, waitFor } from './cluster.js';

export interface FaultApiServer {
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** The server's self-signed certificate (its own CA), and the key that goes with it. */
  readonly caFile: string;
  readonly keyFile: string;
  /** A token of system:masters. */
  readonly token: string;
  /** A kubeconfig file with one context, `context`, cluster-admin on this server. */
  readonly kubeconfig: string;
  readonly context: string;
  /** The etcd prefix that makes it an independent cluster. */
  readonly etcdPrefix: string;
  /** The API server's log file. */
  readonly log: string;
  /** The pid of the running process (undefined while stopped). */
  pid(): number | undefined;
  /** Sends the signal and waits for the process to exit. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** SIGSTOP: the process keeps its sockets but answers nothing. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** Starts it again (after stop) on the same port, with the same certificates, and waits until it is ready. */
  restart(): Promise<void>;
  /** Kills it (resuming it first if paused), removes its etcd keys and files. Idempotent; never throws. */
  cleanup(): Promise<void>;
}

export interface FaultApiServerOptions {
  /** Part of the context name and the etcd prefix. Default "faults". */
  readonly name?: string;
  readonly log?: Log;
  /** How long to wait for /readyz. Default 120 s (a busy 2-core machine). */
  readonly readyTimeoutMs?: number;
}


/** Waits until `probe` says yes, giving up early if `child` exits. */
const until = (what: string, timeoutMs: number, probe: () => Promise<boolean>, logFile?: string, child?: ChildProcess): Promise<true> =>
  waitFor(what, timeoutMs, async () => ((await probe()) ? true : undefined), logFile, () => (child && child.exitCode !== null ? `the process exited with ${child.exitCode}` : undefined));

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/** Everything this process started, killed when it exits whatever happened to the tests. */
const owned = new Set<ChildProcess>();
let exitHookInstalled = false;
function own(child: ChildProcess): void {
  owned.add(child);
  child.once('exit', () => owned.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of owned) {
        try {
          if (c.pid !== undefined) {
            process.kill(c.pid, 'SIGCONT');
            process.kill(c.pid, 'SIGKILL');
          }
        } catch {
          // already gone
        }
      }
    });
  }
}

function startChild(binary: string, args: string[], logFile: string, cwd: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', fd, fd], cwd });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${binary}`);
  own(child);
  return child;
}

/** Deletes every key under an etcd prefix through etcd's JSON gateway. */
async function deleteEtcdPrefix(etcdUrl: string, prefix: string): Promise<void> {
  const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
  const end = Buffer.from(prefix);
  end[end.length - 1] = end[end.length - 1]! + 1;
  await fetch(`${etcdUrl}/v3/kv/deleterange`, { method: 'POST', body: JSON.stringify({ key: b64(prefix), range_end: b64(end) }), signal: AbortSignal.timeout(10_000) });
}

export async function startFaultApiServer(opts: FaultApiServerOptions = {}): Promise<FaultApiServer> {
  const log = opts.log ?? (() => {});
  const name = opts.name ?? 'faults';
  const bins = await ensureControlPlane(log);
  const dir = mkdtempSync(join(tmpdir(), `slipway-${name}-apiserver-`));
  const certDir = join(dir, 'certs');
  mkdirSync(certDir, { recursive: true, mode: 0o700 });
  const logFile = join(dir, 'kube-apiserver.log');
  const children: ChildProcess[] = [];
  let child: ChildProcess | undefined;

  try {
    // The shared cluster's etcd, else our own.
    const state = readState();
    let etcdUrl = state ? etcdUrlOf(state) : undefined;
    if (!etcdUrl) {
      const [client, peer] = [await freePort(), await freePort()];
      etcdUrl = `http://127.0.0.1:${client}`;
      const peerUrl = `http://127.0.0.1:${peer}`;
      log(`no local cluster etcd found: starting one for the fault tests (${etcdUrl})`);
      const etcd = startChild(bins.etcd, [
        '--name=faults', `--data-dir=${join(dir, 'etcd')}`, `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`, `--initial-cluster=faults=${peerUrl}`,
        '--unsafe-no-fsync=true', '--log-level=warn',
      ], join(dir, 'etcd.log'), dir);
      children.push(etcd);
      const url = etcdUrl;
      await until('etcd', 30_000, async () => (await fetch(`${url}/health`)).ok, join(dir, 'etcd.log'), etcd);
    }

    const token = randomBytes(24).toString('hex');
    writeFileSync(join(dir, 'tokens.csv'), `${token},slipway-admin,slipway-admin,"system:masters"\n`, { mode: 0o600 });
    const sa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    writeFileSync(join(dir, 'sa.key'), sa.privateKey, { mode: 0o600 });
    writeFileSync(join(dir, 'sa.pub'), sa.publicKey);
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const etcdPrefix = `/registry-${name}-${randomBytes(4).toString('hex')}`;
    const args = [
      `--etcd-servers=${etcdUrl}`, `--etcd-prefix=${etcdPrefix}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${port}`, `--cert-dir=${certDir}`,
      `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`, '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC', '--endpoint-reconciler-type=none',
      '--profiling=false', '--v=0',
    ];
    const caFile = join(certDir, 'apiserver.crt');
    const keyFile = join(certDir, 'apiserver.key');
    const context = `slipway-${name}`;
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: context, cluster: { server: url, 'certificate-authority': caFile } }],
        users: [{ name: `${context}-admin`, user: { token } }],
        contexts: [{ name: context, context: { cluster: context, user: `${context}-admin`, namespace: 'default' } }],
        'current-context': context,
      }),
      { mode: 0o600 },
    );

    const start = async (): Promise<void> => {
      const c = startChild(bins.kubeApiserver, args, logFile, dir);
      child = c;
      await until(`the fault-test kube-apiserver (${url}) to become ready`, opts.readyTimeoutMs ?? 120_000, async () => {
        if (!existsSync(caFile)) return false;
        return (await apiCall({ url, caFile, token }, 'GET', '/readyz')).status === 200;
      }, logFile, c);
    };
    const running = (): ChildProcess | undefined => (child && child.exitCode === null && child.signalCode === null ? child : undefined);
    const signal = (sig: NodeJS.Signals): void => {
      const c = running();
      if (!c?.pid) throw new Error(`the fault-test kube-apiserver is not running (cannot send ${sig})`);
      process.kill(c.pid, sig);
    };
    let cleaned = false;

    log(`starting a fault-test kube-apiserver on ${url} (etcd prefix ${etcdPrefix})`);
    await start();
    return {
      url,
      port,
      caFile,
      keyFile,
      token,
      kubeconfig,
      context,
      etcdPrefix,
      log: logFile,
      pid: () => running()?.pid,
      async stop(sig = 'SIGKILL') {
        const c = running();
        if (!c) return;
        const gone = exited(c);
        if (sig === 'SIGTERM') process.kill(c.pid!, 'SIGCONT');
        process.kill(c.pid!, sig);
        await gone;
      },
      pause: () => signal('SIGSTOP'),
      resume: () => signal('SIGCONT'),
      async restart() {
        if (running()) throw new Error('the fault-test kube-apiserver is still running: stop it first');
        await start();
      },
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        for (const c of [child, ...children.reverse()]) {
          if (!c || c.exitCode !== null || c.signalCode !== null) continue;
          const gone = exited(c);
          try {
            process.kill(c.pid!, 'SIGCONT');
            process.kill(c.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
          await gone;
        }
        if (!children.length) await deleteEtcdPrefix(etcdUrl, `${etcdPrefix}/`).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    for (const c of [child, ...children]) {
      if (!c) continue;
      try {
        process.kill(c.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
