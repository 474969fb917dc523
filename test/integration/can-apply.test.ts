/**
 * The access review before Apply (core/engine/can-apply.ts) against the real API server: the
 * read-only user may dry-run nothing and apply nothing, and is told each write the apply makes
 * that RBAC refuses (its Lease and ApplySet parent first, then each changed kind); the admin may
 * make them all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { canApply, describeMissing } from '../../core/engine/can-apply.js';
import { openRepository } from '../../core/git/repository.js';
import type { Repository } from '../../core/git/types.js';
import { loadKubeconfig } from '../../core/kube/kubeconfig.js';
import { planApp } from '../../core/plan/service.js';
import type { Plan } from '../../core/plan/types.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const kubeconfigPath = inject('kubeconfig');
/** Planned only, never applied: a namespace that exists, so the read-only plan dry-runs (and is refused). */
const ns = 'default';

let tmp: string;
let fixture: TestRepo;
let repo: Repository;

const planOn = (context: string): Promise<Plan> =>
  planApp({ repo, rev: 'main', selection: { path: 'web' }, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), context, overrides: { namespace: ns }, cacheDir: join(tmp, 'cache') });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'slipway-can-apply-it-'));
  fixture = createTestRepo({ prefix: 'slipway-can-apply-it-' });
  fixture.write({
    'web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  color: blue\n',
    'web/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n',
  });
  fixture.commit('web');
  repo = await openRepository(fixture.dir);
});

afterAll(async () => {
  await repo?.close();
  fixture?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('canApply', () => {
  it('names each write the read-only user may not make', async () => {
    const plan = await planOn('slipway-readonly');
    expect(plan.changes.every((c) => c.flags.includes('approximate'))).toBe(true);
    const access = await canApply({ plan, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), context: 'slipway-readonly' });
    expect(access.user).toBe('slipway-readonly');
    expect(access.unchecked).toEqual([]);
    expect(access.missing.map(describeMissing).sort()).toEqual(
      [
        `create configmaps in namespace ${ns}`,
        `patch configmaps in namespace ${ns}`,
        `create deployments.apps in namespace ${ns}`,
        `patch deployments.apps in namespace ${ns}`,
        `create leases.coordination.k8s.io in namespace ${ns}`,
        `update leases.coordination.k8s.io in namespace ${ns}`,
        `create secrets in namespace ${ns}`,
        `patch secrets in namespace ${ns}`,
      ].sort(),
    );
  });

  it('finds nothing missing for the admin', async () => {
    const plan = await planOn('slipway-admin');
    const access = await canApply({ plan, kubeconfig: loadKubeconfig({ path: kubeconfigPath }), context: 'slipway-admin' });
    expect(access).toEqual({ user: 'slipway-admin', missing: [], unchecked: [] });
  });
});
