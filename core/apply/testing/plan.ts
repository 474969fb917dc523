/**
 * A plan for the executor's unit tests, as the planner makes it for the fake cluster: the app
 * "shop" in namespace shop, its ApplySet parent there, the summary counted from the changes.
 */
import type { Action, Change, Plan, PlannedHook } from '../../plan/types.js';
import type { FakeCluster } from './fake-cluster.js';

export const TEST_NAMESPACE = 'shop';

export function testPlan(fake: FakeCluster, changes: readonly Change[], hooks: readonly PlannedHook[] = []): Plan {
  const count = (a: Action): number => changes.filter((c) => c.action === a).length;
  return {
    formatVersion: 5,
    id: 'plan-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    inputs: {
      app: { name: 'shop', path: 'shop', sourceType: 'directory', namespace: TEST_NAMESPACE },
      repo: '/src/shop',
      commit: 'c0ffee1234567',
      treeOid: 'tree',
      renderedHash: 'sha256:rendered',
      cluster: { context: 'fake', server: fake.identityAnswer.server, uid: fake.identityAnswer.clusterUid, version: 'v1.35.0' },
      mode: { kind: 'normal' },
      applySet: { parent: `Secret/${TEST_NAMESPACE}/applyset-shop`, id: 'applyset-shop-v1' },
    },
    changes: [...changes],
    summary: { create: count('create'), update: count('update'), delete: count('delete'), replace: count('replace'), noop: count('noop'), error: count('error') },
    diagnostics: [],
    hooks: [...hooks],
    findings: [],
  };
}
