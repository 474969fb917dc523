/**
 * The contract's liveTree: requests are checked as plan's are (exactly one of app or path, a
 * context), and the engine's tree — built from the live tree fixtures — passes the result schema
 * unchanged (what the dispatch checks before it leaves the engine).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildLiveTree, snapshotOf, TREE_RULES, type AppLiveTree } from '../engine/live-tree.js';
import type { KubeObject } from '../kube/types.js';
import { liveTreeRequestSchema, liveTreeSchema } from './contract.js';
import { toLiveTreeResult } from './live-tree.js';

const fixture = (name: string): KubeObject[] =>
  parseAllDocuments(readFileSync(new URL(`../watch/testdata/tree/${name}.yaml`, import.meta.url), 'utf8')).map((d) => d.toJS() as KubeObject);

function appTree(names: string[]): AppLiveTree {
  const snapshot = snapshotOf({
    applySet: { parent: 'Secret/shop/slipway-web-0123456789', id: 'applyset-test-v1', found: true },
    objects: names.flatMap(fixture),
    expected: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'gone' }],
    gaps: [{ group: '', kind: 'Event', namespace: 'shop', of: 'events', message: 'may not list events' }],
    readAt: '2026-01-01T12:00:00Z',
  });
  return { ...buildLiveTree(snapshot, TREE_RULES), app: { name: 'web', path: 'apps/web', namespace: 'shop' }, context: 'kind-dev', server: 'https://127.0.0.1:6443' };
}

describe('liveTree (contract)', () => {
  it('passes the result schema unchanged: nested nodes, reasons, old and gone marks, events, gaps', () => {
    const result = toLiveTreeResult(appTree(['deployment', 'pending', 'statefulset', 'daemonset-service']));
    expect(liveTreeSchema.parse(result)).toEqual(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expect(result.roots.some((n) => n.gone)).toBe(true);
    expect(result.roots.flatMap((n) => n.children).some((n) => n.old)).toBe(true);
  });

  it.each<[string, unknown, string | undefined]>([
    ['an app', { repoId: 'r1', app: 'web', context: 'kind-dev' }, undefined],
    ['a folder, a revision, a namespace and an event bound', { repoId: 'r1', path: 'apps/web', rev: 'main', context: 'kind-dev', namespace: 'shop', events: 10 }, undefined],
    ['both app and path', { repoId: 'r1', app: 'web', path: 'apps/web', context: 'kind-dev' }, 'give exactly one of app'],
    ['no context', { repoId: 'r1', app: 'web' }, 'context'],
    ['a namespace that is no name', { repoId: 'r1', app: 'web', context: 'c', namespace: 'Shop!' }, 'a namespace name'],
    ['too many events', { repoId: 'r1', app: 'web', context: 'c', events: 5000 }, 'events'],
    ['an unknown field', { repoId: 'r1', app: 'web', context: 'c', watch: true }, 'watch'],
  ])('request: %s', (_what, request, error) => {
    const r = liveTreeRequestSchema.safeParse(request);
    if (error === undefined) expect(r.success, r.error?.message).toBe(true);
    else expect(r.error?.message).toContain(error);
  });
});
