/**
 * The engine's hubs: leases of one context share one client and hub until the last is released;
 * another context, a changed credential or another timeout get a hub of their own. Nothing here
 * talks to a server (a hub connects only when something subscribes).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKubeconfig, type LoadedKubeconfig } from '../kube/kubeconfig.js';
import { ownHub, WatchHubs } from './watch-hubs.js';

const dir = mkdtempSync(join(tmpdir(), 'slipway-watch-hubs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfig(file: string, token: string): LoadedKubeconfig {
  const path = join(dir, file);
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      `users: [{name: u, user: {token: ${token}}}]`,
      'contexts: [{name: dev, context: {cluster: c, user: u}}, {name: prod, context: {cluster: c, user: u}}]',
      'current-context: dev',
    ].join('\n'),
  );
  return loadKubeconfig({ path, env: {} });
}

describe('WatchHubs', () => {
  it('shares one client and hub per context until the last lease is released', async () => {
    const hubs = new WatchHubs();
    const kc = kubeconfig('one.yaml', 'token-1');
    const a = hubs.lease(kc, 'dev');
    const b = hubs.lease(kubeconfig('one-again.yaml', 'token-1'), 'dev');
    const prod = hubs.lease(kc, 'prod');
    expect(b.hub).toBe(a.hub);
    expect(b.client).toBe(a.client);
    expect(prod.hub).not.toBe(a.hub);
    expect(hubs.list().map((h) => [h.context, h.leases])).toEqual([
      ['dev', 2],
      ['prod', 1],
    ]);
    await a.release();
    await a.release(); // idempotent: b still holds the hub
    expect(a.hub.closed).toBe(false);
    await b.release();
    expect(a.hub.closed).toBe(true);
    expect(hubs.list().map((h) => h.context)).toEqual(['prod']);
    // A new lease after the last release gets a new hub.
    const c = hubs.lease(kc, 'dev');
    expect(c.hub).not.toBe(a.hub);
    await hubs.close();
    expect(c.hub.closed).toBe(true);
    expect(prod.hub.closed).toBe(true);
    expect(hubs.list()).toEqual([]);
  });

  it('gives a changed credential or another request timeout a hub of its own', async () => {
    const hubs = new WatchHubs();
    const first = hubs.lease(kubeconfig('rotated-1.yaml', 'token-1'), 'dev');
    const rotated = hubs.lease(kubeconfig('rotated-2.yaml', 'token-2'), 'dev');
    const slower = hubs.lease(kubeconfig('rotated-1b.yaml', 'token-1'), 'dev', { requestTimeoutMs: 5000 });
    expect(new Set([first.hub, rotated.hub, slower.hub]).size).toBe(3);
    // No credential appears in what the pool tells.
    expect(JSON.stringify(hubs.list())).not.toContain('token-');
    await hubs.close();
  });

  it('ownHub makes a client and hub that its release closes', async () => {
    const own = ownHub(kubeconfig('own.yaml', 'token-1'), 'dev', { hubOptions: { probeIntervalMs: 0 } });
    expect(own.hub.opts.probeIntervalMs).toBe(0);
    await own.release();
    expect(own.hub.closed).toBe(true);
  });
});
