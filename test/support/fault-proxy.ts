/**
 * An HTTPS forwarding proxy in front of a real kube-apiserver that answers chosen requests itself
 * with 429 (with Retry-After) or 5xx, for retry tests: faults that signals cannot produce. Every
 * other request, and every request once a rule's count is used up, goes to the real server
 * unchanged (bearer token included). It serves with the API server's own certificate and key, so
 * a kubeconfig pointing at the proxy trusts it with the same certificate-authority.
 *
 * Every request is logged (method, path, query, status, injected or not) for assertions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

export interface ProxiedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface Fault {
  readonly status: 429 | 500 | 502 | 503 | 504;
  /** Sent as Retry-After (seconds). */
  readonly retryAfterSeconds?: number;
  readonly message?: string;
}

export interface FaultRule {
  readonly match: (r: ProxiedRequest) => boolean;
  readonly fault: Fault;
  /** How many matching requests get the fault; then they pass. Default: all of them. */
  readonly times?: number;
}

export interface ProxyLogEntry extends ProxiedRequest {
  readonly status: number;
  readonly injected: boolean;
}

export interface FaultProxy {
  readonly url: string;
  /** A kubeconfig file with one context, `context`, that reaches the API server through the proxy. */
  readonly kubeconfig: string;
  readonly context: string;
  readonly log: ProxyLogEntry[];
  /** Adds a rule; returns how many requests it has faulted so far (a function, read it later). */
  inject(rule: FaultRule): () => number;
  /** Removes every rule and empties the log. */
  reset(): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  readonly target: { readonly url: string; readonly caFile: string; readonly keyFile: string; readonly token: string };
  readonly context: string;
  /** Where to write the kubeconfig. */
  readonly kubeconfigPath: string;
}

const REASONS: Record<Fault['status'], string> = { 429: 'TooManyRequests', 500: 'InternalError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'Timeout' };

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target.url);
  const ca = readFileSync(opts.target.caFile);
  const agent = new Agent({ keepAlive: true, ca });
  const rules: { rule: FaultRule; hits: number }[] = [];
  const log: ProxyLogEntry[] = [];

  const server: Server = createServer({ cert: ca, key: readFileSync(opts.target.keyFile) }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://proxy');
    const r: ProxiedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams };
    const active = rules.find((x) => (x.rule.times === undefined || x.hits < x.rule.times) && x.rule.match(r));
    if (active) {
      active.hits++;
      const { status, retryAfterSeconds, message } = active.rule.fault;
      const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: message ?? `injected ${status} by the fault proxy`, reason: REASONS[status], code: status });
      log.push({ ...r, status, injected: true });
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json', ...(retryAfterSeconds !== undefined && { 'retry-after': String(retryAfterSeconds) }) });
      res.end(body);
      return;
    }
    const headers = { ...req.headers, host: target.host };
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers, agent }, (up) => {
      log.push({ ...r, status: up.statusCode ?? 0, injected: false });
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      log.push({ ...r, status: 0, injected: false });
      res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    opts.kubeconfigPath,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: opts.context, cluster: { server: url, 'certificate-authority': opts.target.caFile } }],
      users: [{ name: `${opts.context}-admin`, user: { token: opts.target.token } }],
      contexts: [{ name: opts.context, context: { cluster: opts.context, user: `${opts.context}-admin`, namespace: 'default' } }],
      'current-context': opts.context,
    }),
    { mode: 0o600 },
  );

  return {
    url,
    kubeconfig: opts.kubeconfigPath,
    context: opts.context,
    log,
    inject(rule) {
      const entry = { rule, hits: 0 };
      rules.push(entry);
      return () => entry.hits;
    },
    reset() {
      rules.length = 0;
      log.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
