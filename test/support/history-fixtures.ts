/**
 * Plans and objects for history tests (core/history) and the child processes they spawn.
 */
import type { ClusterIdentity, Plan } from '../../core/plan/types.js';

export const CLUSTER_A: ClusterIdentity = { context: 'kind-a', server: 'https://127.0.0.1:6443', uid: 'uid-a', version: 'v1.35.4' };
export const CLUSTER_B: ClusterIdentity = { context: 'kind-b', server: 'https://127.0.0.1:7443', uid: 'uid-b', version: 'v1.35.4' };

/** A small applicable plan; `id` defaults to one derived from app, commit and cluster. */
export function testPlan(opts: { app?: string; repo?: string; commit?: string; cluster?: ClusterIdentity; id?: string; createdAt?: string } = {}): Plan {
  const app = opts.app ?? 'web';
  const commit = opts.commit ?? 'a'.repeat(40);
  const cluster = opts.cluster ?? CLUSTER_A;
  return {
    formatVersion: 5,
    id: opts.id ?? `plan-${app}-${commit.slice(0, 7)}-${cluster.uid}`,
    createdAt: opts.createdAt ?? '2026-01-01T00:00:00.000Z',
    inputs: {
      app: { name: app, path: `apps/${app}`, sourceType: 'directory', namespace: 'shop' },
      repo: opts.repo ?? '/repos/gitops',
      commit,
      treeOid: 'b'.repeat(40),
      renderedHash: 'sha256:' + 'c'.repeat(64),
      cluster,
      mode: { kind: 'normal' },
      applySet: { parent: 'Secret/shop/slipway-web', id: 'applyset-x-v1' },
    },
    changes: [
      {
        key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: app },
        action: 'update',
        flags: [],
        before: 'spec:\n  replicas: 1\n',
        after: 'spec:\n  replicas: 2\n',
        changedPaths: ['spec.replicas'],
        liveResourceVersion: '42',
      },
      { key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: `${app}-config` }, action: 'create', flags: [], after: 'data:\n  a: b\n', changedPaths: [] },
    ],
    summary: { create: 1, update: 1, delete: 0, replace: 0, noop: 0, error: 0 },
    diagnostics: [],
    hooks: [],
    findings: [],
  };
}

export function deployment(name: string, replicas: number): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop', resourceVersion: String(100 + replicas) }, spec: { replicas } };
}
