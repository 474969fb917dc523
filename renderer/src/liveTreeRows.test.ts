import { describe, expect, it } from 'vitest';
import type { LiveTreeNode } from '../../core/api/contract.js';
import { liveRows, nodesById, oldFoldId, unreadText, type LiveRow, type RowOptions } from './liveTreeRows.js';
import { node, WEB_ROOTS } from './testing/liveFixtures.js';

/** Rows as "  Kind name" (two spaces a level), a fold as "  ▸ 2 old ReplicaSets", an unread kind as "  ! text". */
const outline = (rows: readonly LiveRow[]): string[] =>
  rows.map((r) => {
    const pad = '  '.repeat(r.depth);
    if (r.type === 'node') return `${pad}${r.expandable ? (r.collapsed ? '▸ ' : '▾ ') : ''}${r.node.key.kind} ${r.node.key.name}`;
    if (r.type === 'old') return `${pad}${r.collapsed ? '▸' : '▾'} ${r.label}`;
    return `${pad}! ${r.text}`;
  });

const opts = (o: Partial<RowOptions> = {}): RowOptions => ({ collapsed: new Set(), openOld: new Set(), gaps: [], ...o });
const deployment = WEB_ROOTS[0]!;

describe('liveRows', () => {
  it('members as roots, what their controllers made under them, old ReplicaSets folded', () => {
    expect(outline(liveRows(WEB_ROOTS, opts()))).toEqual([
      '▾ Deployment web',
      '  ▾ ReplicaSet web-7d4',
      '    Pod web-7d4-abcde',
      '    Pod web-7d4-fghij',
      '  ▸ 2 old ReplicaSets',
      '▾ Service web',
      '  EndpointSlice web-x7k2p',
      'ConfigMap web-config',
      'ConfigMap web-flags',
    ]);
  });

  it.each<[string, Partial<RowOptions>, string[]]>([
    ['the old rollouts opened', { openOld: new Set([oldFoldId(deployment.id)]) }, ['▾ Deployment web', '  ▾ ReplicaSet web-7d4', '    Pod web-7d4-abcde', '    Pod web-7d4-fghij', '  ▾ 2 old ReplicaSets', '    ReplicaSet web-5c9', '    ReplicaSet web-3a1']],
    ['the Deployment folded', { collapsed: new Set([deployment.id]) }, ['▸ Deployment web']],
    ['its ReplicaSet folded', { collapsed: new Set(['uid-replicaset-web-7d4']) }, ['▾ Deployment web', '  ▸ ReplicaSet web-7d4', '  ▸ 2 old ReplicaSets']],
  ])('%s', (_, o, want) => {
    expect(outline(liveRows([deployment], opts(o)))).toEqual(want);
  });

  it('one old object of another kind', () => {
    const parent = node('CronJob', 'report', { children: [node('Job', 'report-1', { old: true })] });
    expect(outline(liveRows([parent], opts()))).toEqual(['▾ CronJob report', '  ▸ 1 old Job']);
    const mixed = node('X', 'x', { children: [node('Job', 'a', { old: true }), node('Pod', 'b', { old: true })] });
    expect(outline(liveRows([mixed], opts()))).toEqual(['▾ X x', '  ▸ 2 old objects']);
  });

  it('a child kind that could not be read is said in place, with the reason of its gap', () => {
    const rs = node('ReplicaSet', 'web-7d4', { unread: ['Pod'] });
    const gaps = [{ group: '', kind: 'Pod', namespace: 'shop', of: 'children' as const, message: 'pods is forbidden: User "dev" cannot list resource "pods" in the namespace "shop"' }];
    expect(outline(liveRows([node('Deployment', 'web', { children: [rs] })], opts({ gaps })))).toEqual([
      '▾ Deployment web',
      '  ▾ ReplicaSet web-7d4',
      '    ! cannot list Pods here: pods is forbidden: User "dev" cannot list resource "pods" in the namespace "shop"',
    ]);
  });

  it('ids are stable: a node by its id, folds and notes by their parent', () => {
    const rows = liveRows(WEB_ROOTS, opts());
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(rows.find((r) => r.type === 'old')?.id).toBe(oldFoldId(deployment.id));
  });

  it('500 objects flatten in a few milliseconds', () => {
    const roots: LiveTreeNode[] = Array.from({ length: 100 }, (_, i) =>
      node('Deployment', `d${i}`, { children: [node('ReplicaSet', `d${i}-rs`, { children: [node('Pod', `d${i}-pod`)] }), node('ReplicaSet', `d${i}-old`, { old: true })] }),
    );
    roots.push(...Array.from({ length: 100 }, (_, i) => node('Service', `s${i}`)));
    const t = performance.now();
    const rows = liveRows(roots, opts());
    expect(performance.now() - t).toBeLessThan(50);
    expect(rows).toHaveLength(500);
  });
});

describe('unreadText', () => {
  it.each<[string, string | undefined, RowOptions['gaps'], string]>([
    ['Pod', 'shop', [], 'cannot list Pods here'],
    ['Pod', 'shop', [{ group: '', kind: 'Pod', namespace: 'other', of: 'children', message: 'no' }], 'cannot list Pods here'],
    ['Pod', 'shop', [{ group: '', kind: 'Pod', of: 'members', message: 'no' }], 'cannot list Pods here'],
    ['EndpointSlice', 'shop', [{ group: 'discovery.k8s.io', kind: 'EndpointSlice', of: 'children', message: 'forbidden' }], 'cannot list EndpointSlices here: forbidden'],
    ['PersistentVolumeClaim', 'db', [{ group: '', kind: 'PersistentVolumeClaim', namespace: 'db', of: 'children', message: 'forbidden' }], 'cannot list PersistentVolumeClaims here: forbidden'],
  ])('%s in %s', (kind, ns, gaps, want) => {
    expect(unreadText(kind, ns, gaps)).toBe(want);
  });
});

describe('nodesById', () => {
  it('finds every node, nested or not', () => {
    const all = nodesById(WEB_ROOTS);
    expect(all.size).toBe(10);
    expect(all.get('uid-pod-web-7d4-fghij')?.health).toBe('degraded');
  });
});
