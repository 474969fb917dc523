/** A re-sealed SealedSecret in the plan's views: per-key lines, never its ciphertext. */
import { describe, expect, it } from 'vitest';
import { buildChange, finalizePlan } from './assemble.js';
import type { JsonObject } from './json.js';
import { planSchema } from './schema.js';
import type { PlanInputs } from './types.js';
import { renderPlanJson } from './view-json.js';
import { renderPlanText } from './view-text.js';

const inputs: PlanInputs = {
  app: { name: 'shop', path: 'apps/shop', sourceType: 'directory', namespace: 'shop' },
  repo: '/home/dev/src/shop-deploy',
  commit: '3f9c2a7e1b4d5c6a8e9f0b1c2d3e4f5a6b7c8d9e',
  treeOid: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  renderedHash: 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
  mode: { kind: 'normal' },
  applySet: { parent: 'Secret/shop/applyset-shop', id: 'applyset-0pDG5M3jYq0ZbDQ5p0fQk2yXbRQ-v1' },
};
const key = { group: 'bitnami.com', version: 'v1alpha1', kind: 'SealedSecret', namespace: 'shop', name: 'db' };
const sealed = (encryptedData: Record<string, string>, labels: Record<string, string> = {}): JsonObject => ({
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  metadata: { name: 'db', namespace: 'shop', labels },
  spec: { encryptedData, template: { metadata: { name: 'db', namespace: 'shop' } } },
});
const CIPHER = (n: number): string => `AgB${String(n).repeat(40)}==`;

describe('a re-sealed SealedSecret', () => {
  const change = buildChange({ key, before: sealed({ password: CIPHER(1), user: CIPHER(2), old: CIPHER(3) }), after: sealed({ password: CIPHER(4), user: CIPHER(2), token: CIPHER(5) }) });
  const plan = finalizePlan({ inputs, changes: [change], diagnostics: [], createdAt: '2025-03-20T16:12:30Z' });

  it('is an update with a line per changed key, and no ciphertext', () => {
    expect(change.action).toBe('update');
    expect(change.secretKeys).toEqual({ old: 'removed', password: 're-sealed', token: 'added', user: 'unchanged' });
    const text = renderPlanText(plan);
    expect(text).toContain('spec.encryptedData.password: (re-sealed)');
    expect(text).toContain('spec.encryptedData.token: (added)');
    expect(text).toContain('spec.encryptedData.old: (removed)');
    expect(text).not.toContain('spec.encryptedData.user');
    expect(text).not.toMatch(/AgB/);
  });

  it('the JSON view carries the per-key states and validates', () => {
    const json = JSON.parse(renderPlanJson(plan)) as { changes: { secretKeys: unknown }[] };
    expect(json.changes[0]!.secretKeys).toEqual(change.secretKeys);
    expect(JSON.stringify(json)).not.toMatch(/AgB/);
    expect(planSchema.safeParse(json).success).toBe(true);
  });

  it('only re-sealed: still an update (the new ciphertext must reach the cluster)', () => {
    const c = buildChange({ key, before: sealed({ password: CIPHER(1) }), after: sealed({ password: CIPHER(9) }) });
    expect([c.action, c.secretKeys]).toEqual(['update', { password: 're-sealed' }]);
  });

  it('a change besides the ciphertext still shows its diff', () => {
    const c = buildChange({ key, before: sealed({ password: CIPHER(1) }), after: sealed({ password: CIPHER(1) }, { tier: 'db' }) });
    const text = renderPlanText(finalizePlan({ inputs, changes: [c], diagnostics: [], createdAt: '2025-03-20T16:12:30Z' }));
    expect(text).toContain('+ ');
    expect(text).toContain('tier: db');
  });
});
