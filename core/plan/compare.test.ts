import { describe, expect, it } from 'vitest';
import type { DesiredObject } from '../model/desired.js';
import type { RenderResult } from '../render/render.js';
import { defaultApp } from '../source/apps.js';
import { compareRevisions } from './compare.js';
import { renderPlanText } from './view-text.js';

const app = defaultApp('apps/web');
const cm = (name: string, data: Record<string, string>, line = 1): DesiredObject => ({
  key: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'web', name },
  manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'web' }, data },
  source: { file: `apps/web/${name}.yaml`, documentIndex: 0, line },
});
const rendered = (oid: string, objects: DesiredObject[]): RenderResult => ({
  app,
  revision: { kind: 'commit', oid, shortOid: oid.slice(0, 7), refs: [], subject: 's', message: 's', author: { name: 'a', email: 'a@b', time: '2026-01-01T00:00:00Z' } },
  sourceType: 'directory',
  treeOid: `tree-${oid}`,
  objects,
  diagnostics: [],
  renderedHash: `hash-${oid}`,
});

describe('compareRevisions', () => {
  const before = rendered('a'.repeat(40), [cm('kept', { a: '1' }), cm('changed', { a: '1' }), cm('removed', { a: '1' })]);
  const after = rendered('b'.repeat(40), [cm('kept', { a: '1' }), cm('changed', { a: '2' }), cm('added', { a: '1' })]);
  const plan = compareRevisions({ app, before, after, repo: '/repo', labels: { before: 'v1', after: 'v2' }, now: () => new Date('2026-01-01T00:00:00Z') });

  it('shows what changes from one revision to the other, without a cluster', () => {
    expect(plan.changes.map((c) => [c.key.name, c.action, c.changedPaths])).toEqual([
      ['added', 'create', []],
      ['changed', 'update', ['data.a']],
      ['kept', 'noop', []],
      ['removed', 'delete', []],
    ]);
    expect(plan.inputs.mode).toEqual({ kind: 'compare', compared: 'revisions', before: 'v1', after: 'v2' });
    expect(plan.inputs.cluster).toBeUndefined();
  });

  it('is labelled a comparison in the text view', () => {
    const text = renderPlanText(plan);
    expect(text).toMatch(/^Slipway comparison of revisions plan-/);
    expect(text).toContain('(a comparison: nothing here can be applied)');
    expect(text).toContain('Differences: 1 to add, 1 to change, 1 to destroy.');
  });
});

describe('compareRevisions: findings without a cluster', () => {
  const deployment = (image: string): DesiredObject => ({
    key: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web' },
    manifest: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, envFrom: [{ configMapRef: { name: 'changed' } }] }] } } },
    },
    source: { file: 'apps/web/deployment.yaml', documentIndex: 0, line: 1 },
  });

  it('finds the rollout and the config read through env, as the rules need no live context for them', () => {
    const before = rendered('a'.repeat(40), [cm('changed', { a: '1' }), deployment('web:1.0')]);
    const after = rendered('b'.repeat(40), [cm('changed', { a: '2' }), deployment('web:2.0')]);
    const plan = compareRevisions({ app, before, after, repo: '/repo', labels: { before: 'v1', after: 'v2' } });
    expect(plan.findings.map((f) => [f.rule, f.severity, f.subject.name])).toEqual([
      ['image-major', 'warning', 'web'],
      ['config-rolls', 'info', 'web'],
      ['pod-template-changed', 'info', 'web'],
    ]);
  });
});
